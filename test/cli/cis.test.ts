import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo, main } from '../../src/cli/main';

const ROOT = path.join(__dirname, '..', '..');
const NODE_FILES = path.join(ROOT, 'node-files');
const MINI = path.join(__dirname, '..', 'benchmark', 'fixtures', 'mini-benchmark');
const CIS_18 = path.resolve(ROOT, '..', 'shared', 'corpus', 'kube-bench-cis-1.8');

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, readStdin: async () => '' };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('cdk8s-hardened cis |', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-cis-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('reports every check of the benchmark as text or JSON, exit 0 when no automated check fails', async () => {
    const text = await run(['cis', NODE_FILES, '--benchmark', MINI]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('mini-1.0: kube-bench checks evaluated offline');
    expect(text.stdout).toMatch(/^N\/A {4}1\.1\.8 file permissions/m);
    const json = await run(['cis', NODE_FILES, '--benchmark', MINI, '--format', 'json']);
    const report = JSON.parse(json.stdout);
    expect(report.results).toHaveLength(11);
    expect(report.counts).toEqual({ 'pass': 6, 'fail': 1, 'manual': 1, 'not-applicable': 3 });
  });

  test('exits 1 when an automated check fails', async () => {
    const kubeadm = fs.readFileSync(path.join(NODE_FILES, 'kubeadm-config.yaml'), 'utf8').replace('    profiling: "false"\n', '    profiling: "true"\n');
    fs.writeFileSync(path.join(dir, 'kubeadm-config.yaml'), kubeadm);
    const result = await run(['cis', dir, '--benchmark', MINI]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {3}1\.1\.1 /m);
  });

  test('exits 2 with one line naming the folder when there is no kubeadm configuration or benchmark', async () => {
    const empty = await run(['cis', dir, '--benchmark', MINI]);
    expect([empty.code, empty.stderr]).toEqual([2, `cdk8s-hardened: ${dir}: no YAML file with a kubeadm ClusterConfiguration (kubeadm.k8s.io/v1beta3 or v1beta4)\n`]);
    const missing = await run(['cis', NODE_FILES, '--benchmark', path.join(dir, 'none')]);
    expect([missing.code, missing.stderr]).toEqual([2, `cdk8s-hardened: ${path.join(dir, 'none')}: no such benchmark definition folder\n`]);
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'a: [1\n');
    const bad = await run(['cis', dir, '--benchmark', MINI]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:\d+: /);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  (fs.existsSync(path.join(CIS_18, 'master.yaml')) ? test : test.skip)('passes CIS 1.8 on the committed node files, as Markdown', async () => {
    const result = await run(['cis', NODE_FILES, '--benchmark', CIS_18, '--format', 'markdown']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('| 1.2.16 | Ensure that the --profiling argument is set to false (Automated) | PASS |  |');
  });
});
