import * as ipaddr from 'ipaddr.js';
import { asArray, asRecord, containersOf, podSpecOf } from '../checker/pod-spec';

/**
 * An evaluator of Kubernetes NetworkPolicy (networking.k8s.io/v1) semantics, used by `diff`,
 * `report` and the tests:
 * - a pod is isolated for a direction only when some policy in its namespace selects it and
 *   lists that direction in policyTypes (default: Ingress, plus Egress when egress is set);
 * - allows of every policy selecting the pod add up (union), there is no deny;
 * - pod to pod needs the source's egress AND the destination's ingress;
 * - a peer with namespaceSelector and podSelector is one AND term; a bare podSelector means
 *   the policy's own namespace; ipBlock matches addresses in cidr and not in its own except;
 * - a rule without peers matches every peer, a rule without ports every port;
 * - a named port resolves against the destination pod's container ports; when those are
 *   unknown it is treated as matching any port, which over-approximates what is allowed.
 * ipBlock peers match only addresses outside the cluster: whether they match pod IPs is left to
 * the network plugin, so pods here carry no IP unless a caller gives one.
 */

export type Labels = Record<string, string>;

export interface EvalNamespace {
  readonly name: string;
  /** `kubernetes.io/metadata.name` is added automatically, as the API server does. */
  readonly labels?: Labels;
}

export interface EvalContainerPort {
  readonly name: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

export interface EvalPod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ip?: string;
  readonly ports?: EvalContainerPort[];
}

/** a destination or source: a pod, or a bare IP address outside the cluster. */
export type Endpoint = EvalPod | string;

interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

interface Rule {
  to?: Peer[];
  from?: Peer[];
  ports?: PolicyPort[];
}

interface NetworkPolicy {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: string[];
    ingress?: Rule[];
    egress?: Rule[];
  };
}

type Direction = 'Ingress' | 'Egress';

/** true when labels satisfy a label selector; `{}` selects everything. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (selector === undefined || selector === null) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(labels[expression.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[expression.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`unknown label selector operator ${expression.operator}`);
    }
  }
  return true;
}

/** true when an address lies in `cidr` and in none of its excepts (same family only). */
export function ipBlockMatches(block: { cidr: string; except?: string[] }, address: string): boolean {
  const ip = ipaddr.parse(address);
  const inRange = (cidr: string): boolean => {
    let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      range = ipaddr.parseCIDR(cidr);
    } catch {
      // the API server rejects a malformed CIDR; a peer with one matches nothing.
      return false;
    }
    return range[0].kind() === ip.kind() && ip.match(range);
  };
  return inRange(block.cidr) && !(block.except ?? []).some(inRange);
}

/** how an evaluator treats input the API server would complete or reject. */
export interface EvaluatorOptions {
  /**
   * Strict (tests): a policy without a namespace or podSelector, an ipBlock combined with
   * selectors, an unknown selector operator or a pod in an undeclared namespace throws. Lenient
   * (`diff`, `report` on user trees): a policy without a namespace lives in `defaultNamespace`, as
   * `kubectl apply` puts it; a missing podSelector selects every pod (the API server defaults it to
   * `{}`); an unknown operator selects nothing; an undeclared namespace carries only
   * `kubernetes.io/metadata.name`.
   * @default true
   */
  readonly strict?: boolean;
  /** @default 'default' */
  readonly defaultNamespace?: string;
}

export class NetworkPolicyEvaluator {
  private readonly policies: NetworkPolicy[];
  private readonly namespaceLabels = new Map<string, Labels>();
  private readonly strict: boolean;
  private readonly byNamespace = new Map<string, NetworkPolicy[]>();
  private readonly isolation = new WeakMap<EvalPod, Map<Direction, NetworkPolicy[]>>();

  constructor(objects: readonly any[], namespaces: readonly EvalNamespace[], options: EvaluatorOptions = {}) {
    this.strict = options.strict ?? true;
    const defaultNamespace = options.defaultNamespace ?? 'default';
    const found: NetworkPolicy[] = objects.filter(o => o?.kind === 'NetworkPolicy' && o?.apiVersion === 'networking.k8s.io/v1');
    this.policies = this.strict ? found : found.map(policy => ({
      ...policy,
      metadata: { ...policy.metadata, name: String(policy.metadata?.name ?? ''), namespace: policy.metadata?.namespace || defaultNamespace },
      spec: { ...policy.spec, podSelector: policy.spec?.podSelector ?? {} },
    }));
    for (const policy of this.policies) {
      if (!policy.metadata?.namespace) throw new Error(`NetworkPolicy ${policy.metadata?.name} has no namespace`);
      if (!policy.spec?.podSelector) throw new Error(`NetworkPolicy ${policy.metadata.name} has no podSelector`);
      let list = this.byNamespace.get(policy.metadata.namespace);
      if (!list) this.byNamespace.set(policy.metadata.namespace, list = []);
      list.push(policy);
      if (!this.strict) continue;
      for (const rule of [...policy.spec.ingress ?? [], ...policy.spec.egress ?? []]) {
        for (const peer of [...rule.from ?? [], ...rule.to ?? []]) {
          if (peer.ipBlock && (peer.podSelector || peer.namespaceSelector)) {
            throw new Error(`NetworkPolicy ${policy.metadata.name}: ipBlock cannot be combined with selectors in one peer`);
          }
        }
      }
    }
    for (const namespace of namespaces) {
      this.namespaceLabels.set(namespace.name, { ...namespace.labels, 'kubernetes.io/metadata.name': namespace.name });
    }
  }

  /** whether `src` may open a connection to `dst` on `port`/`protocol`. */
  public allowed(src: Endpoint, dst: Endpoint, port: number, protocol: string = 'TCP'): boolean {
    const egress = typeof src === 'string' || this.directionAllows(src, 'Egress', dst, dst, port, protocol);
    const ingress = typeof dst === 'string' || this.directionAllows(dst, 'Ingress', src, dst, port, protocol);
    return egress && ingress;
  }

  /** the policies that select a pod for a direction (isolation). */
  public isolatingPolicies(pod: EvalPod, direction: Direction): string[] {
    return this.policiesFor(pod, direction).map(p => p.metadata.name);
  }

  /** the names of the policies (in the pod's namespace) that select a pod, whatever their direction. */
  public selectingPolicies(pod: EvalPod): string[] {
    return (this.byNamespace.get(pod.namespace) ?? []).filter(policy => this.matches(policy.spec.podSelector, pod.labels)).map(p => p.metadata.name);
  }

  private policiesFor(pod: EvalPod, direction: Direction): NetworkPolicy[] {
    // pods are looked up many times when a whole tree is walked: remember each pod's answer.
    let cached = this.isolation.get(pod);
    if (!cached) this.isolation.set(pod, cached = new Map());
    const known = cached.get(direction);
    if (known) return known;
    const found = this.computePoliciesFor(pod, direction);
    cached.set(direction, found);
    return found;
  }

  private computePoliciesFor(pod: EvalPod, direction: Direction): NetworkPolicy[] {
    return (this.byNamespace.get(pod.namespace) ?? []).filter(policy =>
      this.matches(policy.spec.podSelector, pod.labels)
      && policyTypes(policy).includes(direction));
  }

  private matches(selector: LabelSelector | undefined, labels: Labels): boolean {
    if (this.strict) return selectorMatches(selector, labels);
    try {
      return selectorMatches(selector, labels);
    } catch {
      return false;
    }
  }

  private directionAllows(pod: EvalPod, direction: Direction, peer: Endpoint, destination: Endpoint, port: number, protocol: string): boolean {
    const selecting = this.policiesFor(pod, direction);
    if (selecting.length === 0) return true;
    return selecting.some(policy => {
      const rules = (direction === 'Egress' ? policy.spec.egress : policy.spec.ingress) ?? [];
      return rules.some(rule => {
        const peers = direction === 'Egress' ? rule.to : rule.from;
        const peerOk = !peers || peers.length === 0 || peers.some(p => this.peerMatches(p, policy.metadata.namespace!, peer));
        return peerOk && portsMatch(rule.ports, destination, port, protocol);
      });
    });
  }

  private peerMatches(peer: Peer, policyNamespace: string, target: Endpoint): boolean {
    if (peer.ipBlock) {
      const address = typeof target === 'string' ? target : target.ip;
      return address !== undefined && ipBlockMatches(peer.ipBlock, address);
    }
    if (typeof target === 'string') return false;
    if (peer.namespaceSelector) {
      let labels = this.namespaceLabels.get(target.namespace);
      if (labels === undefined) {
        if (this.strict) throw new Error(`namespace ${target.namespace} of pod ${target.name} is unknown to the evaluator`);
        labels = { 'kubernetes.io/metadata.name': target.namespace };
      }
      if (!this.matches(peer.namespaceSelector, labels)) return false;
    } else if (target.namespace !== policyNamespace) {
      return false;
    }
    return peer.podSelector === undefined || this.matches(peer.podSelector, target.labels);
  }
}

function policyTypes(policy: NetworkPolicy): string[] {
  if (policy.spec.policyTypes && policy.spec.policyTypes.length > 0) return policy.spec.policyTypes;
  return policy.spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
}

function portsMatch(ports: PolicyPort[] | undefined, destination: Endpoint, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some(p => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') {
      // unknown container ports (or an ip destination): treat the named port as any port,
      // which over-approximates allows
      if (typeof destination === 'string' || destination.ports === undefined) return true;
      const named = destination.ports.find(c => c.name === p.port && (c.protocol ?? 'TCP') === protocol);
      return named !== undefined && named.containerPort === port;
    }
    return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
  });
}

/**
 * The pods a set of manifests would run: one representative pod per workload (its pod
 * template labels, namespace and named container ports), so the evaluator can check a
 * synthesized app or `dist/`. Pods get no IP.
 */
export function podsFromManifests(objects: readonly any[], defaultNamespace: string = 'default'): EvalPod[] {
  const pods: EvalPod[] = [];
  for (const object of objects) {
    const location = podSpecOf(object);
    if (!location) continue;
    const ports: EvalContainerPort[] = [];
    for (const { container } of containersOf(location.spec)) {
      for (const port of asArray(container.ports)) {
        const record = asRecord(port);
        if (typeof record?.name === 'string' && typeof record.containerPort === 'number') {
          ports.push({ name: record.name, containerPort: record.containerPort, protocol: typeof record.protocol === 'string' ? record.protocol : undefined });
        }
      }
    }
    pods.push({
      name: `${object.kind}/${object.metadata?.name}`,
      namespace: object.metadata?.namespace ?? defaultNamespace,
      labels: { ...asRecord(location.metadata.labels) as Labels },
      ports,
    });
  }
  return pods;
}

/** the namespaces declared in manifests, with their labels. */
export function namespacesFromManifests(objects: readonly any[]): EvalNamespace[] {
  return objects.filter(o => o?.kind === 'Namespace').map(o => ({ name: o.metadata.name, labels: { ...o.metadata.labels } }));
}
