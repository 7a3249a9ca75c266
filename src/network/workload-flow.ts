import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IFlowEndpoint } from './flow-endpoint';
import { FlowPort, validateFlowPorts } from './flow-port';
import { endpointNamespace, newNetworkPolicy, policyName, selectActivePods, validateEndpoint } from './policy-helpers';

/**
 * Props of `WorkloadFlow`.
 */
export interface WorkloadFlowProps {
  /** the workload that opens connections. */
  readonly from: IFlowEndpoint;
  /** the workload that accepts them. */
  readonly to: IFlowEndpoint;
  /** the destination ports; at least one. */
  readonly ports: FlowPort[];
  /**
   * A suffix that keeps policy names unique when two flows join the same pair of workloads.
   *
   * @default - names derive from the endpoints only
   */
  readonly nameSuffix?: string;
}

/**
 * Lets one workload connect to another on the given ports, in the same or another namespace.
 * Emits both halves, so the flow works under default-deny in both directions:
 * an egress policy on the source pods (`egress-<from>-to-<to>`) and an ingress policy on the
 * destination pods (`ingress-<to>-from-<from>`). Quarantined pods are excluded on both sides.
 */
export class WorkloadFlow extends Construct {
  /** the egress half, in the source's namespace. */
  public readonly egressPolicy: kplus.NetworkPolicy;
  /** the ingress half, in the destination's namespace. */
  public readonly ingressPolicy: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: WorkloadFlowProps) {
    super(scope, id);
    validateEndpoint(props.from, 'from');
    validateEndpoint(props.to, 'to');
    const ports = validateFlowPorts(props.ports, 'ports').map(port => port.toNetworkPolicyPort());
    const fromNamespace = endpointNamespace(props.from);
    const toNamespace = endpointNamespace(props.to);
    const crossNamespace = fromNamespace !== toNamespace;
    if (crossNamespace && (fromNamespace === undefined || toNamespace === undefined)) {
      throw new Error(`from (${props.from.appName}) is in namespace ${fromNamespace ?? '(unset)'} and to (${props.to.appName}) in ${toNamespace ?? '(unset)'}: a cross-namespace flow needs both namespaces named; set namespaceName on both workloads or on their charts`);
    }
    const suffix = props.nameSuffix !== undefined ? [props.nameSuffix] : [];
    const toLabel = crossNamespace ? [toNamespace!, props.to.appName] : [props.to.appName];
    const fromLabel = crossNamespace ? [fromNamespace!, props.from.appName] : [props.from.appName];

    this.egressPolicy = newNetworkPolicy(this, 'Egress', {
      metadata: { name: policyName('egress', props.from.appName, 'to', ...toLabel, ...suffix), namespace: fromNamespace },
      selector: selectActivePods(this, 'EgressSelector', props.from.selectorLabels),
    });
    // the namespace is named in the peer only across namespaces: a bare podSelector peer
    // means the policy's own namespace
    this.egressPolicy.addEgressRule(
      selectActivePods(this, 'Destination', props.to.selectorLabels, crossNamespace ? toNamespace : undefined), ports);

    this.ingressPolicy = newNetworkPolicy(this, 'Ingress', {
      metadata: { name: policyName('ingress', props.to.appName, 'from', ...fromLabel, ...suffix), namespace: toNamespace },
      selector: selectActivePods(this, 'IngressSelector', props.to.selectorLabels),
    });
    this.ingressPolicy.addIngressRule(
      selectActivePods(this, 'Source', props.from.selectorLabels, crossNamespace ? fromNamespace : undefined), ports);
  }
}
