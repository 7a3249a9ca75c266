import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FlowPort, HardenedDeployment, HardenedNamespace, NamespacesChart, WorkloadFlow } from '../../src';
import { Guard } from '../../src/checker/guard';
import { renderChartsOncePerSynth } from '../../src/construct-helpers/chart-rendering';

const IMAGE = 'ghcr.io/example/web:1.4.2@sha256:5e4a1c9f0b7d2e3a8c6f4b1d9e0a7c3f2b8d6e1a4c9f7b0e3d5a2c8f6b1e4d7a';

function tempApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'chart-rendering-')) });
}

/** counts how often cdk8s validates the whole app: one validation on one construct. */
function countValidations(scope: Construct): () => number {
  let calls = 0;
  new Construct(scope, 'counter').node.addValidation({ validate: () => { calls++; return []; } });
  return () => calls;
}

/** an app of `count` namespaces laid out one chart per namespace, with flows and a chart dependency. */
function manyCharts(app: App, count: number): Chart[] {
  const namespaces = new NamespacesChart(app);
  const charts: Chart[] = [];
  for (let n = 0; n < count; n++) {
    const name = `tenant-${n}`;
    new HardenedNamespace(namespaces, name, { name });
    const chart = new Chart(app, name, { namespace: name });
    const api = new HardenedDeployment(chart, 'api', { containers: [{ image: IMAGE, portNumber: 8080 }] });
    api.expose({ ports: [{ port: 8080 }] });
    const web = new HardenedDeployment(chart, 'web', { containers: [{ image: IMAGE, portNumber: 8080 }] });
    new WorkloadFlow(chart, 'web-to-api', { from: web, to: api, ports: [FlowPort.tcp(8080)] });
    // an object-level dependency inside the chart, so its own order is not creation order
    const config = new kplus.ConfigMap(chart, 'config', { metadata: { name: 'config' }, data: { a: 'b' } });
    (api.node.findAll().find((c) => ApiObject.isApiObject(c) && (c as ApiObject).kind === 'Deployment') as ApiObject).node.addDependency(config);
    charts.push(chart);
  }
  return [namespaces, ...charts];
}

/** what cdk8s alone writes: every chart rendered by cdk8s's own `toJson()`, which prepares the whole app each time. */
function cdk8sOwnYaml(app: App): string {
  return Yaml.stringify(...app.charts.flatMap((chart) => Chart.prototype.toJson.call(chart)));
}

describe('rendering each chart once per synth |', () => {
  test('synthYaml() and synth() write exactly what cdk8s writes on its own', () => {
    const app = tempApp();
    manyCharts(app, 6);
    const guarded = tempApp();
    manyCharts(guarded, 6);
    Guard.of(guarded, { pack: 'hardened', failOn: 'warning' });
    for (const subject of [app, guarded]) {
      const expected = cdk8sOwnYaml(subject);
      expect(subject.synthYaml()).toBe(expected);
      subject.synth();
      const files = fs.readdirSync(subject.outdir).filter((file) => file.endsWith('.k8s.yaml')).sort();
      expect(files).toHaveLength(7);
      const written = files.map((file) => fs.readFileSync(path.join(subject.outdir, file), 'utf8'));
      // per file, the chart's objects in cdk8s's order
      const byChart = new Map(subject.charts.map((chart) => [`${chart.node.id}.k8s.yaml`, Yaml.stringify(...Chart.prototype.toJson.call(chart))]));
      expect(written).toEqual(files.map((file) => byChart.get(file)));
    }
  });

  test('a cdk8s that renders a chart differently gets every chart rendered by cdk8s itself', () => {
    const app = tempApp();
    manyCharts(app, 3);
    const cdk8sApp = App as unknown as { _synthChart: (chart: Chart) => any[] };
    const original = cdk8sApp._synthChart;
    // stands in for a cdk8s version whose chart rendering orders objects differently
    cdk8sApp._synthChart = (chart: Chart) => original(chart).reverse();
    try {
      const expected = cdk8sOwnYaml(app);
      expect(app.synthYaml()).toBe(expected);
      expect(expected).not.toBe((() => {
        cdk8sApp._synthChart = original;
        return cdk8sOwnYaml(app);
      })());
    } finally {
      cdk8sApp._synthChart = original;
    }
  });

  test('one synth validates the whole app twice, however many charts it has, with or without the Guard (cdk8s alone: once per chart more)', () => {
    const withLibrary = tempApp();
    manyCharts(withLibrary, 2);
    const counted = countValidations(withLibrary.node.findChild('tenant-0') as Construct);
    withLibrary.synthYaml();
    const few = counted();
    const many = tempApp();
    manyCharts(many, 12);
    Guard.of(many, { pack: 'hardened', failOn: 'warning' });
    const countedMany = countValidations(many.node.findChild('tenant-0') as Construct);
    many.synthYaml();
    expect([few, countedMany()]).toEqual([2, 2]);

    // cdk8s on its own: the synth's pass, then one for every chart
    const plain = tempApp();
    for (let n = 0; n < 12; n++) new kplus.ConfigMap(new Chart(plain, `c${n}`), 'config', { data: { a: 'b' } });
    const countedPlain = countValidations(plain.node.findChild('c0') as Construct);
    plain.synthYaml();
    expect(countedPlain()).toBe(13);
  });

  test('outside a synth nothing changes: charts get their own toJson() back, and Testing.synth validates every time', () => {
    const app = tempApp();
    const charts = manyCharts(app, 2);
    const counted = countValidations(charts[1]);
    app.synthYaml();
    for (const chart of charts) expect(Object.prototype.hasOwnProperty.call(chart, 'toJson')).toBe(false);
    const before = counted();
    Testing.synth(charts[1]);
    Testing.synth(charts[2]);
    expect(counted() - before).toBe(2);
  });

  test('a chart class that overrides toJson() keeps its override', () => {
    class Stamped extends Chart {
      public toJson(): any[] {
        return super.toJson().map((object) => ({ ...object, metadata: { ...object.metadata, annotations: { stamped: 'by-subclass' } } }));
      }
    }
    const app = tempApp();
    renderChartsOncePerSynth(app);
    new kplus.ConfigMap(new Chart(app, 'first'), 'config', { metadata: { name: 'first' } });
    new kplus.ConfigMap(new Stamped(app, 'second'), 'config', { metadata: { name: 'second' } });
    const objects = app.synthYaml().split('---\n');
    expect(objects.map((doc) => [/name: (\w+)/.exec(doc)?.[1], doc.includes('stamped: by-subclass')])).toEqual([['first', false], ['second', true]]);
  });
});
