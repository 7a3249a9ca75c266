import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CidrEgressFlow } from './cidr-egress-flow';
import { IFlowEndpoint } from './flow-endpoint';
import { FlowPort } from './flow-port';
import { SecurityException, validateException } from '../model/exceptions';
import { NON_PUBLIC_RANGES } from '../model/non-public-ranges';

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
   * Also allow the private, shared (CGNAT), link-local and unique-local ranges on these ports,
   * with a reason. By default they are excepted, so "the internet" never includes the cluster's
   * own networks (nodes and kubelets, pods, the API server, internal load balancers); reach one
   * of those with a narrow `CidrEgressFlow`. The reason is written to the policy as a suppression
   * of `netpol-egress-non-public-ranges`. Catalogue metadata addresses stay excepted either way.
   *
   * @default - the non-public ranges are excepted
   */
  readonly includeNonPublicRanges?: SecurityException;
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
    const include = props.includeNonPublicRanges as unknown;
    if (include === true || (include !== undefined && include !== false && (typeof include !== 'object' || include === null))) {
      throw new Error(`includeNonPublicRanges is ${JSON.stringify(include)}: reaching the cluster's own networks is an exception; give { reason: '...' } saying why`);
    }
    const exception = include === false ? undefined : props.includeNonPublicRanges;
    if (exception) validateException('includeNonPublicRanges', exception);
    const except = (family: 'ipv4' | 'ipv6') => (exception ? [] : [...NON_PUBLIC_RANGES[family]]);
    const cidrs = [{ cidr: '0.0.0.0/0', except: except('ipv4') }];
    if (props.ipv6 !== false) cidrs.push({ cidr: '::/0', except: except('ipv6') });
    this.policy = new CidrEgressFlow(this, 'Resource', {
      from: props.from,
      cidrs,
      ports: props.ports ?? [FlowPort.tcp(443)],
      destinationName: props.nameSuffix !== undefined ? `internet-${props.nameSuffix}` : 'internet',
      nonPublicRanges: exception,
    }).policy;
  }
}
