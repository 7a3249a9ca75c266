import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FlowPort, validateFlowPorts } from './flow-port';
import { broadIpBlockPeer, endpointNamespace, newNetworkPolicy, policyName, selectActivePods, validateEndpoint } from './policy-helpers';
import { IFlowEndpoint } from '../constructs/flow-endpoint';

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
    this.policy = newNetworkPolicy(this, 'Resource', {
      metadata: {
        name: policyName('egress', props.from.appName, 'to', destinationName.replace(/[.:/]/g, '-')),
        namespace: endpointNamespace(props.from),
      },
      selector: selectActivePods(this, 'Selector', props.from.selectorLabels),
    });
    for (const peer of peers) this.policy.addEgressRule(peer, ports);
  }
}
