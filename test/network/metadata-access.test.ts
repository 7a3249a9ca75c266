import { Chart, Testing } from 'cdk8s';
import { Labels } from '../../src/model/labels';
import { FlowPort, MetadataAccess, MetadataOptIn } from '../../src/network';
import { FlowEndpointDouble } from '../support/flow-endpoint-double';

const SUPPRESSION = 'ignore-check.cdk8s-hardened.io/netpol-metadata-reachable';

function synthAccess(optIn: MetadataOptIn): any {
  const chart = new Chart(Testing.app(), 'test');
  const agent = new FlowEndpointDouble(chart, 'Agent', { appName: 'agent', namespaceName: 'platform' });
  new MetadataAccess(chart, 'Access', { from: agent, optIn });
  return Testing.synth(chart)[0];
}

describe('MetadataAccess', () => {
  test('EKS Pod Identity', () => {
    const policy = synthAccess(MetadataOptIn.eksPodIdentity({ reason: 'the agent assumes its IAM role through EKS Pod Identity' }));
    expect(policy).toMatchSnapshot();
    expect(policy.metadata.name).toBe('egress-agent-to-eks-pod-identity');
    expect(policy.metadata.annotations).toEqual({ [SUPPRESSION]: 'the agent assumes its IAM role through EKS Pod Identity' });
    expect(policy.spec.podSelector).toEqual({ matchLabels: { [Labels.NAME]: 'agent' }, matchExpressions: [{ key: Labels.QUARANTINE, operator: 'DoesNotExist' }] });
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ port: 80, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: 'fd00:ec2::23/128' } }], ports: [{ port: 80, protocol: 'TCP' }] },
    ]);
  });

  test('EKS Pod Identity, IPv4 only', () => {
    const policy = synthAccess(MetadataOptIn.eksPodIdentity({ reason: 'the agent assumes its IAM role through EKS Pod Identity', ipv6: false }));
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ port: 80, protocol: 'TCP' }] }]);
  });

  test('GKE Workload Identity', () => {
    const policy = synthAccess(MetadataOptIn.gkeWorkloadIdentity({ reason: 'the exporter reads its Google service account token', expires: '2027-06-30' }));
    expect(policy).toMatchSnapshot();
    expect(policy.metadata.annotations).toEqual({
      [SUPPRESSION]: 'the exporter reads its Google service account token',
      'ignore-check-expires.cdk8s-hardened.io/netpol-metadata-reachable': '2027-06-30',
    });
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ port: 80, protocol: 'TCP' }, { port: 988, protocol: 'TCP' }] }]);
  });

  test('custom', () => {
    const policy = synthAccess(MetadataOptIn.custom({ name: 'ecs-credentials', addresses: ['169.254.170.2'], ports: [FlowPort.tcp(80)], reason: 'sidecar migrated from ECS still reads task credentials' }));
    expect(policy).toMatchSnapshot();
    expect(policy.metadata.name).toBe('egress-agent-to-ecs-credentials');
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '169.254.170.2/32' } }], ports: [{ port: 80, protocol: 'TCP' }] }]);
  });

  test('throws on an opt-in without a reason', () => {
    expect(() => MetadataOptIn.eksPodIdentity({ reason: 'needed' })).toThrow(/metadataOptIn.reason is "needed"/);
  });

  test('throws on a custom opt-in for an address outside the catalogue', () => {
    expect(() => MetadataOptIn.custom({ name: 'x', addresses: ['10.0.0.1'], ports: [FlowPort.tcp(80)], reason: 'a long enough reason' }))
      .toThrow('addresses[0] is "10.0.0.1/32", which is not a catalogue metadata address: a metadata opt-in opens single catalogue addresses only; use CidrEgressFlow for other destinations');
    expect(() => MetadataOptIn.custom({ name: 'x', addresses: ['169.254.0.0/16'], ports: [FlowPort.tcp(80)], reason: 'a long enough reason' })).toThrow(/not a catalogue metadata address/);
  });

  test('throws on a custom opt-in without addresses or ports', () => {
    expect(() => MetadataOptIn.custom({ name: 'x', addresses: [], ports: [FlowPort.tcp(80)], reason: 'a long enough reason' })).toThrow(/addresses is empty/);
    expect(() => MetadataOptIn.custom({ name: 'x', addresses: ['169.254.169.254'], ports: [], reason: 'a long enough reason' })).toThrow(/ports is empty: a metadata opt-in must name its ports/);
  });
});
