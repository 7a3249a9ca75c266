import { Chart, Testing } from 'cdk8s';
import { FlowEndpoint, FlowPort, WorkloadFlow } from '../../src';
import { appWithNamespaces } from '../support/hardened-app';
import { IMAGE, WORKLOAD_KINDS } from '../support/workload-kinds';

describe('FlowEndpoint.fromLabels |', () => {
  test('selects pods built elsewhere by namespace and labels', () => {
    const endpoint = FlowEndpoint.fromLabels('payments', { 'app.kubernetes.io/name': 'gateway', 'tier': 'edge' });
    expect(endpoint.appName).toBe('gateway');
    expect(endpoint.namespaceName).toBe('payments');
    expect(endpoint.selectorLabels).toEqual({ 'app.kubernetes.io/name': 'gateway', 'tier': 'edge' });
    expect(FlowEndpoint.fromLabels('payments', { tier: 'edge' }, { name: 'edge' }).appName).toBe('edge');
  });

  test('every workload kind reaches it and is reached by it through a WorkloadFlow', () => {
    const chart = new Chart(appWithNamespaces('shop'), 'shop', { namespace: 'shop' });
    const external = FlowEndpoint.fromLabels('payments', { 'app.kubernetes.io/name': 'gateway' });
    for (const kind of WORKLOAD_KINDS) {
      const workload = kind.build(chart, kind.kind.toLowerCase(), { containers: [{ image: IMAGE, portNumber: 8080 }] });
      new WorkloadFlow(chart, `${kind.kind}-out`, { from: workload, to: external, ports: [FlowPort.tcp(443)] });
    }
    const objects = Testing.synth(chart);
    const egress = objects.filter((o: any) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'shop' && o.spec.policyTypes.includes('Egress'));
    expect(egress.map((o: any) => o.metadata.name).sort()).toEqual(
      ['cronjob', 'daemonset', 'deployment', 'job', 'statefulset'].map((name) => `egress-${name}-to-payments-gateway`));
    expect(egress[0].spec.egress[0].to[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'payments' } });
    const ingress = objects.filter((o: any) => o.metadata.namespace === 'payments');
    expect(ingress).toHaveLength(5);
    expect(ingress[0].spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'gateway' });
  });

  test.each([
    ['no labels', () => FlowEndpoint.fromLabels('payments', {}), /labels is empty: an endpoint must select its pods by at least one label/],
    ['a bad namespace', () => FlowEndpoint.fromLabels('Payments', { a: 'b' }), /namespace is "Payments": use a DNS-1123 label/],
    ['a bad label key', () => FlowEndpoint.fromLabels('payments', { 'a b': 'c' }), /labels has key "a b"/],
    ['an empty label value', () => FlowEndpoint.fromLabels('payments', { a: '' }), /labels\["a"\] is "": use a non-empty label value/],
    ['no name', () => FlowEndpoint.fromLabels('payments', { tier: 'edge' }), /labels has no "app\.kubernetes\.io\/name" and options\.name is unset/],
  ])('fails on %s', (_case, make, message) => {
    expect(make).toThrow(message);
  });
});
