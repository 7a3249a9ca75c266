import { hostCidr, parseCidr, hostPrefixLength, metadataEndpointsInside } from './cidr';
import { FlowPort } from './flow-port';
import { SecurityException, validateException } from '../model/exceptions';

/** options shared by every metadata opt-in. */
export interface MetadataOptInOptions extends SecurityException {}

/** options of the EKS Pod Identity opt-in. */
export interface EksPodIdentityOptions extends MetadataOptInOptions {
  /**
   * Also open the agent's IPv6 address `fd00:ec2::23` (IPv6 clusters).
   *
   * @default true
   */
  readonly ipv6?: boolean;
}

/** options of a custom metadata opt-in. */
export interface CustomMetadataOptInOptions extends MetadataOptInOptions {
  /** catalogue metadata addresses (without mask, or as host CIDRs); at least one. */
  readonly addresses: string[];
  /** the ports to open; at least one. */
  readonly ports: FlowPort[];
  /** a short name for the policy name, e.g. `imds`. */
  readonly name: string;
}

/**
 * A reasoned, port-scoped permission for a platform agent to reach a cloud metadata
 * address. This is the only way the library reopens a catalogue address; the reason is
 * written to the policy as a suppression of `netpol-metadata-reachable`.
 */
export class MetadataOptIn {
  /** EKS Pod Identity agent: 169.254.170.23/32 (and fd00:ec2::23/128), TCP 80. */
  public static eksPodIdentity(options: EksPodIdentityOptions): MetadataOptIn {
    const addresses = options.ipv6 === false ? ['169.254.170.23/32'] : ['169.254.170.23/32', 'fd00:ec2::23/128'];
    return new MetadataOptIn('eks-pod-identity', addresses, [FlowPort.tcp(80)], options);
  }

  /**
   * GKE Workload Identity (GKE metadata server): 169.254.169.254/32, TCP 80 and 988. On
   * Dataplane V2 the server is reached by DNAT to the node IP on 988, which a portable
   * NetworkPolicy cannot name; allow the node range separately there.
   */
  public static gkeWorkloadIdentity(options: MetadataOptInOptions): MetadataOptIn {
    return new MetadataOptIn('gke-metadata', ['169.254.169.254/32'], [FlowPort.tcp(80), FlowPort.tcp(988)], options);
  }

  /** any catalogue address on named ports. */
  public static custom(options: CustomMetadataOptInOptions): MetadataOptIn {
    if (!options.addresses || options.addresses.length === 0) {
      throw new Error('addresses is empty: name at least one catalogue metadata address, e.g. "169.254.169.254"');
    }
    if (!options.ports || options.ports.length === 0) {
      throw new Error('ports is empty: a metadata opt-in must name its ports, e.g. FlowPort.tcp(80)');
    }
    const cidrs = options.addresses.map(address => hostCidr(address));
    return new MetadataOptIn(options.name, cidrs, options.ports, options);
  }

  /** the opt-in's name, used in the policy name. */
  public readonly name: string;
  /** the host CIDRs it opens, all catalogue addresses. */
  public readonly cidrs: readonly string[];
  /** the ports it opens. */
  public readonly ports: readonly FlowPort[];
  /** the reason and optional expiry. */
  public readonly exception: SecurityException;

  private constructor(name: string, cidrs: string[], ports: FlowPort[], exception: SecurityException) {
    validateException('metadataOptIn', exception);
    this.name = name;
    this.cidrs = cidrs.map((cidr, index) => {
      const parsed = parseCidr(cidr, `addresses[${index}]`);
      if (parsed.prefixLength !== hostPrefixLength(parsed.family) || metadataEndpointsInside(parsed).length === 0) {
        throw new Error(`addresses[${index}] is "${cidr}", which is not a catalogue metadata address: a metadata opt-in opens single catalogue addresses only; use CidrEgressFlow for other destinations`);
      }
      return parsed.cidr;
    });
    this.ports = [...ports];
    this.exception = { reason: exception.reason, expires: exception.expires };
  }
}
