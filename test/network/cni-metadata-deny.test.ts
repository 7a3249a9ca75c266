import { Chart, Testing } from 'cdk8s';
import { CalicoMetadataDeny, CiliumMetadataDeny, QuarantinePolicy } from '../../src/network';

const ALL = ['100.100.100.200/32', '169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32', 'fd00:ec2::23/128', 'fd00:ec2::254/128'];

function synth(build: (chart: Chart) => void): any[] {
  // a chart namespace must not leak onto these cluster-scoped objects
  const chart = new Chart(Testing.app(), 'test', { namespace: 'leaky' });
  build(chart);
  return Testing.synth(chart);
}

describe('CiliumMetadataDeny', () => {
  test('denies every catalogue address for every endpoint without default deny', () => {
    const objects = synth(chart => new CiliumMetadataDeny(chart, 'Cilium'));
    expect(objects).toMatchSnapshot();
    const [policy] = objects;
    expect(policy.apiVersion).toBe('cilium.io/v2');
    expect(policy.kind).toBe('CiliumClusterwideNetworkPolicy');
    expect(policy.metadata).toEqual({ name: 'deny-cloud-metadata' });
    expect(policy.spec.endpointSelector).toEqual({});
    expect(policy.spec.enableDefaultDeny).toEqual({ egress: false, ingress: false });
    expect(policy.spec.egressDeny).toEqual([{ toCIDR: ALL }]);
  });

  test('leaves out addresses an opt-in needs', () => {
    const [policy] = synth(chart => new CiliumMetadataDeny(chart, 'Cilium', { addresses: ['169.254.169.254', 'fd00:ec2::254'], name: 'deny-imds' }));
    expect(policy.metadata.name).toBe('deny-imds');
    expect(policy.spec.egressDeny).toEqual([{ toCIDR: ['169.254.169.254/32', 'fd00:ec2::254/128'] }]);
  });

  test('throws on an address outside the catalogue or an empty list', () => {
    expect(() => synth(chart => new CiliumMetadataDeny(chart, 'C', { addresses: ['10.0.0.1'] }))).toThrow(/addresses\[0\] is "10.0.0.1", which is not a catalogue metadata address/);
    expect(() => synth(chart => new CiliumMetadataDeny(chart, 'C', { addresses: [] }))).toThrow(/addresses is empty/);
  });
});

describe('CalicoMetadataDeny', () => {
  test('a tier before the default tier denies every catalogue address and passes the rest', () => {
    const objects = synth(chart => new CalicoMetadataDeny(chart, 'Calico'));
    expect(objects).toMatchSnapshot();
    const [tier, policy] = objects;
    expect(tier).toEqual({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'cdk8s-hardened' }, spec: { order: 100 } });
    expect(policy.kind).toBe('GlobalNetworkPolicy');
    expect(policy.metadata).toEqual({ name: 'cdk8s-hardened.deny-cloud-metadata' });
    expect(policy.spec).toMatchObject({ tier: 'cdk8s-hardened', namespaceSelector: 'all()', selector: 'all()', types: ['Egress'] });
    expect(policy.spec.egress).toEqual([{ action: 'Deny', destination: { nets: ALL } }, { action: 'Pass' }]);
  });

  test('throws on a tier order at or after the default tier', () => {
    expect(() => synth(chart => new CalicoMetadataDeny(chart, 'C', { tierOrder: 1000000 }))).toThrow(/tierOrder is 1000000/);
  });
});

describe('QuarantinePolicy', () => {
  test('selects quarantined pods and denies both directions', () => {
    const chart = new Chart(Testing.app(), 'test');
    new QuarantinePolicy(chart, 'Q', { namespaceName: 'shop' });
    const [policy] = Testing.synth(chart);
    expect(policy).toMatchSnapshot();
    expect(policy.spec.policyTypes).toEqual(['Egress', 'Ingress']);
    expect(policy.spec.ingress).toBeUndefined();
    expect(policy.spec.egress).toBeUndefined();
  });
});
