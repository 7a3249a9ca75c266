import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseCidr } from './cidr';
import { IFlowEndpoint } from './flow-endpoint';
import { FlowPort } from './flow-port';
import { NamespaceIngressFlow } from './namespace-ingress-flow';
import { endpointNamespace, newNetworkPolicy, policyName, selectActivePods, validateDnsLabel, validateEndpoint } from './policy-helpers';
import { exceptionAnnotations, SecurityException, validateException } from '../model/exceptions';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import { RuleIds } from '../model/rule-ids';
import { HardenedNamespace } from '../namespace/hardened-namespace';

/** the annotation that carries an exposure's reason on every object it emits. */
export const EXPOSURE_REASON_ANNOTATION = 'security.cdk8s-hardened.io/exposure-reason';

/** where TLS of a LoadBalancer exposure ends. */
export enum LoadBalancerTls {
  /** the workload serves TLS itself; the load balancer passes TCP through. */
  WORKLOAD = 'workload',
  /** the cloud load balancer terminates TLS, configured through `annotations` (a certificate ARN, ...). */
  LOAD_BALANCER = 'load-balancer',
}

/**
 * An HTTPS exposure through an ingress controller: an Ingress with TLS for one host, a ClusterIP
 * Service behind it, and the `NamespaceIngressFlow` that lets the controller's pods reach the workload.
 */
export interface IngressExposureOptions {
  /** the host name clients use, e.g. `shop.example.com` (a `*.` wildcard is allowed). */
  readonly host: string;
  /** the Secret holding the host's certificate (`kubernetes.io/tls`), in the workload's namespace. */
  readonly tlsSecretName: string;
  /** the IngressClass that serves the Ingress, e.g. `nginx`. */
  readonly ingressClassName: string;
  /** the namespace the ingress controller runs in, by name or as a `HardenedNamespace` managed here. */
  readonly controllerNamespace: string | HardenedNamespace;
  /**
   * Narrows the flow's sources to the controller's pods.
   *
   * @default - every pod of the controller's namespace that is not quarantined
   */
  readonly controllerPodLabels?: Record<string, string>;
  /**
   * The path prefix routed to the workload.
   *
   * @default '/'
   */
  readonly path?: string;
}

/**
 * A TCP exposure through a cloud load balancer, open only to the given client ranges.
 */
export interface LoadBalancerExposureOptions {
  /** the port the load balancer listens on, e.g. 443. */
  readonly port: number;
  /** where TLS ends: in the workload, or in the load balancer (then `annotations` configure it). */
  readonly tls: LoadBalancerTls;
  /**
   * The client ranges allowed through (`loadBalancerSourceRanges`, and the paired NetworkPolicy's
   * ipBlocks). `0.0.0.0/0` or `::/0` need `internetWide`.
   *
   * @default - none; then `internetWide` is required and the ranges are `0.0.0.0/0` and `::/0`
   */
  readonly sourceRanges?: string[];
  /**
   * Allow every client address, with a reason.
   *
   * @default - the internet as a source throws
   */
  readonly internetWide?: SecurityException;
  /**
   * Allocate node ports behind the load balancer (some cloud load balancers need them).
   * Off by default, so no port opens on every node.
   *
   * @default false
   */
  readonly allocateNodePorts?: boolean;
  /**
   * Cloud annotations of the Service (internal load balancer, TLS certificate, ...).
   *
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/**
 * Props of `WorkloadExposure`. Exactly one of `ingress` and `loadBalancer`.
 */
export interface WorkloadExposureProps {
  /** the workload that serves the clients. */
  readonly to: IFlowEndpoint;
  /** the TCP port the workload's pods listen on. */
  readonly targetPort: number;
  /** why this workload is reachable from outside the cluster; written to every object emitted. */
  readonly reason: SecurityException;
  /**
   * Expose through an ingress controller, with TLS.
   *
   * @default - not through an Ingress
   */
  readonly ingress?: IngressExposureOptions;
  /**
   * Expose through a cloud load balancer limited to source ranges.
   *
   * @default - not through a load balancer
   */
  readonly loadBalancer?: LoadBalancerExposureOptions;
  /**
   * The name of the Service (and Ingress).
   *
   * @default - `<appName>-public`
   */
  readonly name?: string;
}

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const INTERNET = ['0.0.0.0/0', '::/0'];

function validatePort(value: number, prop: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${prop} is ${JSON.stringify(value)}: use a TCP port from 1 to 65535`);
  }
  return value;
}

/**
 * Makes a workload reachable from outside the cluster, deliberately: every exposure carries a
 * reason, an Ingress always has TLS, a LoadBalancer is limited to source ranges (the internet
 * only with its own reason) and allocates no node ports by default, and the paired network
 * flow admits exactly the controller's namespace or the client ranges on the one target port.
 * The reason is written to every object as `security.cdk8s-hardened.io/exposure-reason`, and
 * as the suppression of `service-load-balancer` (and `netpol-ingress-from-anywhere` for an
 * internet-wide load balancer) where those rules would otherwise fire.
 */
export class WorkloadExposure extends Construct {
  /** the Ingress, for an ingress exposure. */
  public readonly ingress?: ApiObject;
  /** the Service: ClusterIP behind an Ingress, or the LoadBalancer. */
  public readonly service: ApiObject;
  /** the flow from the ingress controller's namespace, for an ingress exposure. */
  public readonly ingressFlow?: NamespaceIngressFlow;
  /** the NetworkPolicy admitting the source ranges, for a load balancer exposure. */
  public readonly sourcePolicy?: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: WorkloadExposureProps) {
    super(scope, id);
    validateEndpoint(props.to, 'to');
    validateException('reason', props.reason);
    const reason = props.reason.reason.trim();
    const targetPort = validatePort(props.targetPort, 'targetPort');
    if ((props.ingress === undefined) === (props.loadBalancer === undefined)) {
      throw new Error(`ingress and loadBalancer are ${props.ingress ? 'both set' : 'both unset'}: an exposure goes through exactly one of them`);
    }
    const name = validateDnsLabel(props.name ?? `${props.to.appName}-public`, 'name');
    const namespace = endpointNamespace(props.to);
    if (namespace === undefined) {
      throw new Error(`to (${props.to.appName}) has no namespace: an exposure names the workload's namespace; set namespaceName on the workload or its chart`);
    }
    const labels = { ...props.to.selectorLabels, [Labels.MANAGED_BY]: MANAGED_BY_VALUE };
    const reasonAnnotation = { [EXPOSURE_REASON_ANNOTATION]: reason };

    if (props.ingress) {
      const options = props.ingress;
      if (typeof options.host !== 'string' || !HOST.test(options.host)) {
        throw new Error(`ingress.host is ${JSON.stringify(options.host)}: use a lowercase DNS name such as "shop.example.com"`);
      }
      const tlsSecretName = validateDnsLabel(options.tlsSecretName, 'ingress.tlsSecretName');
      if (!options.ingressClassName) throw new Error('ingress.ingressClassName is empty: name the IngressClass that serves it, e.g. "nginx"');
      const path = options.path ?? '/';
      if (!path.startsWith('/')) throw new Error(`ingress.path is ${JSON.stringify(path)}: use an absolute path such as "/"`);
      this.service = new kplus.k8s.KubeService(this, 'Service', {
        metadata: { name, namespace, labels, annotations: reasonAnnotation },
        spec: {
          type: 'ClusterIP',
          selector: { ...props.to.selectorLabels },
          ports: [{ name: 'https', port: targetPort, targetPort: kplus.k8s.IntOrString.fromNumber(targetPort), protocol: 'TCP' }],
        },
      });
      this.ingress = new kplus.k8s.KubeIngress(this, 'Resource', {
        metadata: { name, namespace, labels, annotations: reasonAnnotation },
        spec: {
          ingressClassName: options.ingressClassName,
          tls: [{ hosts: [options.host], secretName: tlsSecretName }],
          rules: [{
            host: options.host,
            http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name, port: { number: targetPort } } } }] },
          }],
        },
      });
      this.ingressFlow = new NamespaceIngressFlow(this, 'Flow', {
        from: options.controllerNamespace,
        to: props.to,
        ports: [FlowPort.tcp(targetPort)],
        fromPodLabels: options.controllerPodLabels,
      });
      return;
    }

    const options = props.loadBalancer!;
    const port = validatePort(options.port, 'loadBalancer.port');
    if (options.tls !== LoadBalancerTls.WORKLOAD && options.tls !== LoadBalancerTls.LOAD_BALANCER) {
      throw new Error(`loadBalancer.tls is ${JSON.stringify(options.tls)}: say where TLS ends, LoadBalancerTls.WORKLOAD or LoadBalancerTls.LOAD_BALANCER`);
    }
    if (options.tls === LoadBalancerTls.LOAD_BALANCER && Object.keys(options.annotations ?? {}).length === 0) {
      throw new Error('loadBalancer.tls is LOAD_BALANCER but loadBalancer.annotations is empty: give the cloud annotations that attach the certificate');
    }
    const ranges = (options.sourceRanges ?? INTERNET).map((range, index) => parseCidr(range, `loadBalancer.sourceRanges[${index}]`));
    if (ranges.length === 0) throw new Error('loadBalancer.sourceRanges is empty: list the client ranges, or leave it out with internetWide and a reason');
    const internet = ranges.filter((range) => range.prefixLength === 0);
    if (internet.length > 0 && !options.internetWide) {
      throw new Error(`loadBalancer.sourceRanges ${options.sourceRanges ? `contains ${internet.map((range) => range.cidr).join(', ')}` : 'is unset, which means every address'}: list the client ranges, or add loadBalancer.internetWide with a reason`);
    }
    const internetAnnotations = internet.length > 0 && options.internetWide
      ? exceptionAnnotations('loadBalancer.internetWide', options.internetWide, [RuleIds.NETPOL_INGRESS_FROM_ANYWHERE])
      : {};
    this.service = new kplus.k8s.KubeService(this, 'Resource', {
      metadata: {
        name,
        namespace,
        labels,
        annotations: {
          ...options.annotations,
          ...reasonAnnotation,
          ...exceptionAnnotations('reason', props.reason, [RuleIds.SERVICE_LOAD_BALANCER]),
        },
      },
      spec: {
        type: 'LoadBalancer',
        selector: { ...props.to.selectorLabels },
        ports: [{ name: options.tls === LoadBalancerTls.WORKLOAD ? 'tls' : 'tcp', port, targetPort: kplus.k8s.IntOrString.fromNumber(targetPort), protocol: 'TCP' }],
        loadBalancerSourceRanges: ranges.map((range) => range.cidr),
        allocateLoadBalancerNodePorts: options.allocateNodePorts ?? false,
        // keeps the client address, so the NetworkPolicy below can match the source ranges.
        externalTrafficPolicy: 'Local',
      },
    });
    const policy = newNetworkPolicy(this, 'Flow', {
      metadata: {
        name: policyName('ingress', props.to.appName, 'from', 'load-balancer', name),
        namespace,
        annotations: { ...reasonAnnotation, ...internetAnnotations },
      },
      selector: selectActivePods(this, 'Selector', props.to.selectorLabels),
    });
    const peers = ranges.map((range, index) => range.family === 'ipv4'
      ? kplus.NetworkPolicyIpBlock.ipv4(this, `Source${index}`, range.cidr)
      : kplus.NetworkPolicyIpBlock.ipv6(this, `Source${index}`, range.cidr));
    for (const peer of peers) policy.addIngressRule(peer, [FlowPort.tcp(targetPort).toNetworkPolicyPort()]);
    this.sourcePolicy = policy;
  }
}
