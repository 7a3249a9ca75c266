/**
 * Diff speed against check speed on a 20k-object tree: the reference platform's namespaced
 * objects copied into as many renamed namespaces as it takes, and a head with one namespace
 * changed (a label that opens a flow, a new LoadBalancer, a binding to a built-in role, a new
 * exception). The goal: `diff BASE HEAD` takes at most 3x `check HEAD`.
 *
 *   npx ts-node --transpile-only --project test/tsconfig.json bench/diff.ts [objects]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { main } from '../src/cli/main';

type Doc = Record<string, any>;
const DIST = path.join(__dirname, '..', 'dist');
const target = Number(process.argv[2] ?? 20_000);

const docs: Doc[] = fs.readdirSync(DIST).filter((file) => file.endsWith('.yaml')).sort()
  .flatMap((file) => YAML.parseAllDocuments(fs.readFileSync(path.join(DIST, file), 'utf8')).map((doc) => doc.toJS() as Doc).filter(Boolean));
const namespaces = new Set(docs.filter((doc) => doc.kind === 'Namespace').map((doc) => doc.metadata.name as string));
const clusterScoped = docs.filter((doc) => doc.kind !== 'Namespace' && !doc.metadata?.namespace);
const perCopy = docs.filter((doc) => doc.kind === 'Namespace' || doc.metadata?.namespace);

/** every string equal to a namespace name gets the copy's suffix. */
function rename(value: unknown, suffix: string): unknown {
  if (typeof value === 'string') return namespaces.has(value) ? `${value}-${suffix}` : value;
  if (Array.isArray(value)) return value.map((item) => rename(item, suffix));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rename(item, suffix)]));
  return value;
}

function write(directory: string, copies: Doc[][]): void {
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, '0000-cluster.yaml'), clusterScoped.map((doc) => YAML.stringify(doc)).join('---\n'));
  copies.forEach((copy, index) => fs.writeFileSync(path.join(directory, `${String(index + 1).padStart(4, '0')}.yaml`), copy.map((doc) => YAML.stringify(doc)).join('---\n')));
}

async function timed(argv: string[]): Promise<{ ms: number; code: number; bytes: number }> {
  let bytes = 0;
  const started = process.hrtime.bigint();
  const code = await main(argv, { stdout: (text) => { bytes += text.length; }, stderr: (text) => process.stderr.write(text), readStdin: async () => '' });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, code, bytes };
}

async function run(): Promise<void> {
  const copies = Math.ceil((target - clusterScoped.length) / perCopy.length);
  const base = Array.from({ length: copies }, (_, index) => perCopy.map((doc) => rename(doc, `c${index}`) as Doc));
  const head = base.map((copy) => copy.map((doc) => structuredClone(doc)));
  const changed = head[Math.floor(copies / 2)];
  const worker = changed.find((doc) => doc.kind === 'Deployment' && doc.metadata.name === 'worker');
  if (worker) worker.spec.template.metadata.labels['app.kubernetes.io/component'] = 'frontend';
  const web = changed.find((doc) => doc.kind === 'Service' && doc.metadata.name === 'web');
  if (web) web.spec.type = 'LoadBalancer';
  const api = changed.find((doc) => doc.kind === 'Deployment' && doc.metadata.name === 'api');
  if (api) api.metadata.annotations = { ...api.metadata.annotations, 'ignore-check.cdk8s-hardened.io/container-probes': 'the vendor image has no health endpoint yet' };
  changed.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'web-edit', namespace: web?.metadata.namespace ?? 'default' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
    subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: web?.metadata.namespace ?? 'default' }],
  });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-diff-'));
  try {
    write(path.join(root, 'base'), base);
    write(path.join(root, 'head'), head);
    const objects = clusterScoped.length + copies * perCopy.length;
    const limits = ['--max-total-size', '2G'];
    // warm up module loading so neither side pays for it.
    await timed(['check', path.join(root, 'head'), '--format', 'json', ...limits]);
    const check = await timed(['check', path.join(root, 'head'), '--format', 'json', ...limits]);
    const diff = await timed(['diff', path.join(root, 'base'), path.join(root, 'head'), '--format', 'json', ...limits]);
    const same = await timed(['diff', path.join(root, 'base'), path.join(root, 'base'), '--format', 'json', ...limits]);
    const ratio = diff.ms / check.ms;
    const result = {
      objects,
      checkMs: Math.round(check.ms),
      diffMs: Math.round(diff.ms),
      identicalDiffMs: Math.round(same.ms),
      ratio: Number(ratio.toFixed(2)),
      goal: 3,
    };
    console.log(JSON.stringify(result));
    if (ratio > 3) process.exitCode = 1;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void run();
