import { javascript, typescript } from 'projen';

// A plain TypeScript library rather than projen's jsii-based cdk8s construct type:
// we publish to npm only, and jsii forbids the union and mapped types the checker's
// rule model relies on.
const project = new typescript.TypeScriptProject({
  name: 'cdk8s-hardened',
  description: 'Secure-by-default cdk8s constructs and a Kubernetes manifest checker',
  license: 'Apache-2.0',
  copyrightOwner: 'The cdk8s-hardened authors',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',
  typescriptVersion: '~5.9.3',
  // `dist/` holds the committed reference platform, so npm tarballs go elsewhere.
  artifactsDirectory: 'build/package',
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  peerDeps: ['cdk8s@^2.70.106', 'cdk8s-plus-28@^2.5.6', 'constructs@^10.8.1'],
  deps: [
    'commander@^14.0.3',
    'node-sarif-builder@^3.4.0',
    'ipaddr.js@^2.2.0',
    'js-yaml@^4.1.0',
    'yaml@^2.9.1',
  ],
  devDeps: [
    '@types/js-yaml@^4.0.9',
    '@bufbuild/cel@0.6.1',
    '@bufbuild/re2@0.6.1',
    'cdk8s-cli@2.207.60',
    'fast-check@^4.11.0',
    // the oracle the JSON locator's offsets are tested against.
    'jsonc-parser@^3.3.1',
    '@kubernetes-models/external-secrets@2.0.0',
    '@kubernetes-models/kyverno@2.0.0',
    'ajv@^8.17.1',
    'kubernetes-models@4.5.1',
    'ts-node@^10.9.2',
  ],
  jestOptions: {
    jestVersion: '^30',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // the consumer app's files import the installed package; test:consumer runs them in their own app.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumer/app/'],
    },
  },
  tsconfig: {
    compilerOptions: {
      lib: ['es2022'],
      target: 'ES2022',
      // nothing public may disappear from the shipped .d.ts: what is internal lives outside the
      // public classes, not behind @internal.
      stripInternal: false,
      // the package ships plain JS without source maps: inline maps would embed src/ in lib/.
      inlineSourceMap: false,
      inlineSources: false,
    },
  },
  gitignore: ['/build/', '/bench/results/'],
  // lint reports in `npm test` rather than rewriting files, so CI checks what was committed.
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'bench', 'projenrc'], commandOptions: { fix: false } },
  bin: { 'cdk8s-hardened': 'bin/cdk8s-hardened' },
  repository: 'https://github.com/cdk8s-hardened/cdk8s-hardened.git',
  keywords: ['cdk8s', 'kubernetes', 'security', 'pod-security-standards', 'networkpolicy', 'rbac', 'policy-as-code', 'checker'],
});

// the version `cdk8s-hardened --version` prints and the tarball carries; bump it with each release.
project.package.addVersion('0.2.0');

// the package ships the library and the CLI, not the example platform, benchmarks or CI.
for (const pattern of ['/bench/', '/dist/', '/node-files/', '/probes/', '/runtime/', '/.ci/', 'cdk8s.yaml', '/cdk8s-hardened.yaml', '/lib/platform/', '/build/', '*.tsbuildinfo']) project.npmignore?.exclude(pattern);

// the reference platform: compile, then `cdk8s synth` into dist/ (which is committed).
const synth = project.addTask('synth', {
  description: 'Synthesize and check the reference platform into dist/',
  env: { CDK8S_CHECK_UPGRADE: 'false' },
});
synth.spawn(project.compileTask);
synth.exec('cdk8s synth');
// cdk8s writes construct paths for its validation plugins next to the manifests; dist/ holds
// manifests only, so `kubectl apply -f dist/` never meets it.
synth.exec('rm -f dist/construct-metadata.json');

// the checker's conformance run over the official PSA fixtures and Kyverno's PSS tests in ../shared/corpus.
project.addTask('conformance', {
  description: 'Run the PSS packs over the PSA v1.28 and Kyverno corpora and report agreement per control',
  exec: 'ts-node --transpile-only --project test/tsconfig.json test/conformance/run.ts',
  receiveArgs: true,
});

// the generated control-plane and node files against kube-bench's CIS definitions in ../shared/corpus (or any later
// benchmark's cfg/<version> folder given as an argument).
project.addTask('conformance:cis', {
  description: 'Evaluate kube-bench CIS check definitions offline against node-files/ and report every check',
  exec: 'ts-node --transpile-only --project test/tsconfig.json test/conformance/cis.ts',
  receiveArgs: true,
});
project.addTask('docgen:cis', {
  description: 'Regenerate README\'s CIS 1.8 coverage table from node-files/ and ../shared/corpus/kube-bench-cis-1.8',
  exec: 'ts-node --transpile-only --project test/tsconfig.json test/conformance/cis.ts --write-readme',
});

project.eslint?.addIgnorePattern('test/consumer/app/');
project.tryFindObjectFile('test/tsconfig.json')?.addToArray('exclude', 'consumer/app');

// the package as app teams install it: pack, install into a fresh app from README's "Use it in your
// app" section, compile with skipLibCheck off, jest, cdk8s synth with the plugin, check dist/.
project.addTask('test:consumer', {
  description: 'Install the packed tarball into a fresh app and build, test, synthesize and check it as README says',
  exec: 'ts-node --transpile-only --project test/tsconfig.json test/consumer/run.ts',
});

// docs/RULES.md is generated from the rule registry; a test fails when the committed file is stale.
project.addTask('docgen:rules', {
  description: 'Regenerate docs/RULES.md from the rule registry',
  exec: 'ts-node --transpile-only --project projenrc/tsconfig.json projenrc/gen-rules-doc.ts',
});

// speed and memory goals live in benchmarks, never in timed tests.
project.addTask('bench', {
  description: 'Measure synth, guard, checker throughput, scaling, cold start and memory against baselines',
  exec: 'ts-node --transpile-only --project test/tsconfig.json bench/run.ts',
  receiveArgs: true,
});

// the kubectl differential cases are byte-exact inputs (CRLF, BOMs, unicode line breaks): never normalised.
project.gitattributes.addAttributes('/test/checker/kubectl-differential/cases/**', '-text');

// dist/ is the committed reference platform (the GitOps drift check compares it).
project.gitignore.include('/dist/');
project.gitignore.include('/docs/');

project.synth();
