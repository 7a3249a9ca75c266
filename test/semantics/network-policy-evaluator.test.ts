import { NetworkPolicyEvaluator, EvalPod, ipBlockMatches, selectorMatches } from '../../src/semantics/network-policy-evaluator';

const namespaces = [{ name: 'a', labels: { team: 'red' } }, { name: 'b', labels: { team: 'blue' } }];
const web: EvalPod = { name: 'web', namespace: 'a', labels: { app: 'web' }, ip: '10.0.0.1' };
const api: EvalPod = { name: 'api', namespace: 'a', labels: { app: 'api' }, ip: '10.0.0.2', ports: [{ name: 'http', containerPort: 8080 }] };
const other: EvalPod = { name: 'other', namespace: 'b', labels: { app: 'api' }, ip: '10.0.1.1' };

function policy(namespace: string, name: string, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}
const denyAll = (ns: string) => policy(ns, 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

describe('selectorMatches', () => {
  test('an empty selector selects every pod', () => {
    expect(selectorMatches({}, {})).toBe(true);
  });
  test('matchExpressions In, NotIn, Exists and DoesNotExist follow the API', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'x'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'q', operator: 'DoesNotExist' }] }, labels)).toBe(true);
  });
  test('throws on an unknown operator', () => {
    expect(() => selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }, {})).toThrow(/unknown label selector operator/);
  });
});

describe('ipBlockMatches', () => {
  test('except subtracts only inside its own block and families never mix', () => {
    const block = { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] };
    expect(ipBlockMatches(block, '1.2.3.4')).toBe(true);
    expect(ipBlockMatches(block, '169.254.169.254')).toBe(false);
    expect(ipBlockMatches(block, 'fd00:ec2::254')).toBe(false);
    expect(ipBlockMatches({ cidr: '::/0' }, 'fd00:ec2::254')).toBe(true);
  });
});

describe('NetworkPolicyEvaluator', () => {
  test('a pod no policy selects is open in both directions', () => {
    const evaluator = new NetworkPolicyEvaluator([], namespaces);
    expect(evaluator.allowed(web, api, 1234)).toBe(true);
    expect(evaluator.allowed(web, '8.8.8.8', 53, 'UDP')).toBe(true);
  });

  test('isolation is per direction: an ingress-only policy leaves egress open', () => {
    const evaluator = new NetworkPolicyEvaluator([policy('a', 'in', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] })], namespaces);
    expect(evaluator.allowed(web, '8.8.8.8', 443)).toBe(true);
    expect(evaluator.allowed(api, web, 80)).toBe(false);
  });

  test('policyTypes defaults to Ingress, plus Egress when egress rules are present', () => {
    const evaluator = new NetworkPolicyEvaluator([policy('a', 'p', { podSelector: {}, egress: [] })], namespaces);
    expect(evaluator.isolatingPolicies(web, 'Egress')).toEqual(['p']);
    expect(evaluator.isolatingPolicies(web, 'Ingress')).toEqual(['p']);
  });

  test('pod to pod needs the egress half and the ingress half', () => {
    const egress = policy('a', 'egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }] });
    const ingress = policy('a', 'ingress', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }] });
    expect(new NetworkPolicyEvaluator([denyAll('a'), egress], namespaces).allowed(web, api, 8080)).toBe(false);
    expect(new NetworkPolicyEvaluator([denyAll('a'), ingress], namespaces).allowed(web, api, 8080)).toBe(false);
    const both = new NetworkPolicyEvaluator([denyAll('a'), egress, ingress], namespaces);
    expect(both.allowed(web, api, 8080)).toBe(true);
    expect(both.allowed(web, api, 8080, 'UDP')).toBe(false);
    expect(both.allowed(web, api, 8081)).toBe(false);
    expect(both.allowed(api, web, 8080)).toBe(false);
  });

  test('allows add up across policies', () => {
    const allow1 = policy('a', 'one', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '1.0.0.0/8' } }] }] });
    const allow2 = policy('a', 'two', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '2.0.0.0/8' } }] }] });
    const evaluator = new NetworkPolicyEvaluator([denyAll('a'), allow1, allow2], namespaces);
    expect(evaluator.allowed(web, '1.1.1.1', 1)).toBe(true);
    expect(evaluator.allowed(web, '2.2.2.2', 1)).toBe(true);
    expect(evaluator.allowed(web, '3.3.3.3', 1)).toBe(false);
  });

  test('an except in one block does not subtract from another block', () => {
    const p = policy('a', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }, { ipBlock: { cidr: '169.254.0.0/16' } }] }] });
    expect(new NetworkPolicyEvaluator([p], namespaces).allowed(web, '169.254.169.254', 80)).toBe(true);
  });

  test('namespaceSelector and podSelector in one peer are AND, in two peers OR', () => {
    const and = policy('a', 'and', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: { matchLabels: { app: 'web' } } }] }] });
    const or = policy('a', 'or', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }, { podSelector: { matchLabels: { app: 'api' } } }] }] });
    expect(new NetworkPolicyEvaluator([and], namespaces).allowed(web, other, 80)).toBe(false);
    const orEvaluator = new NetworkPolicyEvaluator([or], namespaces);
    expect(orEvaluator.allowed(web, other, 80)).toBe(true);
    expect(orEvaluator.allowed(web, api, 80)).toBe(true);
  });

  test('a bare podSelector peer means the policy namespace only', () => {
    const p = policy('a', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }] });
    const evaluator = new NetworkPolicyEvaluator([p], namespaces);
    expect(evaluator.allowed(web, api, 80)).toBe(true);
    expect(evaluator.allowed(web, other, 80)).toBe(false);
  });

  test('kubernetes.io/metadata.name is set on every namespace', () => {
    const p = policy('a', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }] }] });
    expect(new NetworkPolicyEvaluator([p], namespaces).allowed(web, other, 80)).toBe(true);
  });

  test('port ranges with endPort, protocols, and rules without ports', () => {
    const p = policy('a', 'p', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '1.0.0.0/8' } }], ports: [{ port: 8000, endPort: 8100, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '2.0.0.0/8' } }] },
        { to: [{ ipBlock: { cidr: '3.0.0.0/8' } }], ports: [{ protocol: 'UDP' }] },
      ],
    });
    const evaluator = new NetworkPolicyEvaluator([p], namespaces);
    expect(evaluator.allowed(web, '1.1.1.1', 8050)).toBe(true);
    expect(evaluator.allowed(web, '1.1.1.1', 8101)).toBe(false);
    expect(evaluator.allowed(web, '1.1.1.1', 8050, 'UDP')).toBe(false);
    expect(evaluator.allowed(web, '2.2.2.2', 65535, 'SCTP')).toBe(true);
    expect(evaluator.allowed(web, '3.3.3.3', 9, 'UDP')).toBe(true);
    expect(evaluator.allowed(web, '3.3.3.3', 9, 'TCP')).toBe(false);
  });

  test('named ports resolve against known container ports and otherwise match any port', () => {
    const p = policy('a', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] });
    const evaluator = new NetworkPolicyEvaluator([p], namespaces);
    expect(evaluator.allowed(web, api, 8080)).toBe(true);
    expect(evaluator.allowed(web, api, 9090)).toBe(false);
    expect(evaluator.allowed(web, other, 9090)).toBe(true);
  });

  test('ipBlock peers match pod ips on ingress', () => {
    const p = policy('a', 'p', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/24' } }] }] });
    const evaluator = new NetworkPolicyEvaluator([p], namespaces);
    expect(evaluator.allowed(web, api, 80)).toBe(true);
    expect(evaluator.allowed(other, api, 80)).toBe(false);
    expect(evaluator.allowed('10.0.0.9', api, 80)).toBe(true);
  });

  test('throws on a policy without a namespace', () => {
    expect(() => new NetworkPolicyEvaluator([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: {} } }], [])).toThrow(/has no namespace/);
  });

  test('throws on a pod in an unknown namespace', () => {
    const p = policy('a', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] });
    expect(() => new NetworkPolicyEvaluator([p], []).allowed(web, { ...other, namespace: 'zzz' }, 80)).toThrow(/unknown to the evaluator/);
  });
});
