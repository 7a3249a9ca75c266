import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { CliIo, ExitCode, main } from '../../src/cli/main';
import type { SecurityDiff } from '../../src/diff/security-diff';

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const NOW = new Date('2026-12-01T00:00:00Z');

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { now: NOW, cwd: ROOT, stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, readStdin: async () => '' };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

type Doc = Record<string, any>;

/** a copy of dist/ with `edit` applied to each file's documents. */
function modifiedCopy(edit: (file: string, docs: Doc[]) => Doc[]): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-dist-'));
  for (const file of fs.readdirSync(DIST).filter((name) => name.endsWith('.yaml')).sort()) {
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(DIST, file), 'utf8')).map((doc) => doc.toJS() as Doc).filter(Boolean);
    const edited = edit(file, docs);
    fs.writeFileSync(path.join(directory, file), edited.map((doc) => YAML.stringify(doc)).join('---\n'));
  }
  return directory;
}

function find(docs: Doc[], kind: string, name: string): Doc {
  const found = docs.find((doc) => doc.kind === kind && doc.metadata?.name === name);
  if (!found) throw new Error(`dist/ has no ${kind} ${name}`);
  return found;
}

describe('diff | committed dist/ against a modified copy', () => {
  let head: string;
  let diff: SecurityDiff;
  let exitCode: number;

  beforeAll(async () => {
    head = modifiedCopy((file, docs) => {
      if (file !== 'shop.k8s.yaml') return docs;
      // reachability: web no longer reaches api; the internet reaches web on 443.
      const kept = docs.filter((doc) => !(doc.kind === 'NetworkPolicy' && doc.metadata.name === 'egress-web-to-api'));
      kept.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web-from-internet', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }] },
      });
      // exceptions and findings: api runs privileged, excused for 10 days.
      const api = find(kept, 'Deployment', 'api');
      api.spec.template.spec.containers[0].securityContext.privileged = true;
      api.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
      api.metadata.annotations = { ...api.metadata.annotations, 'ignore-check.cdk8s-hardened.io/pss-privileged': 'debugging a kernel module load for the incident review', 'ignore-check-expires.cdk8s-hardened.io/pss-privileged': '2026-12-10' };
      // permissions: the web account may now read everything in shop.
      kept.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'web-view', namespace: 'shop' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
      });
      // exposure: web becomes a LoadBalancer.
      const service = find(kept, 'Service', 'web');
      service.spec.type = 'LoadBalancer';
      return kept;
    });
    const result = await cli(['diff', 'dist', head, '--format', 'json']);
    exitCode = result.code;
    expect(result.stderr).toBe('');
    diff = JSON.parse(result.stdout);
  });

  afterAll(() => fs.rmSync(head, { recursive: true, force: true }));

  test('dist/ against itself, as a directory and as the committed revision, is empty', async () => {
    expect(await cli(['diff', 'dist', 'dist'])).toEqual({ code: 0, stdout: '', stderr: '' });
    // the committed revision against itself: a working copy with uncommitted dist/ edits still passes.
    const fromGit = await cli(['diff', 'git:HEAD:dist', 'git:HEAD', '--format', 'json']);
    expect(fromGit.stderr).toBe('');
    const parsed = JSON.parse(fromGit.stdout);
    expect(parsed.summary).toMatchObject({ base: 'git:HEAD:dist', head: 'git:HEAD', changed: false });
  });

  test('reachability: the removed policy and the internet ingress both show', () => {
    const flows = (side: 'added' | 'removed') => diff.reachability[side].map((flow) => `${flow.source.id} -> ${flow.destination.id} ${flow.ports}/${flow.protocol}`);
    expect(flows('removed')).toEqual(['shop/Deployment/web -> shop/Deployment/api 8080/TCP']);
    // 0.0.0.0/0 admits private and reserved addresses as well as the internet.
    expect(flows('added')).toEqual(['internet (IPv4) -> shop/Deployment/web 443/TCP', 'private or reserved (IPv4) -> shop/Deployment/web 443/TCP']);
  });

  test('exceptions: the new one is listed and flagged as expiring within 30 days', () => {
    expect(diff.exceptions.added.map((entry) => `${entry.object.name} ${entry.ruleId} ${entry.expires}`)).toEqual(['api pss-privileged 2026-12-10']);
    expect(diff.exceptions.expiringSoon).toHaveLength(1);
  });

  test('findings: privilege escalation is new (the privileged one is excused); the binding is flagged', () => {
    const found = diff.findings.new.map((finding) => `${finding.ruleId} ${finding.object.kind}/${finding.object.name}`);
    expect(found).toContain('pss-allow-privilege-escalation Deployment/api');
    expect(found).not.toContain('pss-privileged Deployment/api');
    expect(exitCode).toBe(ExitCode.FINDINGS);
  });

  test('permissions: the web account gains view in shop, built-in role included', () => {
    expect(diff.permissions.added.length).toBeGreaterThan(0);
    expect(new Set(diff.permissions.added.map((permission) => `${permission.subject.namespace}/${permission.subject.name} in ${permission.scope}`))).toEqual(new Set(['shop/web in shop']));
    expect(diff.permissions.added).toEqual(expect.arrayContaining([expect.objectContaining({ verb: 'list', apiGroup: '', resource: 'pods' })]));
    expect(diff.permissions.removed).toEqual([]);
  });

  test('exposure: the LoadBalancer shows as changed-from-nothing', () => {
    expect(diff.exposure.added.map((entry) => `${entry.object.namespace}/${entry.object.kind}/${entry.object.name}`)).toEqual(['shop/Service/web']);
  });

  test('markdown opens with the summary line and has a table per section', async () => {
    const result = await cli(['diff', 'dist', head]);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^\*\*cdk8s-hardened diff\*\* `dist` → `.*`: flows \+2 −1; exceptions \+1 −0 ~0; findings \d+ new, \d+ fixed; permissions \+\d+ −0; exposure \+1 −0 ~0$/);
    for (const title of ['Reachability: newly allowed', 'Reachability: no longer allowed', 'Exceptions added', 'Exceptions expiring within 30 days', 'Findings: new', 'Permissions gained', 'Exposure added']) {
      expect(result.stdout).toContain(`### ${title}`);
    }
    // deterministic: a second run is byte-identical.
    expect((await cli(['diff', 'dist', head])).stdout).toBe(result.stdout);
  });

  test('sarif carries the new findings for code scanning', async () => {
    const result = await cli(['diff', 'dist', head, '--format', 'sarif', '--sarif-root', ROOT]);
    const log = JSON.parse(result.stdout);
    expect(log.version).toBe('2.1.0');
    const ruleIds = log.runs[0].results.map((entry: { ruleId: string }) => entry.ruleId);
    expect(ruleIds).toContain('pss-allow-privilege-escalation');
    expect(ruleIds).toHaveLength(diff.findings.new.length);
  });

  test('--fail-on warning also fails on new warnings; the report of one tree lists its flows', async () => {
    expect((await cli(['diff', 'dist', 'dist', '--fail-on', 'warning'])).code).toBe(ExitCode.CLEAN);
    const report = await cli(['report', 'dist']);
    expect(report.code).toBe(ExitCode.CLEAN);
    expect(report.stdout.split('\n')[0]).toMatch(/^\*\*cdk8s-hardened report\*\* of `dist`: \d+ allowed flows/);
    expect(report.stdout).toContain('| shop/Deployment/web | shop/Deployment/api | 8080 | TCP |');
    expect(report.stdout).toContain('### Exceptions');
    expect(report.stdout).toContain('### Permissions');
  });
});

describe('diff | bad input', () => {
  test('a missing tree names the path and exits 2', async () => {
    const result = await cli(['diff', 'dist', 'no-such-dir']);
    expect(result.code).toBe(ExitCode.USAGE_OR_INPUT);
    expect(result.stderr).toMatch(/^cdk8s-hardened: no-such-dir: cannot read/);
  });

  test('an unknown revision names it and exits 2', async () => {
    const result = await cli(['diff', 'git:no-such-revision-13:dist', 'dist']);
    expect(result.code).toBe(ExitCode.USAGE_OR_INPUT);
    expect(result.stderr).toMatch(/git:no-such-revision-13:dist: cannot read dist at no-such-revision-13/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('broken YAML names the file and line', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-bad-'));
    const file = path.join(directory, 'bad.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [unclosed\n');
    const result = await cli(['diff', 'dist', file]);
    fs.rmSync(directory, { recursive: true, force: true });
    expect(result.code).toBe(ExitCode.USAGE_OR_INPUT);
    expect(result.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: `));
  });
});
