import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI_V8_FLAGS, CliIo, main } from '../../src/cli/main';

const FIXTURES = path.join(__dirname, 'fixtures');
const CLEAN = path.join(FIXTURES, 'clean.yaml');
const FINDINGS = path.join(FIXTURES, 'findings.yaml');
const ROOT = path.join(__dirname, '..', '..');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: string[], stdin: string | Buffer = '', stdinIsTTY = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
    readStdin: async () => stdin,
    stdinIsTTY,
    now: new Date('2026-03-15T00:00:00Z'),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-cli-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('exit codes', () => {
  test('0 when nothing reaches --fail-on', async () => {
    const result = await run(['check', CLEAN]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/pack hardened: no findings\n$/);
  });

  test('1 when an unsuppressed finding reaches --fail-on (error by default)', async () => {
    const result = await run(['check', FINDINGS]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${FINDINGS}:21: error pss-privileged: container "app" sets privileged: true`);
  });

  test('--fail-on warning also fails on warnings; suppressed findings never fail', async () => {
    const nodePort = write('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\nspec: {type: NodePort}\n');
    expect((await run(['check', nodePort])).code).toBe(0);
    expect((await run(['check', '--fail-on', 'warning', nodePort])).code).toBe(1);
    const quiet = write('quiet.yaml', fs.readFileSync(nodePort, 'utf8').replace('metadata: {name: s, namespace: shop}',
      'metadata: {name: s, namespace: shop, annotations: {ignore-check.cdk8s-hardened.io/service-node-port: "the lab load balancer needs node ports"}}'));
    expect((await run(['check', '--fail-on', 'warning', quiet])).code).toBe(0);
  });

  test('--pack selects the rules', async () => {
    const result = await run(['check', '--pack', 'pss-baseline', '--format', 'json', FINDINGS]);
    expect(result.code).toBe(1);
    expect(new Set(JSON.parse(result.stdout).findings.map((finding: { ruleId: string }) => finding.ruleId))).toEqual(new Set(['pss-privileged']));
  });

  test.each([
    ['no command', []],
    ['an unknown command', ['lint', CLEAN]],
    ['an unknown option', ['check', '--strict', CLEAN]],
    ['an unknown pack', ['check', '--pack', 'restricted', CLEAN]],
    ['an unknown format', ['check', '--format', 'xml', CLEAN]],
    ['an unknown --fail-on', ['check', '--fail-on', 'info', CLEAN]],
    ['a missing option value', ['check', CLEAN, '--output']],
  ])('2 for a usage error: %s', async (_name, argv) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('0 for --help and --version', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('check') });
    expect(await run(['check', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.') });
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(version).not.toBe('0.0.0');
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('check without paths on a terminal prints usage and exits 2 instead of waiting', async () => {
    const result = await run(['check'], '', true);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^cdk8s-hardened: check needs files, directories or - \(standard input\)\n\nUsage: cdk8s-hardened check \[options\] \[paths\.\.\.\]/);
  });

  test('check without paths reads piped standard input', async () => {
    const result = await run(['check', '--format', 'json'], fs.readFileSync(FINDINGS));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings[0].file).toBe('<stdin>');
  });
});

describe('bad input: exit 2, one line naming the file (and line), no stack trace', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['invalid YAML', () => [write('bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n')], /bad\.yaml:\d+: invalid YAML: /],
    ['an alias bomb', () => [write('bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: &a [x,x,x,x,x,x,x,x,x,x]\n${'bcdefgh'.split('').map((c, i) => `  ${c}: &${c} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(',')}]`).join('\n')}\n`)], /bomb\.yaml:1: document 1: YAML aliases expand/],
    ['a binary file', () => [write('bin.yaml', Buffer.from([0x61, 0x3a, 0x00, 0x01]))], /bin\.yaml:1: binary file/],
    ['a non-UTF-8 file', () => [write('latin.yaml', Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]))], /latin\.yaml:1: not UTF-8 text/],
    ['a document that is not a mapping', () => [write('list.yaml', '- a\n- b\n')], /list\.yaml:1: document 1: is a list, not a mapping/],
    ['an object without kind', () => [write('nokind.yaml', 'apiVersion: v1\nmetadata: {name: x}\n')], /nokind\.yaml:1: document 1: kind is missing/],
    ['an object without apiVersion', () => [write('noapi.yaml', 'kind: Pod\nmetadata: {name: x}\n')], /noapi\.yaml:1: document 1: apiVersion is missing/],
    ['an object without metadata.name', () => [write('noname.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {}\n')], /noname\.yaml:3: document 1: metadata\.name is missing/],
    ['an unreadable path', () => [path.join(dir, 'missing.yaml')], /missing\.yaml: cannot read: no such file or directory/],
    ['an empty file', () => [write('empty.yaml', '')], /empty\.yaml: empty input/],
    ['no paths and nothing piped', () => [], /<stdin>: empty input: no Kubernetes objects on standard input/],
  ];
  test.each(cases)('%s', async (_name, paths, message) => {
    const result = await run(['check', ...paths()]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^cdk8s-hardened: .*${message.source}.*\\n$`));
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  test('empty standard input', async () => {
    expect(await run(['check', '-'], '')).toMatchObject({ code: 2, stderr: 'cdk8s-hardened: <stdin>: empty input: no Kubernetes objects on standard input\n' });
  });
});

describe('input and output', () => {
  test('reads standard input for -', async () => {
    const result = await run(['check', '--format', 'json', '-'], fs.readFileSync(FINDINGS));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings[0]).toMatchObject({ file: '<stdin>', line: expect.any(Number) });
  });

  test('reads directories recursively', async () => {
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.copyFileSync(FINDINGS, path.join(dir, 'nested', 'findings.yml'));
    fs.copyFileSync(CLEAN, path.join(dir, 'clean.yaml'));
    const result = await run(['check', '--format', 'json', dir]);
    expect(result.code).toBe(1);
    expect(new Set(JSON.parse(result.stdout).findings.map((finding: { file: string }) => path.relative(dir, finding.file)))).toEqual(new Set(['nested/findings.yml']));
  });

  test('skips cdk8s construct metadata by its content and says so in the summary', async () => {
    fs.copyFileSync(CLEAN, path.join(dir, 'app.k8s.yaml'));
    const metadata = JSON.stringify({ 'version': '1.0.0', 'resources': { web: { path: 'app/web/Resource' } }, 'cdk8s-hardened/objects': [] });
    write('construct-metadata.json', metadata);
    write('renamed-metadata.json', metadata);
    const text = await run(['check', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`skipped file ${path.join(dir, 'construct-metadata.json')} (cdk8s construct metadata, not a manifest), ${path.join(dir, 'renamed-metadata.json')} (cdk8s construct metadata, not a manifest)`);
    const json = JSON.parse((await run(['check', '--format', 'json', dir])).stdout);
    expect(json.summary.skippedFiles).toEqual([
      { file: path.join(dir, 'construct-metadata.json'), reason: 'cdk8s construct metadata, not a manifest' },
      { file: path.join(dir, 'renamed-metadata.json'), reason: 'cdk8s construct metadata, not a manifest' },
    ]);
    // a JSON manifest is still a manifest, and JSON that is neither is still an input error.
    write('construct-metadata.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, resources: {}, version: '1' }));
    expect(JSON.parse((await run(['check', '--format', 'json', dir])).stdout).summary.objects).toBeGreaterThan(1);
    write('construct-metadata.json', JSON.stringify({ version: '1.0.0' }));
    expect(await run(['check', dir])).toMatchObject({ code: 2, stderr: expect.stringMatching(/construct-metadata\.json:1: document 1: kind is missing/) });
  });

  test('--format json writes the report shape to standard output', async () => {
    const result = await run(['check', '--format', 'json', FINDINGS]);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['findings', 'summary']);
    expect(json.findings[0]).toEqual({
      ruleId: expect.any(String),
      severity: expect.stringMatching(/^(error|warning|info)$/),
      kind: expect.any(String),
      apiVersion: expect.any(String),
      namespace: 'shop',
      name: expect.any(String),
      file: FINDINGS,
      line: expect.any(Number),
      path: expect.any(String),
      message: expect.any(String),
      remediation: expect.any(String),
      ...(json.findings[0].pss ? { pss: expect.any(Object) } : {}),
      suppressed: expect.any(Boolean),
      ...(json.findings[0].reason ? { reason: expect.any(String) } : {}),
    });
    expect(json.summary).toMatchObject({ pack: 'hardened', objects: 3, skipped: {} });
  });

  test('a report of many findings, written in pieces, is the same text on standard output and in --output', async () => {
    const pods = Array.from({ length: 60 }, (_, index) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${index}, namespace: shop}\nspec:\n  containers: [{name: app, image: nginx, securityContext: {privileged: true}}]\n`);
    const input = write('pods.yaml', pods.join('---\n'));
    const printed = await run(['check', '--format', 'json', input]);
    const report = JSON.parse(printed.stdout);
    // more than one piece of 100 findings.
    expect(report.findings.length).toBeGreaterThan(250);
    expect(printed.stdout).toBe(`${JSON.stringify(report, null, 2)}\n`);
    const output = path.join(dir, 'report.json');
    expect((await run(['check', '--format', 'json', '--output', output, input])).code).toBe(printed.code);
    expect(fs.readFileSync(output, 'utf8')).toBe(printed.stdout);
  });

  test('--format sarif writes SARIF 2.1.0', async () => {
    const result = await run(['check', '--format', 'sarif', FINDINGS]);
    const sarif = JSON.parse(result.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.name).toBe('cdk8s-hardened');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
  });

  test('--output writes the report atomically and leaves no temporary file', async () => {
    const output = path.join(dir, 'report.json');
    fs.writeFileSync(output, 'old');
    const result = await run(['check', '--format', 'json', '--output', output, FINDINGS]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^cdk8s-hardened: wrote the json report to .*report\.json: 3 objects/);
    expect(JSON.parse(fs.readFileSync(output, 'utf8')).findings.length).toBeGreaterThan(0);
    expect(fs.readdirSync(dir)).toEqual(['report.json']);
  });

  test('--output into a missing directory or over an input is an error (exit 2) and writes nothing', async () => {
    expect((await run(['check', '--output', path.join(dir, 'no', 'such', 'dir.json'), CLEAN])).code).toBe(2);
    const input = write('input.yaml', fs.readFileSync(CLEAN, 'utf8'));
    const result = await run(['check', '--output', input, input]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--output names one of the inputs/);
    expect(fs.readFileSync(input, 'utf8')).toBe(fs.readFileSync(CLEAN, 'utf8'));
  });
});

describe('output that cannot crash or destroy', () => {
  test.each([
    ['a symbolic link', (target: string) => { fs.symlinkSync(target, path.join(dir, 'out.json')); return path.join(dir, 'out.json'); }, /--output is a symbolic link/],
    ['a directory', () => dir, /--output is a directory/],
    ['a FIFO', () => { const fifo = path.join(dir, 'fifo'); spawnSync('mkfifo', [fifo]); return fifo; }, /--output is a FIFO/],
    ['a device', () => '/dev/null', /--output is a device/],
    ['/dev/stdout', () => '/dev/stdout', /--output is a (symbolic link|device)/],
  ])('--output refuses %s with exit 2 and leaves it as it was', async (_name, make, message) => {
    const target = path.join(dir, 'target.txt');
    fs.writeFileSync(target, 'keep me');
    const output = make(target);
    const before = fs.lstatSync(output);
    const result = await run(['check', '--format', 'json', '--output', output, FINDINGS]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    const after = fs.lstatSync(output);
    expect([after.mode, after.ino, after.rdev]).toEqual([before.mode, before.ino, before.rdev]);
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
  });

  test('--pod-spec-path declares a kind\'s pod spec; a malformed one is a usage error', async () => {
    const runner = write('runner.yaml', 'apiVersion: example.com/v1\nkind: Runner\nmetadata: {name: r, namespace: shop}\nspec:\n  pod:\n    containers: [{name: a, image: x, securityContext: {privileged: true}}]\n');
    const unchecked = await run(['check', '--pack', 'pss-baseline', '--format', 'json', runner]);
    expect(JSON.parse(unchecked.stdout).findings.map((finding: { ruleId: string }) => finding.ruleId)).toEqual(['pod-spec-unchecked']);
    expect(unchecked.code).toBe(0);
    const declared = await run(['check', '--pack', 'pss-baseline', '--format', 'json', '--pod-spec-path', 'example.com/Runner=spec.pod', runner]);
    expect(declared.code).toBe(1);
    expect(JSON.parse(declared.stdout).findings.map((finding: { path: string }) => finding.path)).toEqual(['spec.pod.containers[0].securityContext.privileged']);
    const bad = await run(['check', '--pod-spec-path', 'Runner', runner]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"Runner" is not Kind=dotted\.path/);
  });

  test('--max-file-size and --max-total-size take sizes with K/M/G', async () => {
    const result = await run(['check', '--max-file-size', '100', FINDINGS]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`cdk8s-hardened: ${FINDINGS}: larger than --max-file-size (100 bytes): split the file or raise the limit\n`);
    expect((await run(['check', '--max-file-size', '1k', '--max-total-size', '1K', '-'], 'x'.repeat(1025))).stderr).toMatch(/<stdin>: larger than --max-file-size \(1024 bytes\)/);
    expect((await run(['check', '--max-file-size', '2M', '--max-total-size', '8M', CLEAN])).code).toBe(0);
    expect((await run(['check', '--max-file-size', 'lots', CLEAN])).code).toBe(2);
  });

  test('file names with control characters are escaped in error messages', async () => {
    const evil = write('evil\n\u001b[2Jname.yaml', 'kind: Pod\n');
    const result = await run(['check', evil]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).toContain('evil\\n\\x1b[2Jname.yaml');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('--format sarif names standard input `stdin` and places paths under %SRCROOT% (or --sarif-root)', async () => {
    const piped = JSON.parse((await run(['check', '--format', 'sarif', '-'], fs.readFileSync(FINDINGS))).stdout);
    expect(piped.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toMatchObject({ uri: 'stdin', uriBaseId: '%SRCROOT%' });
    const rooted = JSON.parse((await run(['check', '--format', 'sarif', '--sarif-root', FIXTURES, FINDINGS])).stdout);
    expect(rooted.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${FIXTURES}/`);
    expect(rooted.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toMatchObject({ uri: 'findings.yaml', uriBaseId: '%SRCROOT%' });
    // by default the root is the repository's: this test runs inside one.
    const repo = JSON.parse((await run(['check', '--format', 'sarif', FINDINGS])).stdout);
    expect(repo.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('test/cli/fixtures/findings.yaml');
  });
});

describe('V8 settings of the CLI process', () => {
  // setFlagsFromString ignores a flag V8 does not know: node itself refuses one, so a typo fails here.
  test.each(CLI_V8_FLAGS.split(' '))('node accepts %s', (flag) => {
    const result = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('as a process', () => {
  const script = [
    "require('ts-node').register({ transpileOnly: true, project: 'test/tsconfig.json' });",
    "require('./src/cli/main').run(process.argv.slice(1)).then(() => {",
    '  const loaded = Object.keys(require.cache).filter((file) => /node_modules[\\\\/](cdk8s|cdk8s-plus-28|constructs|yaml|node-sarif-builder)[\\\\/]/.test(file));',
    "  process.stderr.write('LOADED ' + JSON.stringify([...new Set(loaded.map((file) => file.split(/node_modules[\\\\/]/)[1].split(/[\\\\/]/)[0]))].sort()) + '\\n');",
    '});',
  ].join('\n');
  const spawn = (args: string[], input?: string) => spawnSync(process.execPath, ['-e', script, '--', ...args], { cwd: ROOT, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

  test('loads neither cdk8s nor, for a clean text run, yaml or node-sarif-builder', () => {
    const result = spawn(['check', CLEAN]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('LOADED []');
  }, 30_000);

  test('sets the exit code without truncating a large report on a pipe', () => {
    const many = Array.from({ length: 400 }, (_, i) => fs.readFileSync(FINDINGS, 'utf8').replace(/name: web/g, `name: web-${i}`)).join('\n---\n');
    const result = spawn(['check', '--format', 'json', '-'], many);
    expect(result.status).toBe(1);
    expect(result.stdout.length).toBeGreaterThan(64 * 1024);
    expect(JSON.parse(result.stdout).summary.objects).toBe(1200);
  }, 60_000);

  const many = () => Array.from({ length: 300 }, (_, i) => fs.readFileSync(FINDINGS, 'utf8').replace(/name: web/g, `name: web-${i}`)).join('\n---\n');
  const shell = (command: string, input?: string) => spawnSync('bash', ['-c', command], { cwd: ROOT, input, encoding: 'utf8', env: { ...process.env, SCRIPT: script } });

  test('a reader that closes the pipe (| head) ends the output quietly with the exit code already decided', () => {
    const result = shell('node -e "$SCRIPT" -- check - 2>"$ERR" | head -c 100 >/dev/null; echo "status=${PIPESTATUS[0]}"; cat "$ERR"'.replace(/\$ERR/g, path.join(dir, 'err')), many());
    expect(result.stdout).toMatch(/^status=1\n/);
    expect(result.stdout).not.toMatch(/EPIPE|Error|at /);
  }, 60_000);

  test('a full disk on standard output is one line and exit 2', () => {
    const result = shell('node -e "$SCRIPT" -- check - >/dev/full; echo "status=$?"', many());
    expect(result.stdout).toBe('status=2\n');
    expect(result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('LOADED'))).toEqual(['cdk8s-hardened: cannot write to standard output: ENOSPC']);
  }, 60_000);

  test('standard input that never ends (/dev/zero) is refused at the limit', () => {
    const result = shell('node -e "$SCRIPT" -- check --max-file-size 2M - </dev/zero; echo "status=$?"');
    expect(result.stdout).toBe('status=2\n');
    expect(result.stderr).toContain('cdk8s-hardened: <stdin>: larger than --max-file-size (2 MiB)');
  }, 60_000);
});
