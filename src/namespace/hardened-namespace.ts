import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { renderChartsOncePerSynth } from '../construct-helpers/chart-rendering';
import { recordObjectPaths } from '../construct-helpers/construct-paths';
import { SecurityException, exceptionAnnotations } from '../model/exceptions';
import { SIGSTORE_INCLUDE_LABEL, sigstoreOptInRegistered } from '../model/image-policy';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import { RuleIds } from '../model/rule-ids';
import { DnsEgressPolicy } from '../network/dns-egress-policy';
import { DnsProfile } from '../network/dns-profile';
import { keepClusterScoped, newNetworkPolicy, validateDnsLabel } from '../network/policy-helpers';
import { QuarantinePolicy } from '../network/quarantine-policy';
import { HARDENED_NAMESPACE } from '../workloads/workload-self-check';

/**
 * A Pod Security Standards level.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export enum PodSecurityLevel {
  RESTRICTED = 'restricted',
  BASELINE = 'baseline',
  PRIVILEGED = 'privileged',
}

/**
 * A reasoned exception that lowers one or more Pod Security Admission modes below `restricted`.
 */
export interface PodSecurityException extends SecurityException {
  /**
   * The level PSA enforces (pods that violate it are rejected).
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly enforce?: PodSecurityLevel;
  /**
   * The level PSA audits (violations go to the audit log).
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly audit?: PodSecurityLevel;
  /**
   * The level PSA warns about (violations are returned to the client).
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly warn?: PodSecurityLevel;
}

/**
 * Props of `HardenedNamespace`.
 */
export interface HardenedNamespaceProps {
  /**
   * The namespace's name: a required prop rather than derived from the construct id, because
   * it is a deployed identity that peers and policies in other namespaces select by, and it
   * must not change when the construct tree is refactored.
   */
  readonly name: string;
  /**
   * The Pod Security Standards version each PSA mode is pinned to (`v1.X` or `latest`).
   * Pinning keeps a cluster upgrade from tightening or loosening checks unnoticed.
   *
   * @default 'v1.28'
   */
  readonly podSecurityVersion?: string;
  /**
   * Lowers PSA modes below `restricted`, with a reason written to the Namespace as a
   * suppression annotation of `namespace-psa-labels`.
   *
   * @default - enforce, audit and warn are all `restricted`
   */
  readonly podSecurityException?: PodSecurityException;
  /**
   * Where pods of the namespace resolve names; the namespace gets an `allow-dns` policy for it.
   *
   * @default DnsProfile.kubeDns()
   */
  readonly dns?: DnsProfile;
  /**
   * Emit the `allow-dns` egress policy. Turn it off for a namespace whose pods need no network
   * at all (a scanner that only writes to its log), so default-deny holds for DNS too.
   *
   * @default true
   */
  readonly dnsEgress?: boolean;
  /**
   * A ResourceQuota named `quota` for the namespace.
   *
   * @default - no ResourceQuota
   */
  readonly resourceQuota?: kplus.k8s.ResourceQuotaSpec;
  /**
   * A LimitRange named `limits` for the namespace.
   *
   * @default - no LimitRange
   */
  readonly limitRange?: kplus.k8s.LimitRangeSpec;
  /**
   * Extra labels on the Namespace; they cannot override the PSA labels.
   *
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Extra annotations on the Namespace.
   *
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';
const PSA_MODES = ['enforce', 'audit', 'warn'] as const;

/**
 * A Namespace that is isolated by default: Pod Security Admission `restricted` in every mode
 * with a pinned version, default-deny ingress and egress for every pod, DNS egress to the
 * profile's resolvers only, a deny-all for quarantined pods, and a `default` ServiceAccount
 * that does not automount its token.
 */
export class HardenedNamespace extends Construct {
  /** the namespace's name, for flows and workloads. */
  public readonly namespaceName: string;
  /** the Namespace. */
  public readonly namespace: kplus.Namespace;
  /** the default-deny policy (`default-deny`), ingress and egress, every pod. */
  public readonly defaultDeny: kplus.NetworkPolicy;
  /** the DNS egress allowance (`allow-dns`); undefined when `dnsEgress` is false. */
  public readonly dns?: DnsEgressPolicy;
  /** the deny-all for quarantined pods (`quarantine-deny-all`). */
  public readonly quarantine: QuarantinePolicy;
  /** the namespace's `default` ServiceAccount, with token automount off. */
  public readonly defaultServiceAccount: kplus.ServiceAccount;
  /** the ResourceQuota, when one was asked for. */
  public readonly resourceQuota?: kplus.k8s.KubeResourceQuota;
  /** the LimitRange, when one was asked for. */
  public readonly limitRange?: kplus.k8s.KubeLimitRange;

  constructor(scope: Construct, id: string, props: HardenedNamespaceProps) {
    super(scope, id);
    recordObjectPaths(this);
    renderChartsOncePerSynth(this);
    this.namespaceName = validateDnsLabel(props?.name, 'name');
    // hardened workloads in this app look for this marker to know their namespace is isolated.
    (this as unknown as Record<symbol, string>)[HARDENED_NAMESPACE] = this.namespaceName;
    const version = props.podSecurityVersion ?? 'v1.28';
    if (!/^(latest|v1\.(0|[1-9][0-9]*))$/.test(version)) {
      throw new Error(`podSecurityVersion is ${JSON.stringify(version)}: use a Kubernetes minor version such as "v1.28", or "latest"`);
    }

    const psaLabels: Record<string, string> = {};
    const exception = props.podSecurityException;
    for (const mode of PSA_MODES) {
      const level = exception?.[mode] ?? PodSecurityLevel.RESTRICTED;
      if (!Object.values(PodSecurityLevel).includes(level)) {
        throw new Error(`podSecurityException.${mode} is ${JSON.stringify(level)}: use PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED`);
      }
      psaLabels[`${PSA_LABEL_PREFIX}${mode}`] = level;
      psaLabels[`${PSA_LABEL_PREFIX}${mode}-version`] = version;
    }
    let annotations = { ...props.annotations };
    if (exception !== undefined) {
      if (PSA_MODES.every(mode => (exception[mode] ?? PodSecurityLevel.RESTRICTED) === PodSecurityLevel.RESTRICTED)) {
        throw new Error('podSecurityException lowers no mode: set enforce, audit or warn to BASELINE or PRIVILEGED, or remove the exception');
      }
      annotations = { ...annotations, ...exceptionAnnotations('podSecurityException', exception, [RuleIds.NAMESPACE_PSA_LABELS]) };
    }
    for (const key of Object.keys(props.labels ?? {})) {
      if (key.startsWith(PSA_LABEL_PREFIX)) {
        throw new Error(`labels has "${key}": Pod Security labels are set by HardenedNamespace; use podSecurityVersion or podSecurityException instead`);
      }
    }

    this.namespace = new kplus.Namespace(this, 'Resource', {
      metadata: {
        name: this.namespaceName,
        labels: { ...props.labels, [Labels.MANAGED_BY]: MANAGED_BY_VALUE, ...psaLabels },
        annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
      },
    });
    keepClusterScoped(this.namespace);
    // an ImagePolicy built earlier that verifies with policy-controller; one built later labels this namespace itself.
    if (sigstoreOptInRegistered(this.node.root)) ApiObject.of(this.namespace).metadata.addLabel(SIGSTORE_INCLUDE_LABEL, 'true');

    this.defaultDeny = newNetworkPolicy(this, 'DefaultDeny', {
      // explicit name: the name generator drops the `default` token
      metadata: { name: 'default-deny', namespace: this.namespaceName },
      selector: kplus.Pods.all(this, 'AllPods'),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    if (props.dnsEgress === false && props.dns !== undefined) {
      throw new Error('dns is set while dnsEgress is false: a DNS profile only shapes the allow-dns policy; drop dns, or dnsEgress: false');
    }
    if (props.dnsEgress !== false) this.dns = new DnsEgressPolicy(this, 'AllowDns', { profile: props.dns, namespaceName: this.namespaceName });
    this.quarantine = new QuarantinePolicy(this, 'Quarantine', { namespaceName: this.namespaceName });
    this.defaultServiceAccount = new kplus.ServiceAccount(this, 'DefaultServiceAccount', {
      metadata: { name: 'default', namespace: this.namespaceName },
      automountToken: false,
    });

    if (props.resourceQuota !== undefined) {
      // resource quotas have no cdk8s-plus construct
      this.resourceQuota = new kplus.k8s.KubeResourceQuota(this, 'ResourceQuota', {
        metadata: { name: 'quota', namespace: this.namespaceName },
        spec: props.resourceQuota,
      });
    }
    if (props.limitRange !== undefined) {
      // limit ranges have no cdk8s-plus construct
      this.limitRange = new kplus.k8s.KubeLimitRange(this, 'LimitRange', {
        metadata: { name: 'limits', namespace: this.namespaceName },
        spec: props.limitRange,
      });
    }

    // namespaced objects of this namespace come after the Namespace itself
    for (const child of [this.defaultDeny, this.dns, this.quarantine, this.defaultServiceAccount, this.resourceQuota, this.limitRange]) {
      if (child) child.node.addDependency(this.namespace);
    }
  }
}
