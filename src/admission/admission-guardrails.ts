import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AdmissionApiVersion, generateAdmissionPolicies, NamespaceExemption, RULE_ID_ANNOTATION, SkippedRule, ValidationAction,
  validateAdmissionPolicyOptions,
} from './admission-policies';
import { kubernetesMinorOf, LAST_V1BETA1_KUBERNETES_MINOR, V1_KUBERNETES_MINOR } from './cel-versions';
import { DEFAULT_PACK, isPackName, PackName } from '../checker/packs';
import type { Severity } from '../checker/types';
import { isUsableReason, MIN_REASON_LENGTH } from '../model/exceptions';
import { ImagePolicySettings, registeredImagePolicy, validateImagePolicySettings } from '../model/image-policy';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import type { RuleId } from '../model/rule-ids';
import { keepClusterScoped } from '../network/policy-helpers';

/**
 * What the bindings do with a violation: roll out with `WARN` (Warn + Audit: clients see a warning,
 * the audit log records it, nothing is refused), then `DENY` (Deny + Audit). Deny and Warn are never
 * combined: the API server rejects that binding.
 */
export enum AdmissionEnforcement {
  /** validationActions [Warn, Audit]. */
  WARN = 'warn',
  /** validationActions [Deny, Audit]. */
  DENY = 'deny',
}

/** a namespace the guardrails do not select, with the reason written onto the bindings. */
export interface AdmissionExemption {
  /** the Namespace's name (matched through its `kubernetes.io/metadata.name` label, which only the API server sets). */
  readonly namespace: string;
  /** why the namespace cannot hold the rules; at least 10 characters. Written to the bindings as an annotation. */
  readonly reason: string;
  /**
   * The rules the namespace is exempt from.
   *
   * @default - every rule of the pack
   */
  readonly rules?: readonly RuleId[];
}

/** control-plane namespaces exempt by default: the node and network add-ons there run privileged. */
export const DEFAULT_ADMISSION_EXEMPTIONS: readonly AdmissionExemption[] = [
  { namespace: 'kube-system', reason: 'control-plane and node add-ons (CNI, kube-proxy, CSI node plugins) run privileged with host access here' },
];

/** properties of {@link AdmissionGuardrails}. */
export interface AdmissionGuardrailsProps {
  /**
   * The rule pack whose admission twins to emit.
   *
   * @default 'hardened'
   */
  readonly pack?: PackName;
  /**
   * The Kubernetes version of the cluster, as `1.<minor>`. Chooses the API version: `v1` from 1.30;
   * 1.28 and 1.29 need `apiVersion: 'v1beta1'` and the ValidatingAdmissionPolicy feature gate.
   *
   * @default '1.30'
   */
  readonly kubernetesVersion?: string;
  /**
   * The `admissionregistration.k8s.io` version of every policy and binding (never both in one output).
   *
   * @default - 'v1' from Kubernetes 1.30, 'v1beta1' for 1.28 and 1.29
   */
  readonly apiVersion?: AdmissionApiVersion;
  /**
   * What the bindings do with a violation.
   *
   * @default AdmissionEnforcement.WARN
   */
  readonly enforcement?: AdmissionEnforcement;
  /**
   * Select only these namespaces (by name). Workloads cannot opt out: selection uses the
   * `kubernetes.io/metadata.name` label the API server sets, never object labels.
   *
   * @default - every namespace except the exemptions
   */
  readonly namespaces?: readonly string[];
  /**
   * Namespaces not selected, each with a reason.
   *
   * @default DEFAULT_ADMISSION_EXEMPTIONS (kube-system)
   */
  readonly exemptions?: readonly AdmissionExemption[];
  /**
   * The lowest pack severity that gets a policy.
   *
   * @default 'warning' (info rules such as container-probes stay pre-merge only)
   */
  readonly minSeverity?: Severity;
  /**
   * Whether a valid, unexpired suppression annotation (`ignore-check.cdk8s-hardened.io/<rule-id>`)
   * skips a rule's policy, as it suppresses the checker's finding. Turn off where workload authors
   * must not grant themselves exceptions.
   *
   * @default true
   */
  readonly honourSuppressions?: boolean;
  /**
   * The image policy the `image-registry-not-allowed` twin is generated from.
   *
   * @default - the app's `ImagePolicy` (create it before the guardrails); without one, no registry policy
   */
  readonly imagePolicy?: ImagePolicySettings;
}

const ENFORCEMENT_ACTIONS: Record<AdmissionEnforcement, readonly ValidationAction[]> = {
  [AdmissionEnforcement.WARN]: ['Warn', 'Audit'],
  [AdmissionEnforcement.DENY]: ['Deny', 'Audit'],
};

/** the API version a cluster version serves; throws on a contradiction. */
function apiVersionFor(minor: number, requested: AdmissionApiVersion | undefined): AdmissionApiVersion {
  if (requested === undefined) return minor >= V1_KUBERNETES_MINOR ? 'v1' : 'v1beta1';
  if (requested === 'v1' && minor < V1_KUBERNETES_MINOR) {
    throw new Error(`apiVersion is "v1" but kubernetesVersion is "1.${minor}": ValidatingAdmissionPolicy v1 is served from 1.30; use apiVersion "v1beta1" on 1.28 and 1.29 or raise kubernetesVersion`);
  }
  if (requested === 'v1beta1' && minor >= V1_KUBERNETES_MINOR) {
    throw new Error(`apiVersion is "v1beta1" but kubernetesVersion is "1.${minor}": v1beta1 is not served by default from 1.30 (and removed after 1.${LAST_V1BETA1_KUBERNETES_MINOR}); use apiVersion "v1"`);
  }
  return requested;
}

/**
 * The checker's rules, enforced in the cluster: one ValidatingAdmissionPolicy per rule with an
 * admission twin (named `cdk8s-hardened-<rule-id>`, `failurePolicy: Fail`), and one binding each,
 * emitted after all policies so `kubectl apply` creates every policy before a binding names it.
 * There is no single primary child: the children are `Policy-<rule-id>` and `Binding-<rule-id>`.
 * Policy names are fixed per rule, so an app holds one `AdmissionGuardrails`.
 */
export class AdmissionGuardrails extends Construct {
  /** the policies, in pack order. */
  public readonly policies: readonly ApiObject[];
  /** the bindings, one per policy. */
  public readonly bindings: readonly ApiObject[];
  /** the pack's rules that got no policy, with the reason (no twin, or below `minSeverity`). */
  public readonly skippedRules: readonly SkippedRule[];
  /** the API version of every emitted object. */
  public readonly apiVersion: AdmissionApiVersion;

  constructor(scope: Construct, id: string, props: AdmissionGuardrailsProps = {}) {
    super(scope, id);
    const pack = props.pack ?? DEFAULT_PACK;
    if (!isPackName(pack)) throw new Error(`pack is ${JSON.stringify(pack)}: use pss-baseline, pss-restricted or hardened`);
    const minor = kubernetesMinorOf(props.kubernetesVersion ?? '1.30', 'kubernetesVersion');
    this.apiVersion = apiVersionFor(minor, props.apiVersion);
    const enforcement = props.enforcement ?? AdmissionEnforcement.WARN;
    if (!ENFORCEMENT_ACTIONS[enforcement]) throw new Error(`enforcement is ${JSON.stringify(enforcement)}: use AdmissionEnforcement.WARN or AdmissionEnforcement.DENY`);
    const exemptions: NamespaceExemption[] = (props.exemptions ?? DEFAULT_ADMISSION_EXEMPTIONS).map((exemption, index) => {
      const reason = typeof exemption.reason === 'string' ? exemption.reason.trim() : '';
      if (!isUsableReason(reason)) {
        throw new Error(`exemptions[${index}].reason is ${JSON.stringify(exemption.reason)}: give at least ${MIN_REASON_LENGTH} characters that say why namespace ${JSON.stringify(exemption.namespace)} cannot hold the rules`);
      }
      return { namespace: exemption.namespace, reason, ...(exemption.rules ? { ruleIds: exemption.rules } : {}) };
    });
    for (const namespace of props.namespaces ?? []) {
      const exempt = exemptions.find((exemption) => exemption.namespace === namespace && !exemption.ruleIds);
      if (exempt) throw new Error(`namespaces lists ${JSON.stringify(namespace)}, which exemptions also exempt from every rule: remove it from one of them`);
    }
    if (props.minSeverity !== undefined && !['info', 'warning', 'error'].includes(props.minSeverity)) {
      throw new Error(`minSeverity is ${JSON.stringify(props.minSeverity)}: use info, warning or error`);
    }
    if (props.namespaces !== undefined && props.namespaces.length === 0) {
      throw new Error('namespaces is []: the guardrails would select nothing; omit namespaces to select every namespace');
    }
    const imagePolicy = props.imagePolicy !== undefined
      ? validateImagePolicySettings(props.imagePolicy, 'imagePolicy.allowedRegistries')
      : registeredImagePolicy(this.node.root);
    if (props.imagePolicy === undefined) {
      // an ImagePolicy created after the guardrails would be enforced everywhere but here.
      this.node.addValidation({
        validate: () => imagePolicy === undefined && registeredImagePolicy(this.node.root) !== undefined
          ? [`AdmissionGuardrails ${this.node.path} was created before the app's ImagePolicy, so it emits no image-registry-not-allowed policy: create the ImagePolicy first, or pass imagePolicy`]
          : [],
      });
    }
    const options = {
      pack,
      apiVersion: this.apiVersion,
      validationActions: ENFORCEMENT_ACTIONS[enforcement],
      minSeverity: props.minSeverity ?? 'warning',
      exemptions,
      ...(props.namespaces ? { namespaces: props.namespaces } : {}),
      honourSuppressions: props.honourSuppressions ?? true,
      kubernetesMinor: minor,
      ...(imagePolicy ? { imagePolicy } : {}),
    };
    validateAdmissionPolicyOptions(options, 'props');
    const generated = generateAdmissionPolicies(options);
    this.skippedRules = generated.skipped;
    const emit = (object: Record<string, unknown>, childId: string) => {
      const { apiVersion, kind, metadata, ...rest } = object as { apiVersion: string; kind: string; metadata: Record<string, unknown> };
      const labels = { [Labels.MANAGED_BY]: MANAGED_BY_VALUE };
      const apiObject = new ApiObject(this, childId, { apiVersion, kind, metadata: { ...metadata, labels }, ...rest });
      keepClusterScoped(apiObject);
      return apiObject;
    };
    const ruleIdOf = (object: Record<string, unknown>) =>
      String(((object.metadata as Record<string, unknown>).annotations as Record<string, string>)[RULE_ID_ANNOTATION]);
    this.policies = generated.policies.map((policy) => emit(policy, `Policy-${ruleIdOf(policy)}`));
    // children synthesize in the order they are added: every policy, then every binding
    this.bindings = generated.bindings.map((binding) => emit(binding, `Binding-${ruleIdOf(binding)}`));
  }
}
