import { Chart, Testing } from 'cdk8s';
import { Labels } from '../../src/model/labels';
import { CidrEgressFlow, FlowPort, InternetEgressFlow } from '../../src/network';
import { FlowEndpointDouble } from '../support/flow-endpoint-double';

const NOT_QUARANTINED = { key: Labels.QUARANTINE, operator: 'DoesNotExist' };

function setup() {
  const chart = new Chart(Testing.app(), 'test');
  const worker = new FlowEndpointDouble(chart, 'Worker', { appName: 'worker', namespaceName: 'batch' });
  return { chart, worker };
}

describe('InternetEgressFlow', () => {
  test('dual-stack HTTPS by default', () => {
    const { chart, worker } = setup();
    new InternetEgressFlow(chart, 'Internet', { from: worker });
    const [policy] = Testing.synth(chart);
    expect(policy).toMatchSnapshot();
    expect(policy.metadata).toEqual({ name: 'egress-worker-to-internet', namespace: 'batch' });
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policy.spec.podSelector).toEqual({ matchLabels: { [Labels.NAME]: 'worker' }, matchExpressions: [NOT_QUARANTINED] });
    expect(policy.spec.egress).toEqual([
      {
        to: [{
          ipBlock: {
            cidr: '0.0.0.0/0',
            except: [
              '10.0.0.0/8', '100.100.100.200/32', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16',
              '169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32', '172.16.0.0/12', '192.168.0.0/16',
            ],
          },
        }],
        ports: [{ port: 443, protocol: 'TCP' }],
      },
      {
        to: [{ ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fd00:ec2::23/128', 'fd00:ec2::254/128', 'fe80::/10'] } }],
        ports: [{ port: 443, protocol: 'TCP' }],
      },
    ]);
  });

  test('non-public ranges can be included with a reason; metadata addresses stay excepted', () => {
    const { chart, worker } = setup();
    new InternetEgressFlow(chart, 'Internet', { from: worker, includeNonPublicRanges: { reason: 'the proxy fleet lives in 10.0.0.0/8 and changes weekly' } });
    const [policy] = Testing.synth(chart);
    expect(policy.metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/netpol-egress-non-public-ranges': 'the proxy fleet lives in 10.0.0.0/8 and changes weekly',
    });
    expect(policy.spec.egress.map((rule: any) => rule.to[0].ipBlock)).toEqual([
      { cidr: '0.0.0.0/0', except: ['100.100.100.200/32', '169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32'] },
      { cidr: '::/0', except: ['fd00:ec2::23/128', 'fd00:ec2::254/128'] },
    ]);
  });

  test('throws on including non-public ranges without a reason', () => {
    const { chart, worker } = setup();
    expect(() => new InternetEgressFlow(chart, 'A', { from: worker, includeNonPublicRanges: true as any }))
      .toThrow('includeNonPublicRanges is true: reaching the cluster\'s own networks is an exception; give { reason: \'...\' } saying why');
    expect(() => new InternetEgressFlow(chart, 'B', { from: worker, includeNonPublicRanges: { reason: ' short    ' } }))
      .toThrow(/includeNonPublicRanges\.reason is " short    ": an exception needs a reason of at least 10 characters/);
  });

  test('the default policy carries no exception annotation', () => {
    const { chart, worker } = setup();
    new InternetEgressFlow(chart, 'Internet', { from: worker });
    expect(Testing.synth(chart)[0].metadata.annotations).toBeUndefined();
  });

  test('IPv4 only, other ports', () => {
    const { chart, worker } = setup();
    new InternetEgressFlow(chart, 'Internet', { from: worker, ipv6: false, ports: [FlowPort.tcp(443), FlowPort.udp(443)] });
    const [policy] = Testing.synth(chart);
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress).toHaveLength(1);
    expect(policy.spec.egress[0].to[0].ipBlock.cidr).toBe('0.0.0.0/0');
    expect(policy.spec.egress[0].ports).toEqual([{ port: 443, protocol: 'TCP' }, { port: 443, protocol: 'UDP' }]);
  });

  test('a name suffix keeps a second internet flow apart', () => {
    const { chart, worker } = setup();
    new InternetEgressFlow(chart, 'Https', { from: worker });
    new InternetEgressFlow(chart, 'Ssh', { from: worker, ports: [FlowPort.tcp(22)], nameSuffix: 'ssh' });
    expect(Testing.synth(chart).map(o => o.metadata.name)).toEqual(['egress-worker-to-internet', 'egress-worker-to-internet-ssh']);
  });

  test('throws on a second policy with the same name in the same namespace', () => {
    const { chart, worker } = setup();
    new InternetEgressFlow(chart, 'Https', { from: worker });
    expect(() => new InternetEgressFlow(chart, 'Ssh', { from: worker, ports: [FlowPort.tcp(22)] }))
      .toThrow('NetworkPolicy name "egress-worker-to-internet" in namespace "batch" is already used by test/Https/Resource/Resource: give one of the flows a nameSuffix (or destinationName)');
  });

  test('throws on empty ports', () => {
    const { chart, worker } = setup();
    expect(() => new InternetEgressFlow(chart, 'Internet', { from: worker, ports: [] })).toThrow(/ports is empty/);
  });
});

describe('CidrEgressFlow', () => {
  test('private ranges get no excepts, link-local and CGNAT ranges get their catalogue excepts', () => {
    const { chart, worker } = setup();
    new CidrEgressFlow(chart, 'Ranges', {
      from: worker,
      cidrs: ['10.20.0.0/16', { cidr: '169.254.0.0/16', except: ['169.254.20.0/24'] }, '100.64.0.0/10', 'fd00::/8'],
      ports: [FlowPort.tcp(5432)],
      destinationName: 'partners',
      nonPublicRanges: { reason: 'partner links arrive over the whole CGNAT and link-local ranges' },
    });
    const [policy] = Testing.synth(chart);
    expect(policy).toMatchSnapshot();
    expect(policy.metadata.name).toBe('egress-worker-to-partners');
    expect(policy.metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/netpol-egress-non-public-ranges': 'partner links arrive over the whole CGNAT and link-local ranges',
    });
    expect(policy.spec.egress.map((rule: any) => rule.to[0].ipBlock)).toEqual([
      { cidr: '10.20.0.0/16' },
      { cidr: '169.254.0.0/16', except: ['169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32', '169.254.20.0/24'] },
      { cidr: '100.64.0.0/10', except: ['100.100.100.200/32'] },
      { cidr: 'fd00::/8', except: ['fd00:ec2::23/128', 'fd00:ec2::254/128'] },
    ]);
    for (const rule of policy.spec.egress) expect(rule.ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
  });

  test('throws on a range containing a whole non-public range without a reason', () => {
    const { chart, worker } = setup();
    expect(() => new CidrEgressFlow(chart, 'All', { from: worker, cidrs: ['0.0.0.0/0'], ports: [FlowPort.tcp(443)] }))
      .toThrow('cidrs[0] is "0.0.0.0/0", which contains the whole non-public ranges 10.0.0.0/8, 100.64.0.0/10, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16 where the API server, kubelets and nodes live: narrow it to the subnet the workload needs, except the range, or add nonPublicRanges with a reason');
    expect(() => new CidrEgressFlow(chart, 'Private', { from: worker, cidrs: ['10.20.0.0/16', '10.0.0.0/8'], ports: [FlowPort.tcp(443)] }))
      .toThrow(/cidrs\[1\] is "10.0.0.0\/8", which contains the whole non-public range 10.0.0.0\/8/);
    expect(() => new CidrEgressFlow(chart, 'V6', { from: worker, cidrs: ['::/0'], ports: [FlowPort.tcp(443)] }))
      .toThrow(/cidrs\[0\] is "::\/0", which contains the whole non-public ranges fc00::\/7, fe80::\/10/);
  });

  test('a broad range with every non-public range excepted needs no exception', () => {
    const { chart, worker } = setup();
    new CidrEgressFlow(chart, 'Public', {
      from: worker,
      cidrs: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'] }],
      ports: [FlowPort.tcp(443)],
      destinationName: 'public',
    });
    const [policy] = Testing.synth(chart);
    expect(policy.metadata.annotations).toBeUndefined();
  });

  test('the default name derives from the cidrs', () => {
    const { chart, worker } = setup();
    new CidrEgressFlow(chart, 'Db', { from: worker, cidrs: ['10.20.0.0/16'], ports: [FlowPort.tcp(5432)] });
    expect(Testing.synth(chart)[0].metadata.name).toBe('egress-worker-to-10-20-0-0-16');
  });

  test('throws on a catalogue address as the destination', () => {
    const { chart, worker } = setup();
    expect(() => new CidrEgressFlow(chart, 'Imds', { from: worker, cidrs: ['169.254.169.254/32'], ports: [FlowPort.tcp(80)] }))
      .toThrow('cidrs[0].cidr is "169.254.169.254/32", a cloud metadata address: reach it only through MetadataAccess with a MetadataOptIn and a reason');
    expect(() => new CidrEgressFlow(chart, 'Imds6', { from: worker, cidrs: ['fd00:ec2::254/128'], ports: [FlowPort.tcp(80)] })).toThrow(/a cloud metadata address/);
  });

  test('throws on host bits, an except outside the cidr and an except of the other family', () => {
    const { chart, worker } = setup();
    expect(() => new CidrEgressFlow(chart, 'A', { from: worker, cidrs: ['10.20.0.1/16'], ports: [FlowPort.tcp(1)] })).toThrow(/cidrs\[0\].cidr is "10.20.0.1\/16", which has host bits set/);
    expect(() => new CidrEgressFlow(chart, 'B', { from: worker, cidrs: [{ cidr: '10.0.0.0/8', except: ['11.0.0.0/8'] }], ports: [FlowPort.tcp(1)] }))
      .toThrow(/cidrs\[0\].except\[0\] is "11.0.0.0\/8", which is not strictly inside/);
    expect(() => new CidrEgressFlow(chart, 'C', { from: worker, cidrs: [{ cidr: '10.0.0.0/8', except: ['fd00::/8'] }], ports: [FlowPort.tcp(1)] }))
      .toThrow(/must be in the same family/);
  });

  test('throws on no cidrs or no ports', () => {
    const { chart, worker } = setup();
    expect(() => new CidrEgressFlow(chart, 'A', { from: worker, cidrs: [], ports: [FlowPort.tcp(1)] })).toThrow(/cidrs is empty/);
    expect(() => new CidrEgressFlow(chart, 'B', { from: worker, cidrs: ['10.0.0.0/8'], ports: [] })).toThrow(/ports is empty/);
  });
});
