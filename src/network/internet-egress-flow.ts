import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CidrEgressFlow } from './cidr-egress-flow';
import { FlowPort } from './flow-port';
import { NON_PUBLIC_RANGES } from './non-public-ranges';
import { IFlowEndpoint } from '../constructs/flow-endpoint';

/**
 * Props of `InternetEgressFlow`.
 */
export interface InternetEgressFlowProps {
  /** the workload that opens connections. */
  readonly from: IFlowEndpoint;
  /**
   * The destination ports.
   *
   * @default [FlowPort.tcp(443)]
   */
  readonly ports?: FlowPort[];
  /**
   * Also allow the IPv6 internet (`::/0`, IPv6 metadata addresses excepted). Without it a
   * dual-stack client's IPv6 attempts are dropped and it waits for a timeout before IPv4.
   *
   * @default true
   */
  readonly ipv6?: boolean;
  /**
   * Also allow the private, shared (CGNAT), loopback and link-local ranges on these ports. By
   * default they are excepted, so "the internet" never includes the cluster's own networks
   * (pods, nodes, the API server, internal load balancers); reach those with a `CidrEgressFlow`.
   *
   * @default false
   */
  readonly includeNonPublicRanges?: boolean;
  /**
   * A suffix that keeps policy names unique when a workload has two internet flows.
   *
   * @default - the policy is named `egress-<from>-to-internet`
   */
  readonly nameSuffix?: string;
}

export { NON_PUBLIC_RANGES };

/**
 * Lets a workload reach any address on the given ports (HTTPS by default): `0.0.0.0/0` and
 * `::/0`, each with an `except` for every catalogue metadata address of its family and, by
 * default, for the non-public ranges (`NON_PUBLIC_RANGES`). The
 * policy is named `egress-<from>-to-internet`.
 */
export class InternetEgressFlow extends Construct {
  /** the egress policy, in the source's namespace. */
  public readonly policy: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: InternetEgressFlowProps) {
    super(scope, id);
    const except = (family: 'ipv4' | 'ipv6') => (props.includeNonPublicRanges ? [] : [...NON_PUBLIC_RANGES[family]]);
    const cidrs = [{ cidr: '0.0.0.0/0', except: except('ipv4') }];
    if (props.ipv6 !== false) cidrs.push({ cidr: '::/0', except: except('ipv6') });
    this.policy = new CidrEgressFlow(this, 'Resource', {
      from: props.from,
      cidrs,
      ports: props.ports ?? [FlowPort.tcp(443)],
      destinationName: props.nameSuffix !== undefined ? `internet-${props.nameSuffix}` : 'internet',
    }).policy;
  }
}
