import { CidrRange, parseCidrRange } from '../../../model/cidr-math';
import { ObjectMemo } from '../../object-memo';
import { asArray, asRecord } from '../../pod-spec';
import type { KubeObject } from '../../types';
import { asString } from '../rule-helpers';

/** a direction a NetworkPolicy can isolate. */
export type PolicyDirection = 'Ingress' | 'Egress';

/**
 * The directions a NetworkPolicy isolates, as the API server defaults them: an unset or empty
 * `policyTypes` means Ingress, plus Egress when the policy has egress rules.
 */
export function effectivePolicyTypes(policy: KubeObject): PolicyDirection[] {
  const spec = asRecord(policy.spec) ?? {};
  const declared = asArray(spec.policyTypes);
  if (declared.length > 0) {
    return (['Ingress', 'Egress'] as const).filter((direction) => declared.includes(direction));
  }
  return asArray(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** true when the policy isolates `direction` (`effectivePolicyTypes`), without building the list. */
function isolates(policy: KubeObject, direction: PolicyDirection): boolean {
  const spec = asRecord(policy.spec);
  const declared = asArray(spec?.policyTypes);
  if (declared.length > 0) return declared.includes(direction);
  return direction === 'Ingress' || asArray(spec?.egress).length > 0;
}

/** true when a label selector selects everything: `{}`, or only empty matchLabels/matchExpressions. */
export function selectsEverything(selector: unknown): boolean {
  const record = asRecord(selector);
  if (!record) return false;
  const labels = record.matchLabels;
  const expressions = record.matchExpressions;
  const emptyLabels = labels === undefined || labels === null || (asRecord(labels) !== undefined && Object.keys(asRecord(labels)!).length === 0);
  const emptyExpressions = expressions === undefined || expressions === null || (Array.isArray(expressions) && expressions.length === 0);
  return emptyLabels && emptyExpressions;
}

/** true when the policy's `podSelector` selects every pod of its namespace (an omitted selector is the empty one). */
export function selectsAllPods(policy: KubeObject): boolean {
  const spec = asRecord(policy.spec);
  if (!spec) return false;
  return spec.podSelector === undefined || spec.podSelector === null || selectsEverything(spec.podSelector);
}

/**
 * A rule of a NetworkPolicy that takes effect (`spec.egress[i]` or `spec.ingress[i]`), with what
 * the network rules read from it computed once: seven rules walk the same policy one after another.
 */
export class NetworkPolicyRule {
  private portRanges?: readonly PortRange[] | null;
  private portsText?: string;
  private peerList?: readonly NetworkPolicyPeer[];

  /**
   * @param rule the rule as written
   * @param index its position in the policy's list
   * @param path `spec.egress[0]`
   * @param peersKey `to` for egress, `from` for ingress
   */
  constructor(readonly rule: Record<string, unknown>, readonly index: number, readonly path: string, private readonly peersKey: 'to' | 'from') {}

  /** the port ranges the rule allows (`portRangesOf`); undefined means every port of every protocol. */
  get ports(): readonly PortRange[] | undefined {
    if (this.portRanges === undefined) this.portRanges = portRangesOf(this.rule) ?? null;
    return this.portRanges ?? undefined;
  }

  /** the ports for messages (`describePorts`). */
  get describedPorts(): string {
    return this.portsText ??= describePorts(this.ports);
  }

  /** the entries of `to` or `from` that are mappings, with their index in the list. */
  get peers(): readonly NetworkPolicyPeer[] {
    if (!this.peerList) {
      const peers: NetworkPolicyPeer[] = [];
      const items = asArray(this.rule[this.peersKey]);
      for (let index = 0; index < items.length; index++) {
        const peer = asRecord(items[index]);
        if (peer) peers.push(new NetworkPolicyPeer(peer, index, this.path, this.peersKey));
      }
      this.peerList = peers;
    }
    return this.peerList;
  }
}

/** one peer of a rule's `to` or `from`, with its ipBlock read once. */
export class NetworkPolicyPeer {
  private block?: IpBlock | null;
  private peerPath?: string;

  /**
   * @param peer the peer as written
   * @param index its position in the rule's `to` or `from` (entries that are not mappings count)
   * @param rulePath `spec.egress[0]`
   * @param listKey `to` or `from`
   */
  constructor(readonly peer: Record<string, unknown>, readonly index: number, private readonly rulePath: string, private readonly listKey: 'to' | 'from') {}

  /** `spec.egress[0].to[1]`, written when a finding needs it. */
  get path(): string {
    return this.peerPath ??= `${this.rulePath}.${this.listKey}[${this.index}]`;
  }

  /** the peer's ipBlock when its cidr parses, with the excepts that parse. */
  get ipBlock(): IpBlock | undefined {
    if (this.block === undefined) {
      const ipBlock = asRecord(this.peer.ipBlock);
      const range = parseCidrRange(ipBlock?.cidr);
      this.block = ipBlock && range ? {
        cidr: ipBlock.cidr as string,
        range,
        path: `${this.path}.ipBlock.cidr`,
        excepts: asArray(ipBlock.except).map(parseCidrRange).filter((except): except is CidrRange => except !== undefined),
      } : null;
    }
    return this.block ?? undefined;
  }
}

/** an ipBlock whose cidr parses. */
export interface IpBlock {
  /** the cidr as written. */
  readonly cidr: string;
  readonly range: CidrRange;
  /** `spec.egress[0].to[1].ipBlock.cidr`. */
  readonly path: string;
  /** the excepts that parse; the others remove nothing. */
  readonly excepts: readonly CidrRange[];
}

const EGRESS_RULES = new ObjectMemo<KubeObject, readonly NetworkPolicyRule[]>((policy) => policyRules(policy, 'Egress'));
const INGRESS_RULES = new ObjectMemo<KubeObject, readonly NetworkPolicyRule[]>((policy) => policyRules(policy, 'Ingress'));

function policyRules(policy: KubeObject, direction: PolicyDirection): readonly NetworkPolicyRule[] {
  if (!isolates(policy, direction)) return [];
  const key = direction === 'Egress' ? 'egress' : 'ingress';
  const result: NetworkPolicyRule[] = [];
  const items = asArray(asRecord(policy.spec)?.[key]);
  for (let index = 0; index < items.length; index++) {
    const rule = asRecord(items[index]);
    if (rule) result.push(new NetworkPolicyRule(rule, index, `spec.${key}[${index}]`, direction === 'Egress' ? 'to' : 'from'));
  }
  return result;
}

/** the egress rules Kubernetes enforces: none when the policy does not isolate egress. Shared: never modify. */
export function effectiveEgressRules(policy: KubeObject): readonly NetworkPolicyRule[] {
  return EGRESS_RULES.get(policy);
}

/** true when an egress rule names no destination, so it allows every address. */
export function allowsEveryDestination(rule: Record<string, unknown>): boolean {
  return asArray(rule.to).length === 0;
}

/** one entry of a rule's `ports`, read tolerantly. */
export interface PortRange {
  readonly protocol: string;
  /** undefined: every port of the protocol. */
  readonly from?: number;
  readonly to?: number;
  /** a named port, resolved against the destination pod; its number is unknown here. */
  readonly named?: string;
}

/**
 * The port ranges a rule allows; undefined when the rule has no ports, which allows all ports
 * of every protocol.
 */
export function portRangesOf(rule: Record<string, unknown>): PortRange[] | undefined {
  const ports = asArray(rule.ports);
  if (ports.length === 0) return undefined;
  const result: PortRange[] = [];
  for (const item of ports) {
    const entry = asRecord(item);
    if (!entry) continue;
    const protocol = asString(entry.protocol) ?? 'TCP';
    if (typeof entry.port === 'string') {
      if (/^\d+$/.test(entry.port)) {
        const port = Number(entry.port);
        result.push({ protocol, from: port, to: port });
      } else {
        result.push({ protocol, named: entry.port });
      }
    } else if (typeof entry.port === 'number') {
      const end = typeof entry.endPort === 'number' && entry.endPort >= entry.port ? entry.endPort : entry.port;
      result.push({ protocol, from: entry.port, to: end });
    } else {
      result.push({ protocol });
    }
  }
  return result;
}

/** `all ports`, or `53/UDP, 8000-8080/TCP`. */
export function describePorts(ranges: readonly PortRange[] | undefined): string {
  if (ranges === undefined) return 'all ports';
  return ranges.map((range) => {
    if (range.named !== undefined) return `${range.named}/${range.protocol}`;
    if (range.from === undefined) return `all ${range.protocol} ports`;
    return range.from === range.to ? `${range.from}/${range.protocol}` : `${range.from}-${range.to}/${range.protocol}`;
  }).join(', ');
}

/** true when some range allows `port` over `protocol`; named ports never match a number. */
export function allowsPort(ranges: readonly PortRange[] | undefined, port: number, protocol: string): boolean {
  if (ranges === undefined) return true;
  return ranges.some((range) => range.protocol === protocol && range.named === undefined
    && (range.from === undefined || (range.from <= port && port <= (range.to ?? range.from))));
}

/** the ingress rules Kubernetes enforces: none when the policy does not isolate ingress. Shared: never modify. */
export function effectiveIngressRules(policy: KubeObject): readonly NetworkPolicyRule[] {
  return INGRESS_RULES.get(policy);
}

/**
 * True when a label selector selects everything, or everything but a few: no matchLabels, and
 * every expression only excludes (NotIn, DoesNotExist) or asks for the name label every
 * namespace carries (`kubernetes.io/metadata.name` Exists). Such a selector also picks up every
 * namespace created later, so it is as broad as `{}`.
 */
export function selectsNearlyEverything(selector: unknown): boolean {
  const record = asRecord(selector);
  if (!record) return false;
  if (selectsEverything(record)) return true;
  const labels = asRecord(record.matchLabels);
  if (labels && Object.keys(labels).length > 0) return false;
  const expressions = asArray(record.matchExpressions).map(asRecord);
  return expressions.length > 0 && expressions.every((expression) => expression !== undefined && (
    expression.operator === 'NotIn' || expression.operator === 'DoesNotExist'
    || (expression.operator === 'Exists' && expression.key === 'kubernetes.io/metadata.name')));
}

/** true when a peer's namespaceSelector selects (nearly) every namespace. */
export function peerSelectsEveryNamespace(peer: Record<string, unknown>): boolean {
  return peer.namespaceSelector !== undefined && peer.namespaceSelector !== null && selectsNearlyEverything(peer.namespaceSelector);
}

/** true when a peer selects every pod of (nearly) every namespace: a broad namespaceSelector with no narrowing podSelector. */
export function peerSelectsAllPodsEverywhere(peer: Record<string, unknown>): boolean {
  if (!peerSelectsEveryNamespace(peer)) return false;
  return peer.podSelector === undefined || peer.podSelector === null || selectsNearlyEverything(peer.podSelector);
}

/** which pods a policy applies to, for messages: `every pod of namespace "shop"` or `the pods it selects`. */
export function describeSelectedPods(policy: KubeObject): string {
  const namespace = asString(asRecord(policy.metadata)?.namespace);
  if (selectsAllPods(policy)) return namespace ? `every pod of namespace ${JSON.stringify(namespace)}` : 'every pod of its namespace';
  return 'the pods it selects';
}
