import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CidrEgressFlow } from './cidr-egress-flow';
import { FlowPort } from './flow-port';
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
   * A suffix that keeps policy names unique when a workload has two internet flows.
   *
   * @default - the policy is named `egress-<from>-to-internet`
   */
  readonly nameSuffix?: string;
}

/**
 * Lets a workload reach any address on the given ports (HTTPS by default): `0.0.0.0/0` and
 * `::/0`, each with an `except` for every catalogue metadata address of its family. The
 * policy is named `egress-<from>-to-internet`.
 */
export class InternetEgressFlow extends Construct {
  /** the egress policy, in the source's namespace. */
  public readonly policy: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: InternetEgressFlowProps) {
    super(scope, id);
    const cidrs = props.ipv6 === false ? ['0.0.0.0/0'] : ['0.0.0.0/0', '::/0'];
    this.policy = new CidrEgressFlow(this, 'Resource', {
      from: props.from,
      cidrs,
      ports: props.ports ?? [FlowPort.tcp(443)],
      destinationName: props.nameSuffix !== undefined ? `internet-${props.nameSuffix}` : 'internet',
    }).policy;
  }
}
