/**
 * Generates ValidatingAdmissionPolicies and their bindings from the rule registry: one policy per
 * rule with a CEL twin, named after the rule, carrying the rule's message and remediation. Plain
 * objects in, plain objects out (no cdk8s), so the construct, tests and tools share one generator.
 */
import { celString } from './cel';
import { MIN_KUBERNETES_MINOR } from './cel-versions';
import { CelTwin, resolveTwin } from './twin';
import { annotationSourceExpressions, POD_SPEC_VARIABLES, TARGET_RESOURCES } from './twin-targets';
import { admissionTwinOf } from './twins';
import { DEFAULT_PACK, packOf, PackName } from '../checker/packs';
import type { KubeObject, Rule, Severity } from '../checker/types';
import { isUsableReason, MIN_REASON_LENGTH, SUPPRESSION_ANNOTATION_PREFIX, VISIBLE_REASON_PATTERN, SUPPRESSION_EXPIRY_ANNOTATION_PREFIX } from '../model/exceptions';
import type { ImagePolicySettings } from '../model/image-policy';
import type { RuleId } from '../model/rule-ids';

/** the ValidatingAdmissionPolicy API group versions this library emits: one per output, never both. */
export type AdmissionApiVersion = 'v1' | 'v1beta1';

/** what a binding does with a failed validation; `Deny` and `Warn` are never combined (the API rejects it). */
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';

/** annotation naming the rule a policy or binding enforces. */
export const RULE_ID_ANNOTATION = 'cdk8s-hardened.io/rule-id';
/** annotation on a partial twin's policy saying what stays pre-merge only. */
export const PARTIAL_TWIN_ANNOTATION = 'cdk8s-hardened.io/partial-twin';
/** annotation key prefix on a binding, one per exempt namespace, holding the exemption's reason. */
export const EXEMPTION_ANNOTATION_PREFIX = 'exempt.cdk8s-hardened.io/';
/** the label the API server sets on every Namespace to its own name; users cannot change it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Users whose writes the RBAC twins do not judge: the API server reconciling the bootstrap roles
 * and the controller manager aggregating ClusterRoles (admin, edit, view), which hold the very
 * permissions the rules report and which a cluster needs.
 */
export const CONTROL_PLANE_USERS: readonly string[] = [
  'system:apiserver',
  'system:kube-controller-manager',
  'system:serviceaccount:kube-system:clusterrole-aggregation-controller',
];

/** a namespace no binding selects, and why. */
export interface NamespaceExemption {
  readonly namespace: string;
  readonly reason: string;
  /** the rules it is exempt from; undefined for every rule. */
  readonly ruleIds?: readonly RuleId[];
}

/** everything the generator needs; the construct fills in its defaults. */
export interface AdmissionPolicyOptions {
  readonly pack?: PackName;
  readonly apiVersion?: AdmissionApiVersion;
  readonly validationActions: readonly ValidationAction[];
  /** the lowest pack severity that gets a policy. */
  readonly minSeverity?: Severity;
  readonly exemptions?: readonly NamespaceExemption[];
  /** when set, bindings select only these namespaces (by their name label). */
  readonly namespaces?: readonly string[];
  /** whether valid, unexpired suppression annotations skip a policy, as they suppress a finding. */
  readonly honourSuppressions?: boolean;
  readonly namePrefix?: string;
  /**
   * The minor version of the target cluster; twins that need a later one are skipped.
   * @default MIN_KUBERNETES_MINOR (28)
   */
  readonly kubernetesMinor?: number;
  /**
   * The image policy the registry twin is generated from (the one the checker is given).
   *
   * @default - no registry policy
   */
  readonly imagePolicy?: ImagePolicySettings;
}

/** a rule of the pack that gets no policy, and why. */
export interface SkippedRule {
  readonly ruleId: RuleId;
  readonly reason: string;
}

/** the generator's output: apply the policies before the bindings (a binding to a missing policy is inert). */
export interface AdmissionPolicies {
  readonly policies: readonly KubeObject[];
  readonly bindings: readonly KubeObject[];
  readonly skipped: readonly SkippedRule[];
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** `^YYYY-MM-DD$` for real calendar dates only, leap days included, as the checker's `isIsoDate`. */
export const CALENDAR_DATE_PATTERN = '^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))'
  + '|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$';

/**
 * CEL that is true when the object carries a suppression of `ruleId` the checker honours: a
 * reason of at least 10 visible characters (letters, digits, punctuation; `VISIBLE_REASON_PATTERN`) and, when an expiry is set, a valid date not
 * before the day of the request. VAP has no clock; the API server stamps `creationTimestamp` with
 * the current time before validating a CREATE, so that is the day compared (on UPDATE it is the
 * object's creation day). Without a timestamp the suppression does not hold.
 */
export function suppressionExpression(ruleId: string, sources: readonly string[]): string {
  const reasonKey = celString(SUPPRESSION_ANNOTATION_PREFIX + ruleId);
  const expiryKey = celString(SUPPRESSION_EXPIRY_ANNOTATION_PREFIX + ruleId);
  const holds = (a: string) => `(${reasonKey} in ${a} && ${a}[${reasonKey}].matches(${celString(VISIBLE_REASON_PATTERN)})`
    + ` && (!(${expiryKey} in ${a}) || (${a}[${expiryKey}].matches(${celString(CALENDAR_DATE_PATTERN)})`
    + ` && has(object.metadata.creationTimestamp) && string(object.metadata.creationTimestamp).substring(0, 10) <= ${a}[${expiryKey}])))`;
  // `[m].exists(a, …)` names each annotation map once instead of repeating its expression
  return sources.map((source) => `[${source}].exists(a, ${holds('a')})`).join(' || ');
}

const images = (object: string, list: string) => `(has(${object}.spec.${list}) ? ${object}.spec.${list}.map(c, c.image) : [])`;

/**
 * Pod Security Admission's rule for Pod updates (isSignificantPodUpdate): an UPDATE of a Pod is
 * judged only when its container images or container counts change, or when it adds ephemeral
 * containers (the `ephemeralcontainers` subresource); metadata-only updates of a pod admitted
 * earlier pass. Controllers and every CREATE are always judged.
 */
export const SIGNIFICANT_POD_UPDATE = 'request.operation != \'UPDATE\' || object.kind != \'Pod\' || oldObject == null'
  + ' || (has(request.subResource) && request.subResource == \'ephemeralcontainers\')'
  + ` || ${['containers', 'initContainers', 'ephemeralContainers'].map((list) => `${images('object', list)} != ${images('oldObject', list)}`).join(' || ')}`;

/** a DNS-1123 name for a rule's policy and binding. */
export function policyNameOf(ruleId: string, prefix = 'cdk8s-hardened-'): string {
  return `${prefix}${ruleId}`;
}

function messageOf(rule: Rule): string {
  return `${rule.id}: ${rule.title}. ${rule.remediation}`.replace(/\s+/g, ' ');
}

function validationsOf(rule: Rule, twin: CelTwin): Record<string, unknown>[] {
  return twin.validations.map((validation) => ({
    expression: validation.expression,
    message: messageOf(rule),
    ...(validation.offenders ? {
      messageExpression: `${celString(`${rule.id}: ${rule.title}: `)} + ${validation.offenders}.join(', ') + ${celString(`. ${rule.remediation}`)}`,
    } : {}),
    reason: 'Forbidden',
  }));
}

function policyOf(rule: Rule, twin: CelTwin, options: Required<Pick<AdmissionPolicyOptions, 'apiVersion' | 'honourSuppressions' | 'namePrefix'>>): KubeObject {
  const matchConditions: Record<string, string>[] = [];
  if (twin.target === 'role' || twin.target === 'binding') {
    const username = 'request.userInfo.username';
    matchConditions.push({
      name: 'not-control-plane',
      expression: `!(request != null && has(request.userInfo) && has(${username}) && ${username} in [${CONTROL_PLANE_USERS.map(celString).join(', ')}])`,
    });
  }
  if (twin.target === 'pod-spec') {
    matchConditions.push({ name: 'significant-pod-update', expression: SIGNIFICANT_POD_UPDATE });
  }
  if (options.honourSuppressions) {
    matchConditions.push({ name: 'not-suppressed', expression: `!(${suppressionExpression(rule.id, annotationSourceExpressions(twin.target))})` });
  }
  return {
    apiVersion: `admissionregistration.k8s.io/${options.apiVersion}`,
    kind: 'ValidatingAdmissionPolicy',
    metadata: {
      name: policyNameOf(rule.id, options.namePrefix),
      annotations: {
        [RULE_ID_ANNOTATION]: rule.id,
        ...(twin.partial ? { [PARTIAL_TWIN_ANNOTATION]: twin.partial } : {}),
      },
    },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: TARGET_RESOURCES[twin.target].map((resourceRule) => ({ ...resourceRule })) },
      ...(matchConditions.length > 0 ? { matchConditions } : {}),
      ...(twin.target === 'pod-spec' ? { variables: POD_SPEC_VARIABLES.map((variable) => ({ ...variable })) } : {}),
      validations: validationsOf(rule, twin),
    },
  };
}

function bindingOf(rule: Rule, options: AdmissionPolicyOptions & { apiVersion: AdmissionApiVersion; namePrefix: string }): KubeObject {
  const exemptions = (options.exemptions ?? []).filter((exemption) => !exemption.ruleIds || exemption.ruleIds.includes(rule.id));
  const exempt = [...new Set(exemptions.map((exemption) => exemption.namespace))].sort();
  const matchExpressions: Record<string, unknown>[] = [];
  if (options.namespaces) matchExpressions.push({ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...new Set(options.namespaces)].sort() });
  if (exempt.length > 0) matchExpressions.push({ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: exempt });
  const annotations: Record<string, string> = { [RULE_ID_ANNOTATION]: rule.id };
  for (const exemption of [...exemptions].sort((a, b) => a.namespace.localeCompare(b.namespace))) {
    const key = EXEMPTION_ANNOTATION_PREFIX + exemption.namespace;
    annotations[key] = annotations[key] ? `${annotations[key]}; ${exemption.reason.trim()}` : exemption.reason.trim();
  }
  return {
    apiVersion: `admissionregistration.k8s.io/${options.apiVersion}`,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: policyNameOf(rule.id, options.namePrefix), annotations },
    spec: {
      policyName: policyNameOf(rule.id, options.namePrefix),
      validationActions: [...options.validationActions],
      ...(matchExpressions.length > 0 ? { matchResources: { namespaceSelector: { matchExpressions } } } : {}),
    },
  };
}

/** checks the options; throws naming the option, the value and the fix. */
export function validateAdmissionPolicyOptions(options: AdmissionPolicyOptions, prop = 'options'): void {
  const actions = options.validationActions;
  if (actions.length === 0) throw new Error(`${prop}.validationActions is []: a binding needs at least one of Deny, Warn, Audit`);
  for (const action of actions) {
    if (!['Deny', 'Warn', 'Audit'].includes(action)) throw new Error(`${prop}.validationActions contains ${JSON.stringify(action)}: use Deny, Warn or Audit`);
  }
  if (actions.includes('Deny') && actions.includes('Warn')) {
    throw new Error(`${prop}.validationActions is ${JSON.stringify(actions)}: the API server rejects Deny together with Warn; use [Deny, Audit] to enforce or [Warn, Audit] to roll out`);
  }
  if (options.apiVersion !== undefined && !['v1', 'v1beta1'].includes(options.apiVersion)) {
    throw new Error(`${prop}.apiVersion is ${JSON.stringify(options.apiVersion)}: use v1 (Kubernetes 1.30+) or v1beta1 (1.28 and 1.29)`);
  }
  for (const exemption of options.exemptions ?? []) {
    const reason = typeof exemption.reason === 'string' ? exemption.reason.trim() : '';
    if (!isUsableReason(reason)) {
      throw new Error(`${prop}.exemptions for namespace ${JSON.stringify(exemption.namespace)} has reason ${JSON.stringify(exemption.reason)}: give at least ${MIN_REASON_LENGTH} characters that say why the namespace cannot hold the rules`);
    }
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(exemption.namespace)) {
      throw new Error(`${prop}.exemptions names namespace ${JSON.stringify(exemption.namespace)}: use a Namespace name (lowercase DNS label)`);
    }
    for (const ruleId of exemption.ruleIds ?? []) {
      if (!admissionTwinOf(ruleId)) throw new Error(`${prop}.exemptions for namespace ${JSON.stringify(exemption.namespace)} names rule ${JSON.stringify(ruleId)}, which is not a rule: use an id from docs/RULES.md`);
    }
  }
}

/** generates the policies and bindings of a pack; rules without a CEL twin are listed as skipped. */
export function generateAdmissionPolicies(options: AdmissionPolicyOptions): AdmissionPolicies {
  validateAdmissionPolicyOptions(options);
  const pack = packOf(options.pack ?? DEFAULT_PACK);
  const resolved = {
    ...options,
    apiVersion: options.apiVersion ?? 'v1',
    honourSuppressions: options.honourSuppressions ?? true,
    namePrefix: options.namePrefix ?? 'cdk8s-hardened-',
  };
  const minRank = SEVERITY_RANK[options.minSeverity ?? 'warning'];
  const policies: KubeObject[] = [];
  const bindings: KubeObject[] = [];
  const skipped: SkippedRule[] = [];
  for (const rule of pack.rules) {
    const declared = admissionTwinOf(rule.id);
    if (!declared) {
      skipped.push({ ruleId: rule.id, reason: 'the rule declares no admission twin' });
      continue;
    }
    const twin = resolveTwin(declared, { imagePolicy: options.imagePolicy });
    if (twin.twin === 'none') {
      skipped.push({ ruleId: rule.id, reason: twin.reason });
      continue;
    }
    const needs = twin.minKubernetesMinor ?? MIN_KUBERNETES_MINOR;
    if (needs > (options.kubernetesMinor ?? MIN_KUBERNETES_MINOR)) {
      skipped.push({ ruleId: rule.id, reason: `its CEL needs Kubernetes 1.${needs}; the target is 1.${options.kubernetesMinor ?? MIN_KUBERNETES_MINOR}` });
      continue;
    }
    if (SEVERITY_RANK[pack.severityOf(rule.id)] < minRank) {
      skipped.push({ ruleId: rule.id, reason: `severity ${pack.severityOf(rule.id)} is below ${options.minSeverity ?? 'warning'}` });
      continue;
    }
    policies.push(policyOf(rule, twin, resolved));
    bindings.push(bindingOf(rule, resolved));
  }
  return { policies, bindings, skipped };
}
