import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo, main } from '../../src/cli/main';
import { CANARY_CHECKS, PROBE_REPORT_FORMAT } from '../../src/runtime';

async function run(argv: string[], stdin = '', stdinIsTTY = false) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, readStdin: async () => stdin, stdinIsTTY };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const line = (check: string, category: string, expected: string, observed: string, source = 'shop/web') =>
  JSON.stringify({ format: PROBE_REPORT_FORMAT, check, category, source, target: 'x.shop.svc.cluster.local:80', expected, observed, verdict: 'pass' });
const canaries = (closed = 'TIMEOUT') => [
  line(CANARY_CHECKS.OPEN, 'canary', 'connect', 'CONNECTED'),
  line(CANARY_CHECKS.LISTENER, 'canary', 'refused', 'REFUSED'),
  line(CANARY_CHECKS.CLOSED, 'canary', 'blocked', closed),
];

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-report-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });
const write = (name: string, text: string) => { const file = path.join(dir, name); fs.writeFileSync(file, text); return file; };

describe('cdk8s-hardened probe-report |', () => {
  test('0 and a one-line verdict when every check passed, over several logs', async () => {
    const web = write('web.log', [...canaries(), line('declared:shop/api:8080', 'declared', 'connect', 'CONNECTED')].join('\n'));
    const worker = write('worker.log', canaries().map((l) => l.replace('shop/web', 'jobs/worker')).join('\n'));
    const result = await run(['probe-report', web, worker]);
    expect(result).toEqual({ code: 0, stderr: '', stdout: 'network policy probe: pass (7 checks from 2 sources)\n- the canaries show enforcement and all 7 checks passed\n' });
  });

  test('1 when the CNI does not enforce policy; JSON on request', async () => {
    const result = await run(['probe-report', '--format', 'json', write('web.log', canaries('CONNECTED').join('\n'))]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'not-enforced', reasons: ['the closed canary answered (shop/web: CONNECTED): the CNI does not enforce NetworkPolicy'] });
  });

  test('1 when inconclusive; reads standard input when piped', async () => {
    const result = await run(['probe-report'], canaries().slice(0, 2).join('\n'));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^network policy probe: inconclusive/);
  });

  test('2 with the file, line and field of a broken report line, never a stack trace', async () => {
    const file = write('web.log', ['starting', line('c', 'declared', 'connect', 'MAYBE')].join('\n'));
    const result = await run(['probe-report', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`cdk8s-hardened: ${file}:2: observed: "MAYBE" is not one of CONNECTED, TIMEOUT, REFUSED, DNS, OTHER, UNKNOWN\n`);
  });

  test('2 for a log without report lines, a missing file and a directory', async () => {
    expect((await run(['probe-report', write('empty.log', 'nothing here\n')])).stderr).toMatch(/holds no probe report line/);
    expect((await run(['probe-report', path.join(dir, 'missing.log')])).stderr).toMatch(/missing\.log: cannot be read \(ENOENT\)/);
    expect((await run(['probe-report', dir])).stderr).toMatch(/is not a file/);
    expect((await run(['probe-report', '--max-file-size', '10', write('big.log', canaries().join('\n'))])).stderr).toMatch(/is larger than --max-file-size/);
  });

  test('2 with usage on a terminal without files', async () => {
    const result = await run(['probe-report'], '', true);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/probe-report needs log files/);
  });
});
