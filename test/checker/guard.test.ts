import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, JsonPatch, Testing } from 'cdk8s';
import { privilegedPod, restrictedPod } from './manifests';
import * as engine from '../../src/checker/engine';
import { Guard } from '../../src/checker/guard';

const STRICT = { pack: 'pss-restricted' } as const;

function podObject(chart: Chart, id: string, manifest = restrictedPod(id, null)): ApiObject {
  const { apiVersion, kind, ...rest } = manifest;
  return new ApiObject(chart, id, { apiVersion: String(apiVersion), kind: String(kind), ...rest });
}

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-guard-'));
});
afterEach(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

test('a clean chart synthesizes', () => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'shop');
  podObject(chart, 'web');
  Guard.of(app, STRICT);
  expect(() => app.synthYaml()).not.toThrow();
  expect(() => app.synth()).not.toThrow();
});

test('a raw ApiObject that breaks a rule fails Testing.synth, naming the construct path', () => {
  const chart = Testing.chart();
  podObject(chart, 'bad', privilegedPod('bad', null));
  Guard.of(chart, { pack: 'pss-baseline' });
  expect(() => Testing.synth(chart)).toThrow(
    /\[test\] cdk8s-hardened pack pss-baseline: 1 finding\(s\) at or above error\n\s+\[test\] error pss-privileged: Pod bad at test\/bad: container "app" sets privileged: true \[spec\.containers\[0\]\.securityContext\.privileged\]\. Fix: Remove/,
  );
});

test('a JSON patch that weakens a field fails synth', () => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'shop');
  const web = podObject(chart, 'web');
  Guard.of(app, STRICT);
  expect(() => app.synthYaml()).not.toThrow();
  web.addJsonPatch(JsonPatch.replace('/spec/containers/0/securityContext/allowPrivilegeEscalation', true));
  expect(() => app.synthYaml()).toThrow(/error pss-allow-privilege-escalation: Pod web at shop\/web: /);
  expect(() => app.synth()).toThrow(/pss-allow-privilege-escalation/);
});

test('included YAML is checked', () => {
  const file = path.join(outdir, 'vendor.yaml');
  fs.writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: {name: vendored}\nspec:\n  hostNetwork: true\n  containers: [{name: agent, image: agent:1}]\n');
  const app = new App({ outdir });
  const chart = new Chart(app, 'shop');
  new Include(chart, 'vendor', { url: file });
  Guard.of(app, { pack: 'pss-baseline' });
  expect(() => app.synthYaml()).toThrow(/error pss-host-namespaces: Pod vendored at shop\/vendor\/vendored-pod: pod sets hostNetwork: true/);
});

test('suppression annotations are respected', () => {
  const chart = Testing.chart();
  const pod = privilegedPod('agent', null);
  (pod.metadata as Record<string, unknown>).annotations = { 'ignore-check.cdk8s-hardened.io/pss-privileged': 'the node agent needs the host devices' };
  podObject(chart, 'agent', pod);
  Guard.of(chart, { pack: 'pss-baseline' });
  expect(() => Testing.synth(chart)).not.toThrow();
});

test('failOn warning also fails synth on warnings', () => {
  const chart = Testing.chart();
  new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { type: 'NodePort' } });
  Guard.of(chart);
  expect(() => Testing.synth(chart)).not.toThrow();
  Guard.of(chart, { failOn: 'warning' });
  expect(() => Testing.synth(chart)).toThrow(/warning service-node-port: Service svc at test\/svc/);
});

test('checks once per synth, not once per chart', () => {
  const app = new App({ outdir });
  for (const id of ['a', 'b', 'c']) podObject(new Chart(app, id), 'web');
  Guard.of(app, STRICT);
  const spy = jest.spyOn(engine, 'checkManifests');
  try {
    app.synthYaml();
    expect(spy).toHaveBeenCalledTimes(1);
    app.synth();
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.calls[1][0]).toHaveLength(3);
  } finally {
    spy.mockRestore();
  }
});

test('a guard on a chart checks that chart only', () => {
  const app = new App({ outdir });
  const guarded = new Chart(app, 'guarded');
  const other = new Chart(app, 'other');
  podObject(guarded, 'web');
  podObject(other, 'bad', privilegedPod('bad', null));
  Guard.of(guarded, { pack: 'pss-baseline' });
  expect(() => app.synthYaml()).not.toThrow();
  expect(Guard.of(guarded, { pack: 'pss-baseline' }).check().summary.objects).toBe(1);
});

test('refuses unknown options', () => {
  expect(() => Guard.of(Testing.chart(), { pack: 'strict' as never })).toThrow(/unknown pack "strict"/);
  expect(() => Guard.of(Testing.chart(), { failOn: 'info' as never })).toThrow(/failOn is "info": use 'error' or 'warning'/);
});

test('renders each object once per synth and leaves the objects as they were', () => {
  const build = (guarded: boolean) => {
    const app = new App({ outdir });
    for (const id of ['a', 'b']) podObject(new Chart(app, id), 'web');
    if (guarded) Guard.of(app, STRICT);
    return app;
  };
  const guarded = build(true);
  const renders = jest.spyOn(ApiObject.prototype, 'toJson');
  try {
    const yaml = guarded.synthYaml();
    expect(renders).toHaveBeenCalledTimes(2);
    expect(yaml).toBe(build(false).synthYaml());
  } finally {
    renders.mockRestore();
  }
  const objects = guarded.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  expect(objects.map((o) => Object.prototype.hasOwnProperty.call(o, 'toJson'))).toEqual([false, false]);
  // a change after synth shows in the next synth: nothing stale is kept.
  objects[0].metadata.addLabel('after', 'synth');
  expect(guarded.synthYaml()).toContain('after: synth');
});
