import { hostCidr, parseCidr, hostPrefixLength, metadataEndpointsInside } from './cidr';
import { validateDnsLabel } from './policy-helpers';
import { SecurityException, validateException } from '../model/exceptions';

/**
 * One DNS resolver pods may query: either resolver pods (namespace AND pod labels, in one
 * peer) or a single resolver address. UDP and TCP are always both allowed.
 */
export interface DnsResolver {
  /**
   * The namespace of the resolver pods; required together with `podLabels`.
   *
   * @default - no pod resolver (give `address` instead)
   */
  readonly namespace?: string;
  /**
   * Labels of the resolver pods, matched in `namespace` only.
   *
   * @default - no pod resolver (give `address` instead)
   */
  readonly podLabels?: Record<string, string>;
  /**
   * The resolver's address, bare or as a host CIDR (`/32` or `/128`), for resolvers that are not
   * selectable pods (hostNetwork caches, cloud resolvers).
   *
   * @default - no address resolver (give `namespace` and `podLabels` instead)
   */
  readonly address?: string;
  /**
   * The port the resolver pods listen on (the check runs after Service DNAT).
   *
   * @default 53
   */
  readonly port?: number;
  /**
   * Required when `address` is a cloud metadata address (e.g. GKE Cloud DNS on
   * 169.254.169.254): says why that address is opened on the DNS port.
   *
   * @default - none; a metadata address is rejected
   */
  readonly metadataException?: SecurityException;
}

/** options of the kube-dns / CoreDNS profile. */
export interface KubeDnsOptions {
  /**
   * The namespace of the CoreDNS pods.
   *
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * The labels of the CoreDNS pods.
   *
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly podLabels?: Record<string, string>;
  /**
   * The port CoreDNS pods listen on.
   *
   * @default 53
   */
  readonly port?: number;
}

/** options of the NodeLocal DNSCache profile. */
export interface NodeLocalDnsCacheOptions extends KubeDnsOptions {
  /**
   * The link-local address the node-local cache listens on (kubespray uses 169.254.25.10).
   *
   * @default '169.254.20.10'
   */
  readonly address?: string;
}

/** options of the GKE Cloud DNS profile. */
export interface GkeCloudDnsOptions {
  /**
   * Why the metadata address is opened on port 53, written as a suppression annotation.
   *
   * @default - a reason naming GKE Cloud DNS
   */
  readonly exception?: SecurityException;
}

/** options of a custom DNS profile. */
export interface CustomDnsOptions {
  /** the resolvers; at least one. */
  readonly resolvers: DnsResolver[];
  /**
   * A short name for docs and error messages.
   *
   * @default 'custom'
   */
  readonly name?: string;
}

/** a resolver after validation, with every field set. */
export interface ResolvedDnsResolver {
  readonly namespace?: string;
  readonly podLabels?: Record<string, string>;
  /** a host CIDR. */
  readonly address?: string;
  readonly port: number;
  readonly metadataException?: SecurityException;
}

/**
 * Where pods send DNS queries. Every profile pins the destination: port 53 to any
 * destination is never emitted, because it lets pods use outside resolvers and tunnel data.
 */
export class DnsProfile {
  /**
   * kube-dns / CoreDNS (GKE, EKS, AKS, kubeadm): one peer with namespace `kube-system` AND
   * pods `k8s-app: kube-dns`, 53 UDP and TCP. The default.
   */
  public static kubeDns(options: KubeDnsOptions = {}): DnsProfile {
    return new DnsProfile('kube-dns', [kubeDnsResolver(options)]);
  }

  /**
   * NodeLocal DNSCache: the cache is hostNetwork, so selectors cannot match it; allow its
   * link-local address, plus kube-dns for the cache's upstream fallback.
   */
  public static nodeLocalDnsCache(options: NodeLocalDnsCacheOptions = {}): DnsProfile {
    return new DnsProfile('node-local-dns', [
      { address: options.address ?? '169.254.20.10', port: options.port },
      kubeDnsResolver(options),
    ]);
  }

  /**
   * OpenShift: the `dns-default` pods in `openshift-dns` listen on 5353. The peer also selects
   * the pods by `dns.operator.openshift.io/daemonset-dns: default`, so node-resolver and other
   * pods in that namespace are not reachable.
   */
  public static openShift(): DnsProfile {
    return new DnsProfile('openshift-dns', [{
      namespace: 'openshift-dns',
      podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' },
      port: 5353,
    }]);
  }

  /**
   * GKE Cloud DNS: the resolver is the metadata server address on port 53. Only port 53 is
   * opened, with a reasoned suppression of `netpol-metadata-reachable` on the policy.
   */
  public static gkeCloudDns(options: GkeCloudDnsOptions = {}): DnsProfile {
    return new DnsProfile('gke-cloud-dns', [{
      address: '169.254.169.254/32',
      port: 53,
      metadataException: options.exception ?? {
        reason: 'GKE Cloud DNS answers cluster DNS on the metadata server address; only port 53 (UDP and TCP) is opened, never 80, 443 or 988',
      },
    }]);
  }

  /** any other resolvers, each pinned to pods in a named namespace or to a host address. */
  public static custom(options: CustomDnsOptions): DnsProfile {
    if (!options?.resolvers || options.resolvers.length === 0) {
      throw new Error('resolvers is empty: a custom DnsProfile needs at least one resolver (pods by namespace and labels, or a host address)');
    }
    return new DnsProfile(options.name ?? 'custom', options.resolvers);
  }

  /** the profile's name, e.g. `kube-dns`. */
  public readonly name: string;
  /** the validated resolvers. */
  public readonly resolvers: readonly ResolvedDnsResolver[];

  private constructor(name: string, resolvers: readonly DnsResolver[]) {
    this.name = name;
    this.resolvers = resolvers.map((resolver, index) => resolveDnsResolver(resolver, `resolvers[${index}]`));
  }
}

function kubeDnsResolver(options: KubeDnsOptions): DnsResolver {
  return {
    namespace: options.namespace ?? 'kube-system',
    podLabels: options.podLabels ?? { 'k8s-app': 'kube-dns' },
    port: options.port,
  };
}

function resolveDnsResolver(resolver: DnsResolver, prop: string): ResolvedDnsResolver {
  const port = resolver.port ?? 53;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${prop}.port is ${JSON.stringify(resolver.port)}: give the resolver's port number between 1 and 65535`);
  }
  const hasPods = resolver.namespace !== undefined || resolver.podLabels !== undefined;
  if (hasPods === (resolver.address !== undefined)) {
    throw new Error(`${prop} has ${hasPods ? 'both pods and an address' : 'neither pods nor an address'}: give either namespace and podLabels, or a host address`);
  }
  if (hasPods) {
    if (resolver.namespace === undefined) {
      throw new Error(`${prop}.namespace is missing: name the resolver's namespace, otherwise any pod carrying podLabels in any namespace could pose as the resolver`);
    }
    validateDnsLabel(resolver.namespace, `${prop}.namespace`);
    if (!resolver.podLabels || Object.keys(resolver.podLabels).length === 0) {
      throw new Error(`${prop}.podLabels is empty: select the resolver pods by label, otherwise every pod in namespace "${resolver.namespace}" is reachable on port ${port}`);
    }
    if (resolver.metadataException !== undefined) {
      throw new Error(`${prop}.metadataException is set for a pod resolver: only an address resolver can open a metadata address; remove it`);
    }
    return { namespace: resolver.namespace, podLabels: { ...resolver.podLabels }, port };
  }
  const cidr = parseCidr(hostCidr(resolver.address!), `${prop}.address`);
  if (cidr.prefixLength !== hostPrefixLength(cidr.family)) {
    throw new Error(`${prop}.address is "${resolver.address}": a DNS resolver is one host, so give a /${hostPrefixLength(cidr.family)}; port ${port} to a range would let pods use other resolvers`);
  }
  if (metadataEndpointsInside(cidr).length > 0) {
    if (resolver.metadataException === undefined) {
      throw new Error(`${prop}.address is "${resolver.address}", a cloud metadata address: set metadataException with a reason (as DnsProfile.gkeCloudDns() does) or use another resolver`);
    }
    validateException(`${prop}.metadataException`, resolver.metadataException);
  } else if (resolver.metadataException !== undefined) {
    throw new Error(`${prop}.metadataException is set but "${resolver.address}" is not a metadata address: remove it`);
  }
  return { address: cidr.cidr, port, metadataException: resolver.metadataException };
}
