import { createHash } from 'crypto';
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { hostCidr, validateIpBlock, metadataEndpointsInside, metadataExceptsFor, hostPrefixLength, parseCidr } from './cidr';
import { IFlowEndpoint } from './flow-endpoint';
import { validateDnsLabel as validateDnsLabelOf } from '../construct-helpers/names';
import { SecurityException, exceptionAnnotations } from '../model/exceptions';
import { Labels } from '../model/labels';
import { METADATA_ENDPOINTS } from '../model/metadata-catalogue';
import { RuleIds } from '../model/rule-ids';

/** the longest name of a Kubernetes object that must be a DNS-1123 label. */
const MAX_NAME_LENGTH = 63;

/** throws unless `name` is a DNS-1123 label (namespace names, policy names). */
export function validateDnsLabel(name: string, prop: string): string {
  return validateDnsLabelOf(prop, name);
}

/**
 * A stable policy name from the flow's endpoints. Names never depend on the construct path;
 * a name longer than 63 characters is cut and suffixed with a hash of the full name.
 */
export function policyName(...parts: string[]): string {
  const full = parts.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (full.length <= MAX_NAME_LENGTH) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_NAME_LENGTH - 9).replace(/-+$/, '')}-${hash}`;
}

/** the namespace of an endpoint: its own, else its chart's; undefined when left to kubectl. */
export function endpointNamespace(endpoint: IFlowEndpoint): string | undefined {
  return endpoint.namespaceName ?? Chart.of(endpoint).namespace;
}

/** throws when an endpoint has no selector labels: it would select every pod. */
export function validateEndpoint(endpoint: IFlowEndpoint, prop: string): void {
  if (!endpoint || Object.keys(endpoint.selectorLabels ?? {}).length === 0) {
    throw new Error(`${prop} (${endpoint?.node?.path ?? 'undefined'}) has no selectorLabels: a flow endpoint must select its pods by at least one label, otherwise the flow would cover every pod`);
  }
}

/** the label expression that keeps quarantined pods out of every allow. */
export function notQuarantined(): kplus.LabelExpression {
  return kplus.LabelExpression.doesNotExist(Labels.QUARANTINE);
}

/**
 * Selects pods by labels, never quarantined ones; in the given namespace when one is named
 * (a peer then carries namespaceSelector AND podSelector in one element).
 */
export function selectActivePods(scope: Construct, id: string, labels: Record<string, string>, namespaceName?: string): kplus.Pods {
  return kplus.Pods.select(scope, id, {
    labels: Object.keys(labels).length > 0 ? { ...labels } : undefined,
    expressions: [notQuarantined()],
    namespaces: namespaceName !== undefined ? kplus.Namespaces.select(scope, `${id}Namespace`, { names: [namespaceName] }) : undefined,
  });
}

/**
 * An ipBlock peer for a broad destination: validated, with an `except` for every catalogue
 * metadata address inside it. A CIDR that is itself a catalogue address is rejected: reaching
 * one goes through `MetadataAccess` with a reason.
 */
export function broadIpBlockPeer(scope: Construct, id: string, cidr: string, except: readonly string[], prop: string): kplus.NetworkPolicyIpBlock {
  const block = validateIpBlock(cidr, except, prop);
  if (block.cidr.prefixLength === hostPrefixLength(block.cidr.family) && metadataEndpointsInside(block.cidr).length > 0) {
    throw new Error(`${prop}.cidr is "${cidr}", a cloud metadata address: reach it only through MetadataAccess with a MetadataOptIn and a reason`);
  }
  const allExcept = [...new Set([...block.except.map(e => e.cidr), ...metadataExceptsFor(block.cidr)])].sort();
  const exceptOrUndefined = allExcept.length > 0 ? allExcept : undefined;
  return block.cidr.family === 'ipv4'
    ? kplus.NetworkPolicyIpBlock.ipv4(scope, id, block.cidr.cidr, exceptOrUndefined)
    : kplus.NetworkPolicyIpBlock.ipv6(scope, id, block.cidr.cidr, exceptOrUndefined);
}

/** records a reasoned suppression of `netpol-metadata-reachable` on a policy that opens a catalogue address. */
export function recordMetadataException(policy: kplus.NetworkPolicy, prop: string, exception: SecurityException): void {
  const annotations = exceptionAnnotations(prop, exception, [RuleIds.NETPOL_METADATA_REACHABLE]);
  for (const [key, value] of Object.entries(annotations)) {
    policy.metadata.addAnnotation(key, value);
  }
}

/**
 * Keeps a cluster-scoped object free of a namespace: a chart with `namespace` stamps its
 * namespace on every ApiObject, cluster-scoped ones included.
 */
export function keepClusterScoped(object: Construct): void {
  const apiObject = ApiObject.of(object);
  if (Chart.of(apiObject).namespace !== undefined) {
    apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}

/**
 * Validates addresses that must each be a catalogue metadata address; returns host CIDRs,
 * sorted. Without addresses, every catalogue address.
 */
export function catalogueCidrs(addresses: readonly string[] | undefined, prop: string): string[] {
  if (addresses === undefined) return METADATA_ENDPOINTS.map(endpoint => endpoint.cidr).sort();
  if (addresses.length === 0) {
    throw new Error(`${prop} is empty: leave it out to deny every catalogue metadata address, or name at least one`);
  }
  return addresses.map((address, index) => {
    const cidr = parseCidr(hostCidr(address), `${prop}[${index}]`);
    if (cidr.prefixLength !== hostPrefixLength(cidr.family) || metadataEndpointsInside(cidr).length === 0) {
      throw new Error(`${prop}[${index}] is "${address}", which is not a catalogue metadata address: use one of ${METADATA_ENDPOINTS.map(e => e.address).join(', ')}`);
    }
    return cidr.cidr;
  }).sort();
}

// names claimed per app: `<namespace>/<name>` -> construct path
const claimedPolicyNames = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Creates a NetworkPolicy after checking that no other policy of the app already uses its
 * name in that namespace: Kubernetes would keep only the last one applied.
 */
export function newNetworkPolicy(
  scope: Construct, id: string, props: kplus.NetworkPolicyProps & { metadata: { name: string } },
): kplus.NetworkPolicy {
  const namespace = props.metadata.namespace ?? Chart.of(scope).namespace ?? '';
  const key = `${namespace}/${props.metadata.name}`;
  let claimed = claimedPolicyNames.get(scope.node.root);
  if (!claimed) {
    claimed = new Map();
    claimedPolicyNames.set(scope.node.root, claimed);
  }
  const owner = claimed.get(key);
  if (owner !== undefined) {
    throw new Error(`NetworkPolicy name "${props.metadata.name}" in namespace "${namespace || '(chart default)'}" is already used by ${owner}: give one of the flows a nameSuffix (or destinationName)`);
  }
  claimed.set(key, `${scope.node.path}/${id}`);
  return new kplus.NetworkPolicy(scope, id, props);
}
