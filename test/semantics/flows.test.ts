import { addressClasses, compareReachability, Flow, networkModel } from '../../src/semantics/flows';
import { NetworkPolicyEvaluator } from '../../src/semantics/network-policy-evaluator';

type Obj = Record<string, unknown>;

const namespace = (name: string, labels: Record<string, string> = {}): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const deployment = (ns: string, name: string, labels: Record<string, string>, ports: { name: string; containerPort: number }[] = []): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: 'x', ports }] } } },
});
const policy = (ns: string, name: string, spec: Obj): Obj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
const denyAll = (ns: string) => policy(ns, 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

const text = (flows: readonly Flow[]) => flows.map((flow) => `${flow.source.id} -> ${flow.destination.id} ${flow.ports}/${flow.protocol}`);
const diff = (base: Obj[], head: Obj[]) => compareReachability(networkModel(base), networkModel(head));

const app = [namespace('a'), namespace('b', { team: 'b' }), denyAll('a'), deployment('a', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }])];

describe('flows | reachability between trees', () => {
  test('identical trees differ in nothing', () => {
    expect(diff(app, app)).toEqual({ added: [], removed: [] });
  });

  test('egress to the internet shows per family, metadata addresses apart, and private ranges apart', () => {
    const head = [...app, policy('a', 'out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'] } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 443 }] }] })];
    const added = text(diff(app, head).added);
    expect(added).toContain('a/Deployment/web -> internet (IPv4) 443/TCP');
    expect(added).toContain('a/Deployment/web -> internet (IPv6) 443/TCP');
    // ::/0 reaches the IPv6 metadata address, the IPv4 one is excepted.
    expect(added).toContain('a/Deployment/web -> metadata fd00:ec2::254 (AWS EC2 IMDS (IPv6, Nitro)) 443/TCP');
    expect(added.some((flow) => flow.includes('metadata 169.254.169.254'))).toBe(false);
    // 0.0.0.0/0 minus RFC 1918 still holds reserved ranges such as 192.0.2.0/24.
    expect(added).toContain('a/Deployment/web -> private or reserved (IPv4) 443/TCP');
    expect(added.every((flow) => flow.startsWith('a/Deployment/web -> '))).toBe(true);
  });

  test('ingress from other namespaces and from pods no policy names shows as classes (pods of a are denied egress)', () => {
    const head = [...app, policy('a', 'in', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 'http' }] }] })];
    expect(text(diff(app, head).added)).toEqual([
      '(other namespace)/(other pod) -> a/Deployment/web 8080/TCP',
      'b/(other pod) -> a/Deployment/web 8080/TCP',
      'kube-system/cluster DNS -> a/Deployment/web 8080/TCP',
    ]);
  });

  test('DNS egress shows as a flow to cluster DNS on 53, UDP and TCP', () => {
    const dns = policy('a', 'dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
    });
    expect(text(diff(app, [...app, dns]).added)).toEqual([
      'a/(other pod) -> kube-system/cluster DNS 53/TCP',
      'a/(other pod) -> kube-system/cluster DNS 53/UDP',
      'a/Deployment/web -> kube-system/cluster DNS 53/TCP',
      'a/Deployment/web -> kube-system/cluster DNS 53/UDP',
    ]);
  });

  test('a port range is reported as a range, and removing isolation opens every port', () => {
    const ranged = [...app, deployment('a', 'api', { app: 'api' }), policy('a', 'r', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8000, endPort: 8100 }] }] }),
      policy('a', 'api-in', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{}] })];
    expect(text(diff(app, ranged).added)).toContain('a/Deployment/web -> a/Deployment/api 8000-8100/TCP');
    const open = ranged.filter((object) => object !== ranged[2] && object !== ranged[5]);
    const opened = text(diff(ranged, open).added);
    expect(opened).toContain('a/Deployment/web -> a/Deployment/api 1-7999/TCP');
    expect(opened).toContain('a/Deployment/web -> a/Deployment/api 8101-65535/TCP');
  });

  test('a namespace label change opens a namespaceSelector flow', () => {
    const base = [...app, deployment('b', 'client', { app: 'client' }), policy('a', 'in', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { trusted: 'yes' } } }] }] })];
    const head = base.map((object) => (object.kind === 'Namespace' && (object.metadata as Obj).name === 'b' ? namespace('b', { team: 'b', trusted: 'yes' }) : object));
    const added = text(diff(base, head).added);
    expect(added).toContain('b/Deployment/client -> a/Deployment/web 1-65535/TCP');
    expect(added.every((flow) => flow.startsWith('b/'))).toBe(true);
  });
});

describe('flows | address classes', () => {
  test('every class has probe addresses, sorted and stable', () => {
    const classes = addressClasses(['203.0.113.0/24', '2001:db8::/32']);
    expect(classes.map((entry) => entry.id)).toEqual([...classes.map((entry) => entry.id)].sort());
    expect(classes.every((entry) => entry.addresses.length > 0)).toBe(true);
    expect(addressClasses(['203.0.113.0/24', '2001:db8::/32'])).toEqual(classes);
  });
});

describe('NetworkPolicyEvaluator | lenient mode for user trees', () => {
  const pod = { name: 'p', namespace: 'default', labels: { app: 'p' } };
  test('a policy without a namespace lives in the default namespace and a missing podSelector selects all', () => {
    const evaluator = new NetworkPolicyEvaluator([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { policyTypes: ['Ingress'] } }], [], { strict: false });
    expect(evaluator.allowed('8.8.8.8', pod, 80)).toBe(false);
    expect(evaluator.selectingPolicies(pod)).toEqual(['x']);
  });

  test('an undeclared namespace carries its name label and an unknown operator selects nothing', () => {
    const evaluator = new NetworkPolicyEvaluator([{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'x', namespace: 'default' },
      spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }, { podSelector: { matchExpressions: [{ key: 'a', operator: 'Gt' }] } }] }] },
    }], [], { strict: false });
    expect(evaluator.allowed({ name: 'q', namespace: 'other', labels: {} }, pod, 80)).toBe(true);
    expect(evaluator.allowed({ name: 'r', namespace: 'default', labels: { a: '1' } }, pod, 80)).toBe(false);
  });

  test('a malformed CIDR matches nothing', () => {
    const evaluator = new NetworkPolicyEvaluator([policy('default', 'x', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'not-a-cidr' } }] }] })], [], { strict: false });
    expect(evaluator.allowed('8.8.8.8', pod, 80)).toBe(false);
  });
});
