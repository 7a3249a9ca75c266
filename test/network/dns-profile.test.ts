import { Chart, Testing } from 'cdk8s';
import { DnsEgressPolicy, DnsProfile } from '../../src/network';

function synthPolicy(profile: DnsProfile): any {
  const chart = new Chart(Testing.app(), 'test');
  new DnsEgressPolicy(chart, 'Dns', { profile, namespaceName: 'shop' });
  const [policy] = Testing.synth(chart);
  return policy;
}
const bothProtocols = (port: number) => [{ port, protocol: 'UDP' }, { port, protocol: 'TCP' }];

describe('DnsProfile', () => {
  test('kube-dns', () => {
    const policy = synthPolicy(DnsProfile.kubeDns());
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: bothProtocols(53),
    }]);
    expect(policy.metadata.annotations).toBeUndefined();
  });

  test('kube-dns with a custom CoreDNS port', () => {
    const policy = synthPolicy(DnsProfile.kubeDns({ port: 8053 }));
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress[0].ports).toEqual(bothProtocols(8053));
  });

  test('NodeLocal DNSCache, default address', () => {
    const policy = synthPolicy(DnsProfile.nodeLocalDnsCache());
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress[0]).toEqual({ to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: bothProtocols(53) });
    expect(policy.spec.egress[1].to[0].podSelector).toEqual({ matchLabels: { 'k8s-app': 'kube-dns' } });
  });

  test('NodeLocal DNSCache, kubespray address', () => {
    const policy = synthPolicy(DnsProfile.nodeLocalDnsCache({ address: '169.254.25.10' }));
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress[0].to).toEqual([{ ipBlock: { cidr: '169.254.25.10/32' } }]);
  });

  test('OpenShift', () => {
    const policy = synthPolicy(DnsProfile.openShift());
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress).toEqual([{
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } },
        podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } },
      }],
      ports: bothProtocols(5353),
    }]);
  });

  test('GKE Cloud DNS opens the metadata address on port 53 only, with a reasoned suppression', () => {
    const policy = synthPolicy(DnsProfile.gkeCloudDns());
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: bothProtocols(53) }]);
    expect(policy.metadata.annotations['ignore-check.cdk8s-hardened.io/netpol-metadata-reachable']).toMatch(/GKE Cloud DNS/);
  });

  test('GKE Cloud DNS with an own reason and expiry', () => {
    const policy = synthPolicy(DnsProfile.gkeCloudDns({ exception: { reason: 'cluster runs Cloud DNS scope cluster', expires: '2027-01-01' } }));
    expect(policy.metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/netpol-metadata-reachable': 'cluster runs Cloud DNS scope cluster',
      'ignore-check-expires.cdk8s-hardened.io/netpol-metadata-reachable': '2027-01-01',
    });
  });

  test('custom', () => {
    const policy = synthPolicy(DnsProfile.custom({
      name: 'gardener',
      resolvers: [
        { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, port: 8053 },
        { address: '10.96.0.10/32' },
        { address: 'fd00:10:96::a' },
      ],
    }));
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress.map((rule: any) => rule.to)).toEqual([
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      [{ ipBlock: { cidr: '10.96.0.10/32' } }],
      [{ ipBlock: { cidr: 'fd00:10:96::a/128' } }],
    ]);
  });

  test('no profile ever emits port 53 without a destination', () => {
    for (const profile of [DnsProfile.kubeDns(), DnsProfile.nodeLocalDnsCache(), DnsProfile.openShift(), DnsProfile.gkeCloudDns()]) {
      for (const rule of synthPolicy(profile).spec.egress) {
        expect(rule.to?.length).toBeGreaterThan(0);
        for (const peer of rule.to) {
          if (peer.ipBlock) expect(peer.ipBlock.cidr).toMatch(/\/(32|128)$/);
          else expect(Object.keys(peer.namespaceSelector.matchLabels)).toEqual(['kubernetes.io/metadata.name']);
        }
      }
    }
  });

  test('throws on a custom profile without resolvers', () => {
    expect(() => DnsProfile.custom({ resolvers: [] })).toThrow(/resolvers is empty/);
  });

  test('throws on a pod resolver without a namespace', () => {
    expect(() => DnsProfile.custom({ resolvers: [{ podLabels: { 'k8s-app': 'kube-dns' } }] })).toThrow(/resolvers\[0\].namespace is missing/);
  });

  test('throws on a pod resolver without labels', () => {
    expect(() => DnsProfile.custom({ resolvers: [{ namespace: 'kube-system', podLabels: {} }] })).toThrow(/resolvers\[0\].podLabels is empty/);
  });

  test('throws on a resolver with both pods and an address, or neither', () => {
    expect(() => DnsProfile.custom({ resolvers: [{ namespace: 'kube-system', podLabels: { a: 'b' }, address: '10.0.0.10/32' }] })).toThrow(/both pods and an address/);
    expect(() => DnsProfile.custom({ resolvers: [{}] })).toThrow(/neither pods nor an address/);
  });

  test('throws on port 53 to a range, including any destination', () => {
    expect(() => DnsProfile.custom({ resolvers: [{ address: '0.0.0.0/0' }] })).toThrow(/resolvers\[0\].address is "0.0.0.0\/0": a DNS resolver is one host, so give a \/32/);
    expect(() => DnsProfile.custom({ resolvers: [{ address: '::/0' }] })).toThrow(/give a \/128/);
    expect(() => DnsProfile.custom({ resolvers: [{ address: '10.96.0.0/12' }] })).toThrow(/one host/);
  });

  test('throws on a metadata resolver without a reasoned exception', () => {
    expect(() => DnsProfile.custom({ resolvers: [{ address: '169.254.169.254' }] })).toThrow(/a cloud metadata address: set metadataException with a reason/);
    expect(() => DnsProfile.custom({ resolvers: [{ address: '169.254.169.254', metadataException: { reason: 'short' } }] })).toThrow(/metadataException.reason is "short"/);
  });

  test('throws on a metadata exception for an address that is not metadata, or for pods', () => {
    expect(() => DnsProfile.custom({ resolvers: [{ address: '10.96.0.10', metadataException: { reason: 'a long enough reason' } }] })).toThrow(/is not a metadata address: remove it/);
    expect(() => DnsProfile.custom({ resolvers: [{ namespace: 'kube-system', podLabels: { a: 'b' }, metadataException: { reason: 'a long enough reason' } }] }))
      .toThrow(/metadataException is set for a pod resolver/);
  });

  test('throws on a bad port or namespace', () => {
    expect(() => DnsProfile.kubeDns({ port: 0 })).toThrow(/resolvers\[0\].port is 0/);
    expect(() => DnsProfile.kubeDns({ namespace: 'Kube_System' })).toThrow(/resolvers\[0\].namespace is "Kube_System"/);
  });

  test('throws on a malformed NodeLocal address', () => {
    expect(() => DnsProfile.nodeLocalDnsCache({ address: '169.254.20' })).toThrow(/not a valid IPv4 or IPv6 CIDR/);
  });
});
