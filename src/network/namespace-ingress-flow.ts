import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IFlowEndpoint } from './flow-endpoint';
import { FlowPort, validateFlowPorts } from './flow-port';
import { endpointNamespace, newNetworkPolicy, policyName, selectActivePods, validateDnsLabel, validateEndpoint } from './policy-helpers';
import { HardenedNamespace } from '../namespace/hardened-namespace';

/**
 * Props of `NamespaceIngressFlow`.
 */
export interface NamespaceIngressFlowProps {
  /**
   * The namespace the connections come from: its name, or a `HardenedNamespace` managed here.
   * Only a managed namespace also gets the egress half (`egress-to-<namespace>-<to>`): a
   * namespace managed elsewhere must allow its own egress.
   */
  readonly from: string | HardenedNamespace;
  /** the workload that accepts the connections. */
  readonly to: IFlowEndpoint;
  /** the destination ports; at least one. */
  readonly ports: FlowPort[];
  /**
   * Narrows the sources to pods with these labels in `from`.
   *
   * @default - every pod of `from` that is not quarantined
   */
  readonly fromPodLabels?: Record<string, string>;
}

/**
 * Lets pods of a named namespace (an ingress controller, a monitoring stack) connect to a
 * workload on the given ports: an ingress policy on the workload
 * (`ingress-<to>-from-ns-<namespace>`), and the egress half when the namespace is managed here.
 */
export class NamespaceIngressFlow extends Construct {
  /** the ingress half, in the workload's namespace. */
  public readonly ingressPolicy: kplus.NetworkPolicy;
  /** the egress half, emitted only when `from` is a `HardenedNamespace`. */
  public readonly egressPolicy?: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: NamespaceIngressFlowProps) {
    super(scope, id);
    validateEndpoint(props.to, 'to');
    const ports = validateFlowPorts(props.ports, 'ports').map(port => port.toNetworkPolicyPort());
    const fromName = typeof props.from === 'string' ? validateDnsLabel(props.from, 'from') : props.from.namespaceName;
    const toNamespace = endpointNamespace(props.to);
    if (toNamespace === undefined) {
      throw new Error(`to (${props.to.appName}) has no namespace: a flow from namespace "${fromName}" needs the destination's namespace; set namespaceName on the workload or its chart`);
    }
    const fromPodLabels = props.fromPodLabels ?? {};

    this.ingressPolicy = newNetworkPolicy(this, 'Ingress', {
      metadata: { name: policyName('ingress', props.to.appName, 'from', 'ns', fromName), namespace: toNamespace },
      selector: selectActivePods(this, 'IngressSelector', props.to.selectorLabels),
    });
    this.ingressPolicy.addIngressRule(selectActivePods(this, 'Source', fromPodLabels, fromName), ports);

    if (typeof props.from !== 'string') {
      this.egressPolicy = newNetworkPolicy(this, 'Egress', {
        metadata: { name: policyName('egress', 'to', toNamespace, props.to.appName), namespace: fromName },
        selector: selectActivePods(this, 'EgressSelector', fromPodLabels),
      });
      this.egressPolicy.addEgressRule(selectActivePods(this, 'Destination', props.to.selectorLabels, toNamespace), ports);
    }
  }
}
