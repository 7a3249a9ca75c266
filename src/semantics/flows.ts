import * as ipaddr from 'ipaddr.js';
import { EvalContainerPort, EvalNamespace, EvalPod, Labels, NetworkPolicyEvaluator } from './network-policy-evaluator';
import { PROTOCOLS } from './reachability';
import { asArray, asRecord, containersOf, podSpecOf } from '../checker/pod-spec';
import { METADATA_ENDPOINTS } from '../model/metadata-catalogue';

/**
 * Who may open connections to whom in a manifest tree, computed from NetworkPolicy semantics
 * (`NetworkPolicyEvaluator`), not from which policy objects exist.
 *
 * Endpoints are the tree's workloads (one representative pod per pod template), plus classes that
 * stand for what the tree does not name:
 * - `(other pod)` in each namespace: a pod with no labels, which no policy names by its labels;
 * - `(other namespace)`: a pod with no labels in a namespace the tree does not declare;
 * - `cluster DNS`: kube-dns/CoreDNS in kube-system (`k8s-app: kube-dns`, 53/UDP and 53/TCP), unless
 *   the tree runs it itself;
 * - address classes outside the cluster, per family: every documented metadata address on its own,
 *   `internet` (public unicast) and `private or reserved` (RFC 1918, CGNAT, link-local, ULA, ...).
 *
 * An address class is reached when any address in it is: NetworkPolicy answers are constant between
 * the edges of the ipBlock CIDRs (and of the class ranges), so probing each edge covers every
 * address. Ports are probed the same way (each port and endPort edge, and every container port,
 * since named ports resolve to them), then merged into ranges.
 */

/** one end of a flow. */
export interface ReachabilityEndpoint {
  /** stable identity across trees: `namespace/Kind/name`, or the class name. */
  readonly id: string;
  /** the workload kind, or `class` for the address and pod classes. */
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** one allowed (or no longer allowed) connection. */
export interface Flow {
  readonly source: ReachabilityEndpoint;
  readonly destination: ReachabilityEndpoint;
  readonly protocol: string;
  /** `80`, `8000-8080` or `1-65535`. */
  readonly ports: string;
}

/** a workload or pod class that runs pods. */
interface PodEndpoint extends ReachabilityEndpoint {
  readonly pod: EvalPod;
  /** what a pair's answer depends on besides the policies selecting the pod. */
  readonly fingerprint: string;
}

/** an address class outside the cluster. */
interface AddressEndpoint extends ReachabilityEndpoint {
  readonly family: 'ipv4' | 'ipv6';
  /** true for a metadata address: a destination only. */
  readonly metadata: boolean;
  /** filled per comparison: the probe addresses in this class. */
  addresses: string[];
}

/** a manifest tree, read for reachability. */
export interface NetworkModel {
  readonly evaluator: NetworkPolicyEvaluator;
  readonly pods: ReadonlyMap<string, PodEndpoint>;
  /** policy identity (`namespace/name`) to its JSON, for spotting changed policies. */
  readonly policies: ReadonlyMap<string, string>;
  /** policy identity to the pod endpoint ids it selects. */
  readonly selected: ReadonlyMap<string, readonly string[]>;
  /** every ipBlock CIDR (and except) the policies name. */
  readonly cidrs: readonly string[];
  /** every port number where an answer may change. */
  readonly portEdges: readonly number[];
}

const OTHER_NAMESPACE = '(other namespace)';
const DNS_LABELS: Labels = { 'k8s-app': 'kube-dns' };

/** non-public ranges; an address outside them is `internet`. */
const NON_PUBLIC: Record<'ipv4' | 'ipv6', readonly string[]> = {
  ipv4: ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24',
    '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4'],
  ipv6: ['::/127', '::ffff:0:0/96', '64:ff9b::/96', '100::/64', '2001::/23', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'ff00::/8'],
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stringLabels(value: unknown): Labels {
  const labels: Labels = {};
  for (const [key, label] of Object.entries(asRecord(value) ?? {})) if (typeof label === 'string') labels[key] = label;
  return labels;
}

/** stable JSON: keys sorted, so two trees that differ only in key order compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** the namespaces a policy's peers name by `kubernetes.io/metadata.name`. */
function namespacesNamedBy(policy: Record<string, unknown>): string[] {
  const names: string[] = [];
  const spec = asRecord(policy.spec);
  for (const rule of [...asArray(spec?.ingress), ...asArray(spec?.egress)]) {
    for (const peer of [...asArray(asRecord(rule)?.from), ...asArray(asRecord(rule)?.to)]) {
      const selector = asRecord(asRecord(peer)?.namespaceSelector);
      const named = asRecord(selector?.matchLabels)?.['kubernetes.io/metadata.name'];
      if (typeof named === 'string') names.push(named);
      for (const expression of asArray(selector?.matchExpressions)) {
        const record = asRecord(expression);
        if (record?.key === 'kubernetes.io/metadata.name' && record.operator === 'In') {
          for (const value of asArray(record.values)) if (typeof value === 'string') names.push(value);
        }
      }
    }
  }
  return names;
}

/** reads a tree's workloads, namespaces and policies. `defaultNamespace` is where objects without one go. */
export function networkModel(objects: readonly Record<string, unknown>[], defaultNamespace = 'default'): NetworkModel {
  const namespaces = new Map<string, Labels>();
  for (const object of objects) {
    if (object.kind !== 'Namespace') continue;
    const name = text(asRecord(object.metadata)?.name);
    if (name) namespaces.set(name, stringLabels(asRecord(object.metadata)?.labels));
  }
  const namespaceLabels = (namespace: string): Labels => ({ ...namespaces.get(namespace), 'kubernetes.io/metadata.name': namespace });
  const pods = new Map<string, PodEndpoint>();
  const addPod = (endpoint: Omit<PodEndpoint, 'fingerprint' | 'id'>) => {
    const id = endpoint.kind === 'class' ? `${endpoint.namespace}/${endpoint.name}` : `${endpoint.namespace}/${endpoint.kind}/${endpoint.name}`;
    if (pods.has(id)) return;
    const fingerprint = canonicalJson({ labels: endpoint.pod.labels, ports: endpoint.pod.ports, namespace: namespaceLabels(endpoint.pod.namespace) });
    pods.set(id, { ...endpoint, id, fingerprint });
  };
  const used = new Set<string>(namespaces.keys());
  for (const object of objects) {
    const location = podSpecOf(object);
    if (!location) continue;
    const metadata = asRecord(object.metadata);
    const namespace = text(metadata?.namespace) ?? defaultNamespace;
    const ports: EvalContainerPort[] = [];
    for (const { container } of containersOf(location.spec)) {
      for (const port of asArray(container.ports)) {
        const record = asRecord(port);
        if (typeof record?.containerPort !== 'number') continue;
        ports.push({ name: typeof record.name === 'string' ? record.name : '', containerPort: record.containerPort, protocol: text(record.protocol) ?? 'TCP' });
      }
    }
    const kind = String(object.kind);
    const name = text(metadata?.name) ?? '';
    used.add(namespace);
    addPod({ kind, namespace, name, pod: { name: `${kind}/${name}`, namespace, labels: stringLabels(location.metadata.labels), ports } });
  }
  const policyObjects = objects.filter((object) => object.kind === 'NetworkPolicy' && object.apiVersion === 'networking.k8s.io/v1');
  for (const policy of policyObjects) {
    used.add(text(asRecord(policy.metadata)?.namespace) ?? defaultNamespace);
    // a namespace a policy names by its name label gets pods too, so flows from it show.
    for (const name of namespacesNamedBy(policy)) used.add(name);
  }
  for (const namespace of [...used].sort()) {
    addPod({ kind: 'class', namespace, name: '(other pod)', pod: { name: '(other pod)', namespace, labels: {} } });
  }
  addPod({ kind: 'class', namespace: OTHER_NAMESPACE, name: '(other pod)', pod: { name: '(other pod)', namespace: OTHER_NAMESPACE, labels: {} } });
  const runsDns = [...pods.values()].some((endpoint) => endpoint.kind !== 'class' && endpoint.namespace === 'kube-system'
    && Object.entries(DNS_LABELS).every(([key, value]) => endpoint.pod.labels[key] === value));
  if (!runsDns) {
    addPod({
      kind: 'class',
      namespace: 'kube-system',
      name: 'cluster DNS',
      pod: { name: 'cluster DNS', namespace: 'kube-system', labels: { ...DNS_LABELS }, ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }] },
    });
  }
  const evalNamespaces: EvalNamespace[] = [...namespaces].map(([name, labels]) => ({ name, labels }));
  const evaluator = new NetworkPolicyEvaluator(policyObjects, evalNamespaces, { strict: false, defaultNamespace });

  const policies = new Map<string, string>();
  const selected = new Map<string, string[]>();
  for (const policy of policyObjects) {
    const id = `${text(asRecord(policy.metadata)?.namespace) ?? defaultNamespace}/${text(asRecord(policy.metadata)?.name) ?? ''}`;
    policies.set(id, (policies.get(id) ?? '') + canonicalJson({ spec: policy.spec }));
    selected.set(id, []);
  }
  for (const endpoint of pods.values()) {
    for (const name of evaluator.selectingPolicies(endpoint.pod)) selected.get(`${endpoint.pod.namespace}/${name}`)?.push(endpoint.id);
  }

  const cidrs: string[] = [];
  const portEdges = new Set<number>([1]);
  for (const policy of policyObjects) {
    const spec = asRecord(policy.spec);
    for (const rule of [...asArray(spec?.ingress), ...asArray(spec?.egress)]) {
      const record = asRecord(rule);
      for (const peer of [...asArray(record?.from), ...asArray(record?.to)]) {
        const block = asRecord(asRecord(peer)?.ipBlock);
        if (typeof block?.cidr === 'string') cidrs.push(block.cidr);
        for (const except of asArray(block?.except)) if (typeof except === 'string') cidrs.push(except);
      }
      for (const port of asArray(record?.ports)) {
        const value = asRecord(port)?.port;
        const end = asRecord(port)?.endPort;
        if (typeof value === 'number') {
          portEdges.add(value);
          portEdges.add(typeof end === 'number' ? end + 1 : value + 1);
        }
      }
    }
  }
  for (const endpoint of pods.values()) {
    for (const port of endpoint.pod.ports ?? []) {
      portEdges.add(port.containerPort);
      portEdges.add(port.containerPort + 1);
    }
  }
  const edges = [...portEdges].filter((port) => port >= 1 && port <= 65535).sort((a, b) => a - b);
  return { evaluator, pods, policies, selected, cidrs: [...new Set(cidrs)], portEdges: edges };
}

/** an address as a big integer, with its family. */
function toBig(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((sum, byte) => sum * 256n + BigInt(byte), 0n);
}

function fromBig(value: bigint, family: 'ipv4' | 'ipv6'): string {
  const length = family === 'ipv4' ? 4 : 16;
  const bytes: number[] = [];
  for (let i = 0; i < length; i++) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** the first address of a CIDR and the first after it. */
function edgesOf(cidr: string): { family: 'ipv4' | 'ipv6'; start: bigint; after: bigint } | undefined {
  try {
    const [address, prefix] = ipaddr.parseCIDR(cidr);
    const family = address.kind();
    const bits = family === 'ipv4' ? 32 : 128;
    const size = 2n ** BigInt(bits - prefix);
    const start = (toBig(address) / size) * size;
    return { family, start, after: start + size };
  } catch {
    return undefined;
  }
}

function inCidr(address: string, cidr: string): boolean {
  const ip = ipaddr.parse(address);
  const range = ipaddr.parseCIDR(cidr);
  return range[0].kind() === ip.kind() && ip.match(range);
}

/** the address classes, with probe addresses covering every ipBlock edge in `cidrs`. */
export function addressClasses(cidrs: readonly string[]): AddressEndpoint[] {
  const metadata = new Map(METADATA_ENDPOINTS.map((endpoint) => [endpoint.address, endpoint]));
  const classes = new Map<string, AddressEndpoint>();
  const classOf = (address: string, family: 'ipv4' | 'ipv6'): AddressEndpoint => {
    const known = metadata.get(address);
    const name = known ? `metadata ${address} (${known.platforms.join(', ')})`
      : NON_PUBLIC[family].some((cidr) => inCidr(address, cidr)) ? `private or reserved (${family === 'ipv4' ? 'IPv4' : 'IPv6'})`
        : `internet (${family === 'ipv4' ? 'IPv4' : 'IPv6'})`;
    let found = classes.get(name);
    if (!found) classes.set(name, found = { id: name, kind: 'class', name, family, metadata: known !== undefined, addresses: [] });
    return found;
  };
  const probes = new Map<string, 'ipv4' | 'ipv6'>();
  const edges = [...cidrs, ...NON_PUBLIC.ipv4, ...NON_PUBLIC.ipv6, ...METADATA_ENDPOINTS.map((endpoint) => endpoint.cidr)];
  for (const address of ['8.8.8.8', '2001:4860:4860::8888', '10.0.0.1', 'fd00::1']) probes.set(address, ipaddr.parse(address).kind());
  for (const cidr of edges) {
    const edge = edgesOf(cidr);
    if (!edge) continue;
    const max = edge.family === 'ipv4' ? 2n ** 32n : 2n ** 128n;
    probes.set(fromBig(edge.start, edge.family), edge.family);
    if (edge.after < max) probes.set(fromBig(edge.after, edge.family), edge.family);
    // the address before a range closes the gap below it when nothing else starts there.
    if (edge.start > 0n) probes.set(fromBig(edge.start - 1n, edge.family), edge.family);
  }
  for (const [address, family] of [...probes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) classOf(address, family).addresses.push(address);
  return [...classes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** `[start, end]` port segments whose answers are constant. */
function portSegments(edges: readonly number[]): [number, number][] {
  const starts = [...new Set([1, ...edges])].filter((port) => port >= 1 && port <= 65535).sort((a, b) => a - b);
  return starts.map((start, index) => [start, index + 1 < starts.length ? starts[index + 1] - 1 : 65535]);
}

/** the segments (by index) on which `allowed` holds, per protocol. */
function allowedSegments(segments: readonly [number, number][], allowed: (port: number, protocol: string) => boolean): Map<string, Set<number>> {
  const result = new Map<string, Set<number>>();
  for (const protocol of PROTOCOLS) {
    const on = new Set<number>();
    segments.forEach(([start], index) => { if (allowed(start, protocol)) on.add(index); });
    if (on.size > 0) result.set(protocol, on);
  }
  return result;
}

/** merges segment indexes into port ranges: `80`, `8000-8080`. */
function portRanges(segments: readonly [number, number][], indexes: Iterable<number>): string[] {
  const sorted = [...indexes].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const index of sorted) {
    const [start, end] = segments[index];
    const last = ranges[ranges.length - 1];
    if (last && last[1] + 1 === start) last[1] = end;
    else ranges.push([start, end]);
  }
  return ranges.map(([start, end]) => (start === end ? String(start) : `${start}-${end}`));
}

function describeEndpoint(endpoint: ReachabilityEndpoint): ReachabilityEndpoint {
  const namespace = endpoint.namespace !== undefined ? { namespace: endpoint.namespace } : {};
  return { id: endpoint.id, kind: endpoint.kind, ...namespace, name: endpoint.name };
}

/** the allowed segments from `source` to `destination` in one model, per protocol. */
function pairSegments(
  model: NetworkModel, segments: readonly [number, number][], source: PodEndpoint | AddressEndpoint, destination: PodEndpoint | AddressEndpoint,
): Map<string, Set<number>> {
  // a pod class stands for pods the tree does not name: it exists in both trees alike.
  const podOf = (endpoint: PodEndpoint) => model.pods.get(endpoint.id)?.pod ?? (endpoint.kind === 'class' ? endpoint.pod : undefined);
  const sourcePod = 'pod' in source ? podOf(source) : undefined;
  const destinationPod = 'pod' in destination ? podOf(destination) : undefined;
  if ('pod' in source && !sourcePod) return new Map();
  if ('pod' in destination && !destinationPod) return new Map();
  if (sourcePod && destinationPod) {
    return allowedSegments(segments, (port, protocol) => model.evaluator.allowed(sourcePod, destinationPod, port, protocol));
  }
  const addresses = sourcePod ? (destination as AddressEndpoint).addresses : (source as AddressEndpoint).addresses;
  const union = new Map<string, Set<number>>();
  for (const address of addresses) {
    const found = sourcePod
      ? allowedSegments(segments, (port, protocol) => model.evaluator.allowed(sourcePod, address, port, protocol))
      : allowedSegments(segments, (port, protocol) => model.evaluator.allowed(address, destinationPod!, port, protocol));
    for (const [protocol, on] of found) {
      const into = union.get(protocol) ?? new Set<number>();
      for (const index of on) into.add(index);
      union.set(protocol, into);
    }
  }
  return union;
}

/** flows newly allowed in `head` and no longer allowed there, compared with `base`. */
export interface ReachabilityChange {
  readonly added: Flow[];
  readonly removed: Flow[];
}

function compareFlows(a: Flow, b: Flow): number {
  const key = (flow: Flow) => [flow.source.id, flow.destination.id, flow.protocol, flow.ports.padStart(11, '0')].join('\u0000');
  const left = key(a);
  const right = key(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The flows that differ between two trees. Only pairs where an answer can differ are evaluated:
 * pairs with an endpoint that is new, gone or changed (labels, ports, namespace labels), or that a
 * changed policy selects in either tree. Every other pair sees the same policies with the same
 * inputs, so its answer is the same. Comparing a tree with an empty one lists all its flows.
 */
export function compareReachability(base: NetworkModel, head: NetworkModel): ReachabilityChange {
  const segments = portSegments([...new Set([...base.portEdges, ...head.portEdges])]);
  const classes = addressClasses([...new Set([...base.cidrs, ...head.cidrs])]);
  const ids = [...new Set([...base.pods.keys(), ...head.pods.keys()])].sort();
  const changed = new Set<string>();
  for (const id of ids) {
    if (base.pods.get(id)?.fingerprint !== head.pods.get(id)?.fingerprint) changed.add(id);
  }
  for (const policy of new Set([...base.policies.keys(), ...head.policies.keys()])) {
    if (base.policies.get(policy) === head.policies.get(policy)) continue;
    for (const id of [...base.selected.get(policy) ?? [], ...head.selected.get(policy) ?? []]) changed.add(id);
  }
  const added: Flow[] = [];
  const removed: Flow[] = [];
  const endpointOf = (id: string): PodEndpoint => (head.pods.get(id) ?? base.pods.get(id))!;
  const compare = (source: PodEndpoint | AddressEndpoint, destination: PodEndpoint | AddressEndpoint) => {
    const before = pairSegments(base, segments, source, destination);
    const after = pairSegments(head, segments, source, destination);
    for (const protocol of PROTOCOLS) {
      const was = before.get(protocol) ?? new Set<number>();
      const now = after.get(protocol) ?? new Set<number>();
      const flow = (ports: string): Flow => ({ source: describeEndpoint(source), destination: describeEndpoint(destination), protocol, ports });
      for (const ports of portRanges(segments, [...now].filter((index) => !was.has(index)))) added.push(flow(ports));
      for (const ports of portRanges(segments, [...was].filter((index) => !now.has(index)))) removed.push(flow(ports));
    }
  };
  const changedIds = ids.filter((id) => changed.has(id));
  for (const id of changedIds) {
    const endpoint = endpointOf(id);
    for (const other of ids) {
      if (other === id) continue;
      compare(endpoint, endpointOf(other));
      // the reverse pair, unless the other end is changed too and gets its own turn.
      if (!changed.has(other)) compare(endpointOf(other), endpoint);
    }
    for (const addressClass of classes) {
      compare(endpoint, addressClass);
      // metadata servers answer; they never open connections to pods.
      if (!addressClass.metadata) compare(addressClass, endpoint);
    }
  }
  return { added: added.sort(compareFlows), removed: removed.sort(compareFlows) };
}
