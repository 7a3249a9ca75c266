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

/** an egress rule that takes effect, with its path. */
export interface EgressRule {
  readonly rule: Record<string, unknown>;
  readonly index: number;
  /** `spec.egress[0]`. */
  readonly path: string;
}

/** the egress rules Kubernetes enforces: none when the policy does not isolate egress. */
export function effectiveEgressRules(policy: KubeObject): EgressRule[] {
  if (!effectivePolicyTypes(policy).includes('Egress')) return [];
  const result: EgressRule[] = [];
  asArray(asRecord(policy.spec)?.egress).forEach((item, index) => {
    const rule = asRecord(item);
    if (rule) result.push({ rule, index, path: `spec.egress[${index}]` });
  });
  return result;
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
export function describePorts(ranges: PortRange[] | undefined): string {
  if (ranges === undefined) return 'all ports';
  return ranges.map((range) => {
    if (range.named !== undefined) return `${range.named}/${range.protocol}`;
    if (range.from === undefined) return `all ${range.protocol} ports`;
    return range.from === range.to ? `${range.from}/${range.protocol}` : `${range.from}-${range.to}/${range.protocol}`;
  }).join(', ');
}

/** true when some range allows `port` over `protocol`; named ports never match a number. */
export function allowsPort(ranges: PortRange[] | undefined, port: number, protocol: string): boolean {
  if (ranges === undefined) return true;
  return ranges.some((range) => range.protocol === protocol && range.named === undefined
    && (range.from === undefined || (range.from <= port && port <= (range.to ?? range.from))));
}

/** an ingress rule that takes effect, with its path. */
export interface IngressRule {
  readonly rule: Record<string, unknown>;
  readonly index: number;
  /** `spec.ingress[0]`. */
  readonly path: string;
}

/** the ingress rules Kubernetes enforces: none when the policy does not isolate ingress. */
export function effectiveIngressRules(policy: KubeObject): IngressRule[] {
  if (!effectivePolicyTypes(policy).includes('Ingress')) return [];
  const result: IngressRule[] = [];
  asArray(asRecord(policy.spec)?.ingress).forEach((item, index) => {
    const rule = asRecord(item);
    if (rule) result.push({ rule, index, path: `spec.ingress[${index}]` });
  });
  return result;
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
