import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IFlowEndpoint } from './flow-endpoint';
import { MetadataOptIn } from './metadata-opt-in';
import { endpointNamespace, newNetworkPolicy, policyName, recordMetadataException, selectActivePods, validateEndpoint } from './policy-helpers';

/**
 * Props of `MetadataAccess`.
 */
export interface MetadataAccessProps {
  /** the workload (a platform agent) that needs the metadata address. */
  readonly from: IFlowEndpoint;
  /** which addresses and ports, and why. */
  readonly optIn: MetadataOptIn;
}

/**
 * Lets one workload reach catalogue metadata addresses on the opt-in's ports only. The policy
 * (`egress-<from>-to-<opt-in>`) carries the reason as a suppression annotation of
 * `netpol-metadata-reachable`, so the checker and a reviewer see it.
 */
export class MetadataAccess extends Construct {
  /** the egress policy, in the source's namespace. */
  public readonly policy: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: MetadataAccessProps) {
    super(scope, id);
    validateEndpoint(props.from, 'from');
    this.policy = newNetworkPolicy(this, 'Resource', {
      metadata: { name: policyName('egress', props.from.appName, 'to', props.optIn.name), namespace: endpointNamespace(props.from) },
      selector: selectActivePods(this, 'Selector', props.from.selectorLabels),
    });
    const ports = props.optIn.ports.map(port => port.toNetworkPolicyPort());
    props.optIn.cidrs.forEach((cidr, index) => {
      // a single catalogue host on purpose: no except applies
      const peer = cidr.includes(':')
        ? kplus.NetworkPolicyIpBlock.ipv6(this, `Address${index}`, cidr)
        : kplus.NetworkPolicyIpBlock.ipv4(this, `Address${index}`, cidr);
      this.policy.addEgressRule(peer, ports);
    });
    recordMetadataException(this.policy, 'optIn', props.optIn.exception);
  }
}
