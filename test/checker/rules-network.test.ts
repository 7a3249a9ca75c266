import { effectiveEgressRules, effectivePolicyTypes, portRangesOf, selectsAllPods } from '../../src/checker/rules/network/network-policy-helpers';
import { parseCidrRange, rangeContainsAddress, rangeHostBits } from '../../src/model/cidr-math';

describe('cidr math |', () => {
  test.each([
    ['0.0.0.0/0', '169.254.169.254', true],
    ['169.254.0.0/16', '169.254.170.2', true],
    ['169.254.169.0/24', '169.254.170.2', false],
    ['100.64.0.0/10', '100.100.100.200', true],
    ['10.0.0.0/8', '169.254.169.254', false],
    ['::/0', 'fd00:ec2::254', true],
    ['fd00:ec2::/32', 'fd00:ec2::23', true],
    ['fd00::/8', 'fd00:ec2::254', true],
    ['2001:db8::/32', 'fd00:ec2::254', false],
    // families never mix: an ipv6 range does not reach an ipv4 address unless it is written ipv4-mapped
    ['::/0', '169.254.169.254', false],
    ['0.0.0.0/0', 'fd00:ec2::254', false],
    ['::ffff:0:0/96', '169.254.169.254', true],
    ['::ffff:169.254.169.254/128', '169.254.169.254', true],
    ['::ffff:169.254.0.0/112', '169.254.170.23', true],
    ['::ffff:10.0.0.0/104', '169.254.169.254', false],
    ['0.0.0.0/0', '::ffff:169.254.169.254', true],
    ['169.254.169.254', '169.254.169.254', true],
  ])('%s contains %s: %s', (cidr, address, expected) => {
    const range = parseCidrRange(cidr);
    expect(range).toBeDefined();
    expect(rangeContainsAddress(range!, address)).toBe(expected);
  });

  test('reads ipv4-mapped ranges as ipv4', () => {
    expect(parseCidrRange('::ffff:0:0/96')).toMatchObject({ family: 'ipv4', prefixLength: 0, mapped: true });
    expect(parseCidrRange('::ffff:169.254.169.254/128')?.address.toString()).toBe('169.254.169.254');
    // wider than the mapped block: stays ipv6
    expect(parseCidrRange('::ffff:0:0/95')).toMatchObject({ family: 'ipv6', prefixLength: 95, mapped: false });
  });

  test('counts host bits', () => {
    expect(rangeHostBits(parseCidrRange('10.0.0.0/28')!)).toBe(4);
    expect(rangeHostBits(parseCidrRange('fd00::/124')!)).toBe(4);
    expect(rangeHostBits(parseCidrRange('0.0.0.0/0')!)).toBe(32);
  });

  test.each([undefined, 7, '', 'not-an-ip', '10.0.0.0/33', '300.0.0.0/8', '::/129', []])('returns undefined for %p', (value) => {
    expect(parseCidrRange(value)).toBeUndefined();
  });
});

describe('network policy helpers |', () => {
  const policy = (spec: unknown) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spec });

  test('defaults policyTypes as the API server does', () => {
    expect(effectivePolicyTypes(policy({ podSelector: {} }))).toEqual(['Ingress']);
    expect(effectivePolicyTypes(policy({ podSelector: {}, policyTypes: [] }))).toEqual(['Ingress']);
    expect(effectivePolicyTypes(policy({ podSelector: {}, egress: [{}] }))).toEqual(['Ingress', 'Egress']);
    expect(effectivePolicyTypes(policy({ podSelector: {}, policyTypes: ['Egress'] }))).toEqual(['Egress']);
    expect(effectivePolicyTypes(policy('x'))).toEqual(['Ingress']);
  });

  test('ignores egress rules when Egress is not enforced', () => {
    expect(effectiveEgressRules(policy({ podSelector: {}, policyTypes: ['Ingress'], egress: [{}] }))).toEqual([]);
    expect(effectiveEgressRules(policy({ podSelector: {}, egress: [{}, 'x', { to: [] }] })).map((rule) => rule.path)).toEqual(['spec.egress[0]', 'spec.egress[2]']);
  });

  test('treats an empty or omitted pod selector as every pod', () => {
    expect(selectsAllPods(policy({ podSelector: {} }))).toBe(true);
    expect(selectsAllPods(policy({}))).toBe(true);
    expect(selectsAllPods(policy({ podSelector: { matchLabels: {}, matchExpressions: [] } }))).toBe(true);
    expect(selectsAllPods(policy({ podSelector: { matchLabels: { a: 'b' } } }))).toBe(false);
    expect(selectsAllPods(policy({ podSelector: 'x' }))).toBe(false);
  });

  test('reads ports tolerantly: no ports is every port, protocol defaults to TCP', () => {
    expect(portRangesOf({})).toBeUndefined();
    expect(portRangesOf({ ports: [] })).toBeUndefined();
    expect(portRangesOf({ ports: [{ port: 53, protocol: 'UDP' }, { port: 8000, endPort: 9000 }, { port: 'dns' }, { port: '443' }, { protocol: 'UDP' }, 7] })).toEqual([
      { protocol: 'UDP', from: 53, to: 53 },
      { protocol: 'TCP', from: 8000, to: 9000 },
      { protocol: 'TCP', named: 'dns' },
      { protocol: 'TCP', from: 443, to: 443 },
      { protocol: 'UDP' },
    ]);
  });
});
