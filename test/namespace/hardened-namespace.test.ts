import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Labels } from '../../src/model/labels';
import { HardenedNamespace, PodSecurityLevel } from '../../src/namespace/hardened-namespace';
import { DnsProfile } from '../../src/network';

function synth(build: (chart: Chart) => void, chartNamespace?: string): any[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: chartNamespace });
  build(chart);
  return Testing.synth(chart);
}
const find = (objects: any[], kind: string, name: string): any => objects.find(o => o.kind === kind && o.metadata.name === name);

describe('HardenedNamespace', () => {
  test('default output', () => {
    expect(synth(chart => new HardenedNamespace(chart, 'Shop', { name: 'shop' }))).toMatchSnapshot();
  });

  test('with every option', () => {
    expect(synth(chart => new HardenedNamespace(chart, 'Legacy', {
      name: 'legacy',
      podSecurityVersion: 'v1.30',
      podSecurityException: { enforce: PodSecurityLevel.BASELINE, reason: 'the legacy agent needs a writable root until its 2.0 release', expires: '2027-03-31' },
      dns: DnsProfile.nodeLocalDnsCache(),
      resourceQuota: { hard: { 'pods': kplus.k8s.Quantity.fromString('20'), 'requests.cpu': kplus.k8s.Quantity.fromString('4') } },
      limitRange: { limits: [{ type: 'Container', default: { memory: kplus.k8s.Quantity.fromString('256Mi') } }] },
      labels: { team: 'payments' },
      annotations: { owner: 'payments@example.com' },
    }))).toMatchSnapshot();
  });

  test('enforces, audits and warns restricted with a pinned version', () => {
    const ns = find(synth(chart => new HardenedNamespace(chart, 'Shop', { name: 'shop' })), 'Namespace', 'shop');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.28',
    });
    expect(ns.metadata.annotations).toBeUndefined();
  });

  test('a lowered level is recorded as a reasoned suppression on the Namespace', () => {
    const ns = find(synth(chart => new HardenedNamespace(chart, 'Shop', {
      name: 'shop',
      podSecurityException: { warn: PodSecurityLevel.BASELINE, reason: 'warnings flood a vendor operator we cannot change' },
    })), 'Namespace', 'shop');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('baseline');
    expect(ns.metadata.annotations).toEqual({ 'ignore-check.cdk8s-hardened.io/namespace-psa-labels': 'warnings flood a vendor operator we cannot change' });
  });

  test('denies ingress and egress for every pod', () => {
    const deny = find(synth(chart => new HardenedNamespace(chart, 'Shop', { name: 'shop' })), 'NetworkPolicy', 'default-deny');
    expect(deny.metadata.namespace).toBe('shop');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] });
  });

  test('allows dns to kube-dns only, in one peer, over udp and tcp, for pods that are not quarantined', () => {
    const dns = find(synth(chart => new HardenedNamespace(chart, 'Shop', { name: 'shop' })), 'NetworkPolicy', 'allow-dns');
    expect(dns.metadata.namespace).toBe('shop');
    expect(dns.spec.policyTypes).toEqual(['Egress']);
    expect(dns.spec.podSelector).toEqual({ matchExpressions: [{ key: Labels.QUARANTINE, operator: 'DoesNotExist' }] });
    expect(dns.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    }]);
  });

  test('dnsEgress: false leaves out the DNS allow, so default-deny holds for DNS too', () => {
    let namespace!: HardenedNamespace;
    const objects = synth(chart => { namespace = new HardenedNamespace(chart, 'Scan', { name: 'scan', dnsEgress: false }); });
    expect(objects.filter(o => o.kind === 'NetworkPolicy').map(o => o.metadata.name)).toEqual(['default-deny', 'quarantine-deny-all']);
    expect(namespace.dns).toBeUndefined();
    expect(() => synth(chart => new HardenedNamespace(chart, 'Scan', { name: 'scan', dnsEgress: false, dns: DnsProfile.openShift() })))
      .toThrow('dns is set while dnsEgress is false: a DNS profile only shapes the allow-dns policy; drop dns, or dnsEgress: false');
  });

  test('isolates quarantined pods in both directions', () => {
    const quarantine = find(synth(chart => new HardenedNamespace(chart, 'Shop', { name: 'shop' })), 'NetworkPolicy', 'quarantine-deny-all');
    expect(quarantine.spec).toEqual({ podSelector: { matchExpressions: [{ key: Labels.QUARANTINE, operator: 'Exists' }] }, policyTypes: ['Egress', 'Ingress'] });
  });

  test('the default ServiceAccount does not automount its token', () => {
    const sa = find(synth(chart => new HardenedNamespace(chart, 'Shop', { name: 'shop' })), 'ServiceAccount', 'default');
    expect(sa.metadata.namespace).toBe('shop');
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  test('the Namespace carries no namespace in a chart with a namespace; its objects carry its own', () => {
    const objects = synth(chart => new HardenedNamespace(chart, 'Shop', { name: 'shop', resourceQuota: { hard: { pods: kplus.k8s.Quantity.fromString('5') } } }), 'elsewhere');
    expect(find(objects, 'Namespace', 'shop').metadata.namespace).toBeUndefined();
    for (const o of objects.filter(x => x.kind !== 'Namespace')) expect([o.kind, o.metadata.namespace]).toEqual([o.kind, 'shop']);
  });

  test('the Namespace comes first and names are explicit', () => {
    const objects = synth(chart => new HardenedNamespace(chart, 'Shop', { name: 'shop' }));
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/shop', 'NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns', 'NetworkPolicy/quarantine-deny-all', 'ServiceAccount/default',
    ]);
  });

  test('exposes namespaceName', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(new HardenedNamespace(chart, 'Shop', { name: 'shop' }).namespaceName).toBe('shop');
  });

  test('throws on a second HardenedNamespace with the same name', () => {
    expect(() => synth(chart => {
      new HardenedNamespace(chart, 'One', { name: 'shop' });
      new HardenedNamespace(chart, 'Two', { name: 'shop' });
    })).toThrow(/NetworkPolicy name "default-deny" in namespace "shop" is already used by test\/One\/DefaultDeny/);
  });

  test('throws on a name that is not a DNS-1123 label', () => {
    expect(() => synth(chart => new HardenedNamespace(chart, 'Bad', { name: 'Shop_1' }))).toThrow(/name is "Shop_1": use a DNS-1123 label/);
  });

  test('throws on an unpinned or malformed version', () => {
    expect(() => synth(chart => new HardenedNamespace(chart, 'Bad', { name: 'shop', podSecurityVersion: '1.28' }))).toThrow(/podSecurityVersion is "1.28": use a Kubernetes minor version such as "v1.28"/);
  });

  test('throws on an exception without a reason', () => {
    expect(() => synth(chart => new HardenedNamespace(chart, 'Bad', { name: 'shop', podSecurityException: { enforce: PodSecurityLevel.PRIVILEGED, reason: 'needed' } })))
      .toThrow(/podSecurityException.reason is "needed"/);
  });

  test('throws on an exception that lowers nothing', () => {
    expect(() => synth(chart => new HardenedNamespace(chart, 'Bad', { name: 'shop', podSecurityException: { reason: 'nothing to lower here at all' } })))
      .toThrow(/podSecurityException lowers no mode/);
  });

  test('throws on an unknown level', () => {
    expect(() => synth(chart => new HardenedNamespace(chart, 'Bad', { name: 'shop', podSecurityException: { audit: 'loose' as PodSecurityLevel, reason: 'a long enough reason' } })))
      .toThrow(/podSecurityException.audit is "loose"/);
  });

  test('throws when labels try to set a PSA label', () => {
    expect(() => synth(chart => new HardenedNamespace(chart, 'Bad', { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } })))
      .toThrow(/labels has "pod-security.kubernetes.io\/enforce"/);
  });
});
