import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as yaml from 'js-yaml';
import { FlowPort, HardenedDeployment, HardenedNamespace, NAMESPACES_CHART_ID, NamespacesChart, WorkloadFlow } from '../../src';

const IMAGE = 'ghcr.io/example/web:1.4.2@sha256:5e4a1c9f0b7d2e3a8c6f4b1d9e0a7c3f2b8d6e1a4c9f7b0e3d5a2c8f6b1e4d7a';

function tempApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'namespaces-chart-')) });
}

/** the files of `dir` in the order `kubectl apply -f dir/` applies them (byte order of the names), with their objects. */
function applyOrder(dir: string): { file: string; objects: any[] }[] {
  return fs.readdirSync(dir).filter((file) => file.endsWith('.k8s.yaml')).sort()
    .map((file) => ({ file, objects: yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8')) as any[] }));
}

/**
 * The README's layout, with chart ids that sort before "namespaces" ("api", "jobs") and a flow
 * whose ingress half lands in another namespace than its chart's.
 */
function readmeLayout(app: App): { namespaces: NamespacesChart; charts: Chart[] } {
  const namespaces = new NamespacesChart(app);
  const charts: Chart[] = [];
  for (const name of ['jobs', 'api', 'shop']) new HardenedNamespace(namespaces, name, { name });
  const deployments: Record<string, HardenedDeployment> = {};
  for (const name of ['shop', 'api', 'jobs']) {
    const chart = new Chart(app, name, { namespace: name });
    charts.push(chart);
    deployments[name] = new HardenedDeployment(chart, 'app', { containers: [{ image: IMAGE, portNumber: 8080 }] });
  }
  deployments.api.expose({ ports: [{ port: 8080 }] });
  new WorkloadFlow(charts[2], 'jobs-to-api', { from: deployments.jobs, to: deployments.api, ports: [FlowPort.tcp(8080)] });
  return { namespaces, charts };
}

function expectNamespacesFirst(files: { file: string; objects: any[] }[], firstFile: string): void {
  expect(files[0].file).toBe(firstFile);
  const all = files.flatMap(({ objects }) => objects);
  const namespaces = all.filter((object) => object.kind === 'Namespace').map((object) => object.metadata.name).sort();
  expect(namespaces).toEqual(['api', 'jobs', 'shop']);
  expect(files[0].objects.filter((object) => object.kind === 'Namespace').map((object) => object.metadata.name).sort()).toEqual(namespaces);
  // one pass: every namespaced object comes after its Namespace
  const seen = new Set<string>();
  for (const object of all) {
    if (object.kind === 'Namespace') seen.add(object.metadata.name);
    else if (object.metadata.namespace) expect(`${object.kind}/${object.metadata.name} in ${object.metadata.namespace}: ${seen.has(object.metadata.namespace)}`).toBe(`${object.kind}/${object.metadata.name} in ${object.metadata.namespace}: true`);
  }
}

describe('NamespacesChart', () => {
  test('the README layout writes every namespace to the file kubectl applies first, without chart dependencies', () => {
    const app = tempApp();
    const { namespaces, charts } = readmeLayout(app);
    app.synth();
    const files = applyOrder(app.outdir);
    expect(files.map(({ file }) => file)).toEqual(['0000-namespaces.k8s.yaml', 'api.k8s.yaml', 'jobs.k8s.yaml', 'shop.k8s.yaml']);
    expectNamespacesFirst(files, `${NAMESPACES_CHART_ID}.k8s.yaml`);
    for (const chart of [namespaces, ...charts]) expect(chart.node.dependencies).toEqual([]);
    // the cross-namespace flow put a policy for "api" into the jobs chart's file
    expect(files[2].objects.some((object) => object.kind === 'NetworkPolicy' && object.metadata.namespace === 'api')).toBe(true);
  });

  test('stays first when a chart dependency elsewhere makes cdk8s number the files', () => {
    const app = tempApp();
    const { charts } = readmeLayout(app);
    const guardrails = new Chart(app, 'guardrails');
    // shop (created first) now follows guardrails' other dependencies: numbered files follow the dependency order
    guardrails.addDependency(charts[0]);
    app.synth();
    const files = applyOrder(app.outdir);
    expect(files.map(({ file }) => file)).toEqual(['0000-0000-namespaces.k8s.yaml', '0001-api.k8s.yaml', '0002-jobs.k8s.yaml', '0003-shop.k8s.yaml', '0004-guardrails.k8s.yaml']);
    expectNamespacesFirst(files, '0000-0000-namespaces.k8s.yaml');
  });

  test('must be the first chart of the app, created in the App, with no namespace', () => {
    const app = tempApp();
    new Chart(app, 'shop');
    expect(() => new NamespacesChart(app)).toThrow('NamespacesChart "0000-namespaces": chart "shop" was created before it, so its objects could be applied before the namespaces exist. Fix: create the NamespacesChart first, right after the App');
    const other = tempApp();
    const chart = new Chart(other, 'outer');
    expect(() => new NamespacesChart(chart as unknown as App)).toThrow('NamespacesChart "0000-namespaces": its scope is outer, not an App. Fix: create it directly in the App (new NamespacesChart(app))');
    expect(() => new NamespacesChart(tempApp(), undefined, { namespace: 'shop' } as any))
      .toThrow('NamespacesChart "0000-namespaces": namespace is "shop", but Namespaces are cluster-scoped');
  });

  test('synth fails when another chart\'s file would be applied first', () => {
    const app = tempApp();
    new NamespacesChart(app, '10-namespaces');
    new Chart(app, '05-crds');
    new Chart(app, 'shop');
    expect(() => app.synthYaml()).toThrow('[10-namespaces] chart "05-crds" is written to 05-crds.k8s.yaml, which kubectl applies before 10-namespaces.k8s.yaml, where the namespaces are. Fix: give that chart an id that sorts after "10-namespaces" (ids starting with a letter do)');
  });

  test('synth fails when the namespaces chart depends on another chart or contains one', () => {
    const app = tempApp();
    const namespaces = new NamespacesChart(app);
    const shop = new Chart(app, 'shop');
    namespaces.addDependency(shop);
    new Chart(namespaces, 'nested');
    expect(() => app.synthYaml()).toThrow(/0000-namespaces depends on shop, outside this chart, so cdk8s writes that chart first\. Fix: remove the dependency[\s\S]*it contains chart "0000-namespaces\/nested", which cdk8s writes before it/);
  });
});
