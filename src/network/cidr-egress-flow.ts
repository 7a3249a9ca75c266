import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { cidrContains, parseCidr, ParsedCidr, validateIpBlock } from './cidr';
import { IFlowEndpoint } from './flow-endpoint';
import { FlowPort, validateFlowPorts } from './flow-port';
import { broadIpBlockPeer, endpointNamespace, newNetworkPolicy, policyName, selectActivePods, validateEndpoint } from './policy-helpers';
import { exceptionAnnotations, SecurityException } from '../model/exceptions';
import { NON_PUBLIC_RANGES } from '../model/non-public-ranges';
import { RuleIds } from '../model/rule-ids';

/**
 * A destination range with its own exceptions.
 */
export interface CidrBlock {
  /** the range, e.g. `10.20.0.0/16`; host bits must be zero. */
  readonly cidr: string;
  /**
   * Ranges inside `cidr` to leave out; catalogue metadata addresses inside `cidr` are always
   * left out as well.
   *
   * @default - only the catalogue metadata addresses
   */
  readonly except?: string[];
}

/**
 * Props of `CidrEgressFlow`.
 */
export interface CidrEgressFlowProps {
  /** the workload that opens connections. */
  readonly from: IFlowEndpoint;
  /** the destination ranges, as CIDR strings or blocks with excepts; at least one. */
  readonly cidrs: (string | CidrBlock)[];
  /** the destination ports; at least one. */
  readonly ports: FlowPort[];
  /**
   * Names the destination in the policy name `egress-<from>-to-<destinationName>`.
   *
   * @default - derived from the CIDRs
   */
  readonly destinationName?: string;
  /**
   * Allow a range that contains a whole non-public range (`0.0.0.0/0`, `10.0.0.0/8`,
   * `169.254.0.0/16`, `fc00::/7`, ...) without excepting it. The cluster's nodes and kubelets,
   * the API server and internal load balancers live in those ranges, so such a flow needs a
   * reason, written to the policy as a suppression of `netpol-egress-non-public-ranges`. A
   * narrower range inside one (a database subnet such as `10.20.0.0/16`) needs no exception.
   *
   * @default - a range containing a whole non-public range throws
   */
  readonly nonPublicRanges?: SecurityException;
}

// loopback never leaves the pod, so a NetworkPolicy neither allows nor blocks it (the checker agrees).
const GUARDED_RANGES: readonly ParsedCidr[] = [...NON_PUBLIC_RANGES.ipv4, ...NON_PUBLIC_RANGES.ipv6]
  .filter(cidr => cidr !== '127.0.0.0/8')
  .map(cidr => parseCidr(cidr, 'non-public ranges'));

/** the whole non-public ranges a block reaches: inside its cidr and inside none of its excepts. */
export function nonPublicRangesReached(cidr: string, except: readonly string[], prop: string): string[] {
  const block = validateIpBlock(cidr, except, prop);
  return GUARDED_RANGES
    .filter(range => cidrContains(block.cidr, range) && !block.except.some(excepted => cidrContains(excepted, range)))
    .map(range => range.cidr);
}

/**
 * Lets a workload connect to address ranges outside the cluster on the given ports. Every
 * catalogue metadata address inside a range is excepted (both families); a range that is
 * itself a metadata address is rejected. This is egress only: a range that covers pods needs
 * those pods' own ingress policies too.
 */
export class CidrEgressFlow extends Construct {
  /** the egress policy, in the source's namespace. */
  public readonly policy: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: CidrEgressFlowProps) {
    super(scope, id);
    validateEndpoint(props.from, 'from');
    const ports = validateFlowPorts(props.ports, 'ports').map(port => port.toNetworkPolicyPort());
    if (!props.cidrs || props.cidrs.length === 0) {
      throw new Error('cidrs is empty: give at least one destination range such as "10.20.0.0/16"');
    }
    const blocks: CidrBlock[] = props.cidrs.map(block => typeof block === 'string' ? { cidr: block } : block);
    const destinationName = props.destinationName ?? blocks.map(block => block.cidr).join('-');
    // validate every range before the policy claims its name
    const peers = blocks.map((block, index) => broadIpBlockPeer(this, `Destination${index}`, block.cidr, block.except ?? [], `cidrs[${index}]`));
    const reaching = blocks
      .map((block, index) => ({ index, block, reached: nonPublicRangesReached(block.cidr, block.except ?? [], `cidrs[${index}]`) }))
      .filter(entry => entry.reached.length > 0);
    if (reaching.length > 0 && !props.nonPublicRanges) {
      const [first] = reaching;
      throw new Error(`cidrs[${first.index}] is ${JSON.stringify(first.block.cidr)}, which contains the whole non-public range${first.reached.length > 1 ? 's' : ''} ${first.reached.join(', ')}`
        + ' where the API server, kubelets and nodes live: narrow it to the subnet the workload needs, except the range, or add nonPublicRanges with a reason');
    }
    const annotations = reaching.length > 0 && props.nonPublicRanges
      ? exceptionAnnotations('nonPublicRanges', props.nonPublicRanges, [RuleIds.NETPOL_EGRESS_NON_PUBLIC_RANGES])
      : undefined;
    this.policy = newNetworkPolicy(this, 'Resource', {
      metadata: {
        name: policyName('egress', props.from.appName, 'to', destinationName.replace(/[.:/]/g, '-')),
        namespace: endpointNamespace(props.from),
        annotations,
      },
      selector: selectActivePods(this, 'Selector', props.from.selectorLabels),
    });
    for (const peer of peers) this.policy.addEgressRule(peer, ports);
  }
}
