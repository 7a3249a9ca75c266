/**
 * The consumer test (`npm run test:consumer`, run by CI): packs the library, installs the tarball
 * into a fresh app exactly as README's "Use it in your app" section says (its install lines and
 * files are read from README.md), then compiles with skipLibCheck off, runs the matcher in ts-jest
 * and plain-JS jest, synthesizes with the validation plugin and checks dist/ with the CLI.
 * Any step that fails fails the run; the scratch folder is removed unless KEEP_CONSUMER_APP=1.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const APP_FILES = path.join(__dirname, 'app');

interface ReadmeSetup {
  readonly install: string[];
  readonly files: Map<string, string>;
  readonly commands: string[];
}

/** README's consumer section: `<!-- consumer-file: NAME -->`, `<!-- consumer-install -->` and `<!-- consumer-commands -->` blocks. */
export function readmeSetup(readme: string): ReadmeSetup {
  const block = /<!-- consumer-(file: ([^ ]+)|install|commands) -->\n```[a-z]*\n([\s\S]*?)```/g;
  const files = new Map<string, string>();
  let install: string[] = [];
  let commands: string[] = [];
  for (const match of readme.matchAll(block)) {
    const [, marker, name, body] = match;
    const lines = body.split('\n').filter((line) => line.trim() !== '');
    if (name) files.set(name, body);
    else if (marker === 'install') install = lines;
    else commands = lines;
  }
  if (install.length === 0 || commands.length === 0 || !files.has('main.ts')) {
    throw new Error('README.md lacks the consumer-install, consumer-commands or consumer-file: main.ts blocks');
  }
  return { install, files, commands };
}

function run(command: string, cwd: string, env: NodeJS.ProcessEnv = {}, quiet = false): SpawnSyncReturns<string> {
  process.stdout.write(`\n$ ${command}\n`);
  const result = spawnSync(command, { cwd, shell: '/bin/bash', encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  if (!quiet || result.status !== 0) process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  return result;
}

function mustRun(command: string, cwd: string, env: NodeJS.ProcessEnv = {}, quiet = false): SpawnSyncReturns<string> {
  const result = run(command, cwd, env, quiet);
  if (result.status !== 0) throw new Error(`"${command}" exited ${result.status ?? result.signal}`);
  return result;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** the tarball's files must be the library and its docs: no sources, tests, benchmarks, platform or maps. */
function checkPackedFiles(files: string[]): void {
  const allowed = /^(lib\/.+\.(js|d\.ts)|bin\/cdk8s-hardened|docs\/.+\.md|README\.md|LICENSE|package\.json)$/;
  const unexpected = files.filter((file) => !allowed.test(file) || file.startsWith('lib/platform/'));
  assert(unexpected.length === 0, `the tarball holds files it should not: ${unexpected.join(', ')}`);
  for (const required of ['lib/index.js', 'lib/index.d.ts', 'lib/checker/jest-setup.js', 'lib/checker/jest-setup.d.ts',
    'lib/checker/validation-plugin.js', 'lib/cli/main.js', 'bin/cdk8s-hardened', 'README.md', 'LICENSE', 'docs/RULES.md']) {
    assert(files.includes(required), `the tarball lacks ${required}`);
  }
}

function main(): void {
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-consumer-'));
  const app = path.join(scratch, 'app');
  fs.mkdirSync(app);
  try {
    mustRun('npx projen compile', ROOT);
    const packed = JSON.parse(mustRun(`npm pack --json --pack-destination ${JSON.stringify(scratch)}`, ROOT, {}, true).stdout) as { filename: string; files: { path: string }[] }[];
    checkPackedFiles(packed[0].files.map((file) => file.path));
    const tarball = path.join(scratch, packed[0].filename);
    const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

    const setup = readmeSetup(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true }, null, 2));
    for (const line of setup.install) {
      // the README installs from the registry; here the package is the tarball just packed.
      mustRun(line.replace(/(^|\s)cdk8s-hardened(?=\s|$)/, `$1${JSON.stringify(tarball)}`) + ' --no-audit --no-fund', app);
    }
    for (const [name, content] of setup.files) fs.writeFileSync(path.join(app, name), content);
    for (const name of fs.readdirSync(APP_FILES)) fs.copyFileSync(path.join(APP_FILES, name), path.join(app, name));

    // the installed package carries no source maps embedding src/.
    const installedLib = path.join(app, 'node_modules', 'cdk8s-hardened', 'lib');
    const withMaps = (fs.readdirSync(installedLib, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.js') && fs.readFileSync(path.join(installedLib, file), 'utf8').includes('sourceMappingURL'));
    assert(withMaps.length === 0, `lib/ embeds source maps: ${withMaps.join(', ')}`);

    const env = { CDK8S_CHECK_UPGRADE: 'false', CI: 'true' };
    for (const command of setup.commands) mustRun(command, app, env);

    // what the commands must have shown.
    const version = mustRun('npx cdk8s-hardened --version', app).stdout.trim();
    assert(version === packageJson.version, `--version prints ${version}, package.json says ${packageJson.version}`);
    assert(fs.existsSync(path.join(app, 'dist', 'construct-metadata.json')), 'cdk8s synth with the plugin wrote no construct-metadata.json, so the skip is untested');
    const report = JSON.parse(mustRun('npx cdk8s-hardened check dist/ --format json', app, {}, true).stdout) as { summary: { objects: number; bySeverity: Record<string, number>; skippedFiles?: { file: string }[] } };
    assert(report.summary.objects > 0 && report.summary.bySeverity.error + report.summary.bySeverity.warning === 0, `dist/ has findings: ${JSON.stringify(report.summary)}`);
    assert(report.summary.skippedFiles?.length === 1, `construct-metadata.json is not reported as skipped: ${JSON.stringify(report.summary)}`);
    mustRun('npx jest -c jest.plain.config.js', app);

    // a suite that must fail does, with a message that names the rule and the fix.
    const failing = run('npx jest --testMatch "**/must-fail.check.ts"', app);
    const output = `${failing.stdout}${failing.stderr}`;
    assert(failing.status === 1, `the must-fail suite exited ${failing.status}, not 1`);
    for (const expected of ['expected no unsuppressed finding at or above error in pack hardened', 'pss-privileged', 'Fix: ']) {
      assert(output.includes(expected), `the must-fail suite's message lacks "${expected}"`);
    }
    process.stdout.write(`\nconsumer test passed in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  } finally {
    if (process.env.KEEP_CONSUMER_APP === '1') process.stdout.write(`kept ${app}\n`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`\nconsumer test failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
