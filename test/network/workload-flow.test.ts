import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Labels } from '../../src/model/labels';
import { HardenedNamespace } from '../../src/namespace/hardened-namespace';
import { FlowPort, NamespaceIngressFlow, WorkloadFlow } from '../../src/network';
import { FlowEndpointDouble } from '../support/flow-endpoint-double';

const NOT_QUARANTINED = { key: Labels.QUARANTINE, operator: 'DoesNotExist' };
const byName = (objects: any[], name: string): any => objects.find(o => o.metadata.name === name);

function setup(chartNamespace?: string) {
  const chart = new Chart(Testing.app(), 'test', { namespace: chartNamespace });
  const web = new FlowEndpointDouble(chart, 'Web', { appName: 'web', namespaceName: 'shop' });
  const api = new FlowEndpointDouble(chart, 'Api', { appName: 'api', namespaceName: 'shop', selectorLabels: { [Labels.NAME]: 'shop', [Labels.COMPONENT]: 'api' } });
  const worker = new FlowEndpointDouble(chart, 'Worker', { appName: 'worker', namespaceName: 'batch' });
  return { chart, web, api, worker };
}

describe('WorkloadFlow', () => {
  test('same namespace', () => {
    const { chart, web, api } = setup();
    new WorkloadFlow(chart, 'WebToApi', { from: web, to: api, ports: [FlowPort.tcp(8080), FlowPort.tcpRange(9000, 9010)] });
    const objects = Testing.synth(chart);
    expect(objects).toMatchSnapshot();
    const egress = byName(objects, 'egress-web-to-api');
    expect(egress.metadata.namespace).toBe('shop');
    expect(egress.spec.policyTypes).toEqual(['Egress']);
    expect(egress.spec.podSelector).toEqual({ matchLabels: { [Labels.NAME]: 'web' }, matchExpressions: [NOT_QUARANTINED] });
    expect(egress.spec.egress).toEqual([{
      to: [{ podSelector: { matchLabels: { [Labels.NAME]: 'shop', [Labels.COMPONENT]: 'api' }, matchExpressions: [NOT_QUARANTINED] } }],
      ports: [{ port: 8080, protocol: 'TCP' }, { port: 9000, endPort: 9010, protocol: 'TCP' }],
    }]);
    const ingress = byName(objects, 'ingress-api-from-web');
    expect(ingress.metadata.namespace).toBe('shop');
    expect(ingress.spec.policyTypes).toEqual(['Ingress']);
    expect(ingress.spec.podSelector).toEqual({ matchLabels: { [Labels.NAME]: 'shop', [Labels.COMPONENT]: 'api' }, matchExpressions: [NOT_QUARANTINED] });
    expect(ingress.spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { [Labels.NAME]: 'web' }, matchExpressions: [NOT_QUARANTINED] } }],
      ports: [{ port: 8080, protocol: 'TCP' }, { port: 9000, endPort: 9010, protocol: 'TCP' }],
    }]);
  });

  test('across namespaces, each peer names the other namespace in the same element', () => {
    const { chart, worker, api } = setup();
    new WorkloadFlow(chart, 'WorkerToApi', { from: worker, to: api, ports: [FlowPort.tcp(8080)] });
    const objects = Testing.synth(chart);
    expect(objects).toMatchSnapshot();
    const egress = byName(objects, 'egress-worker-to-shop-api');
    expect(egress.metadata.namespace).toBe('batch');
    expect(egress.spec.egress[0].to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
      podSelector: { matchLabels: { [Labels.NAME]: 'shop', [Labels.COMPONENT]: 'api' }, matchExpressions: [NOT_QUARANTINED] },
    }]);
    const ingress = byName(objects, 'ingress-api-from-batch-worker');
    expect(ingress.metadata.namespace).toBe('shop');
    expect(ingress.spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'batch' } },
      podSelector: { matchLabels: { [Labels.NAME]: 'worker' }, matchExpressions: [NOT_QUARANTINED] },
    }]);
  });

  test('endpoints without a namespace take their chart namespace', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'apps' });
    const a = new FlowEndpointDouble(chart, 'A', { appName: 'a' });
    const b = new FlowEndpointDouble(chart, 'B', { appName: 'b' });
    new WorkloadFlow(chart, 'AToB', { from: a, to: b, ports: [FlowPort.udp(5000)] });
    const objects = Testing.synth(chart);
    expect(objects.map(o => [o.metadata.name, o.metadata.namespace])).toEqual([['egress-a-to-b', 'apps'], ['ingress-b-from-a', 'apps']]);
    expect(objects[0].spec.egress[0].ports).toEqual([{ port: 5000, protocol: 'UDP' }]);
  });

  test('a name suffix keeps two flows between the same workloads apart', () => {
    const { chart, web, api } = setup();
    new WorkloadFlow(chart, 'Http', { from: web, to: api, ports: [FlowPort.tcp(8080)] });
    new WorkloadFlow(chart, 'Grpc', { from: web, to: api, ports: [FlowPort.tcp(9090)], nameSuffix: 'grpc' });
    expect(Testing.synth(chart).map(o => o.metadata.name)).toEqual(['egress-web-to-api', 'ingress-api-from-web', 'egress-web-to-api-grpc', 'ingress-api-from-web-grpc']);
  });

  test('long names are cut to 63 characters with a stable hash of the full name', () => {
    const chart = new Chart(Testing.app(), 'test');
    const a = new FlowEndpointDouble(chart, 'A', { appName: 'a-very-long-application-name-for-the-frontend', namespaceName: 'shop' });
    const b = new FlowEndpointDouble(chart, 'B', { appName: 'another-very-long-application-name-for-the-backend', namespaceName: 'shop' });
    new WorkloadFlow(chart, 'AToB', { from: a, to: b, ports: [FlowPort.tcp(1)] });
    const names = Testing.synth(chart).map(o => o.metadata.name);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(63);
    expect(names).toMatchSnapshot();
  });

  test('throws on a flow without ports', () => {
    const { chart, web, api } = setup();
    expect(() => new WorkloadFlow(chart, 'F', { from: web, to: api, ports: [] })).toThrow(/ports is empty: name at least one port/);
  });

  test('throws on an endpoint without selector labels', () => {
    const { chart, web } = setup();
    const bare = new FlowEndpointDouble(chart, 'Bare', { appName: 'bare', namespaceName: 'shop', selectorLabels: {} });
    expect(() => new WorkloadFlow(chart, 'F', { from: web, to: bare, ports: [FlowPort.tcp(1)] })).toThrow(/to \(test\/Bare\) has no selectorLabels/);
  });

  test('throws on a cross-namespace flow with an unnamed namespace', () => {
    const { chart, web } = setup();
    const floating = new FlowEndpointDouble(chart, 'Floating', { appName: 'floating' });
    expect(() => new WorkloadFlow(chart, 'F', { from: floating, to: web, ports: [FlowPort.tcp(1)] })).toThrow(/a cross-namespace flow needs both namespaces named/);
  });

  test('throws on bad port numbers', () => {
    expect(() => FlowPort.tcp(0)).toThrow('port is 0: give a whole port number between 1 and 65535');
    expect(() => FlowPort.udp(70000)).toThrow(/port is 70000/);
    expect(() => FlowPort.tcpRange(9000, 8000)).toThrow('endPort is 8000, below port 9000: give endPort >= port, or omit it for a single port');
    expect(() => FlowPort.of({ port: 1.5 })).toThrow(/port is 1.5/);
  });

  test('FlowPort defaults to TCP and renders ranges', () => {
    expect(FlowPort.of({ port: 80 }).toString()).toBe('80/TCP');
    expect(FlowPort.udpRange(100, 200).toString()).toBe('100-200/UDP');
    expect(FlowPort.of({ port: 5, endPort: 5, protocol: kplus.NetworkProtocol.SCTP }).toString()).toBe('5/SCTP');
  });
});

describe('NamespaceIngressFlow', () => {
  test('from a namespace managed elsewhere: ingress half only', () => {
    const { chart, web } = setup();
    const flow = new NamespaceIngressFlow(chart, 'Ingress', { from: 'ingress-nginx', to: web, ports: [FlowPort.tcp(8080)] });
    const objects = Testing.synth(chart);
    expect(objects).toMatchSnapshot();
    expect(flow.egressPolicy).toBeUndefined();
    expect(objects).toHaveLength(1);
    const ingress = byName(objects, 'ingress-web-from-ns-ingress-nginx');
    expect(ingress.metadata.namespace).toBe('shop');
    expect(ingress.spec.podSelector).toEqual({ matchLabels: { [Labels.NAME]: 'web' }, matchExpressions: [NOT_QUARANTINED] });
    expect(ingress.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchExpressions: [NOT_QUARANTINED] } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
  });

  test('from a managed namespace with narrowed sources: both halves', () => {
    const { chart, web } = setup();
    const monitoring = new HardenedNamespace(chart, 'Monitoring', { name: 'monitoring' });
    new NamespaceIngressFlow(chart, 'Scrape', { from: monitoring, to: web, ports: [FlowPort.tcp(9090)], fromPodLabels: { [Labels.NAME]: 'prometheus' } });
    const objects = Testing.synth(chart);
    expect(objects.filter(o => o.metadata.name.includes('from-ns') || o.metadata.name.startsWith('egress-to'))).toMatchSnapshot();
    const ingress = byName(objects, 'ingress-web-from-ns-monitoring');
    expect(ingress.spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { [Labels.NAME]: 'prometheus' }, matchExpressions: [NOT_QUARANTINED] });
    const egress = byName(objects, 'egress-to-shop-web');
    expect(egress.metadata.namespace).toBe('monitoring');
    expect(egress.spec.podSelector).toEqual({ matchLabels: { [Labels.NAME]: 'prometheus' }, matchExpressions: [NOT_QUARANTINED] });
    expect(egress.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { [Labels.NAME]: 'web' }, matchExpressions: [NOT_QUARANTINED] } }],
      ports: [{ port: 9090, protocol: 'TCP' }],
    }]);
  });

  test('throws on a bad namespace name', () => {
    const { chart, web } = setup();
    expect(() => new NamespaceIngressFlow(chart, 'F', { from: 'Ingress Nginx', to: web, ports: [FlowPort.tcp(1)] })).toThrow(/from is "Ingress Nginx": use a DNS-1123 label/);
  });

  test('throws on a destination without a namespace', () => {
    const chart = new Chart(Testing.app(), 'test');
    const floating = new FlowEndpointDouble(chart, 'Floating', { appName: 'floating' });
    expect(() => new NamespaceIngressFlow(chart, 'F', { from: 'ingress-nginx', to: floating, ports: [FlowPort.tcp(1)] })).toThrow(/to \(floating\) has no namespace/);
  });

  test('throws on a flow without ports', () => {
    const { chart, web } = setup();
    expect(() => new NamespaceIngressFlow(chart, 'F', { from: 'ingress-nginx', to: web, ports: [] })).toThrow(/ports is empty/);
  });
});
