import { ObjectMemo } from '../../object-memo';
import { asArray, asRecord } from '../../pod-spec';
import type { KubeObject } from '../../types';
import { stringsOf } from '../rule-helpers';

/** the kinds that carry RBAC rules. */
export const ROLE_KINDS = ['Role', 'ClusterRole'] as const;
/** the kinds that bind a role to subjects. */
export const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'] as const;

const WILDCARD = '*';

/** one PolicyRule of a Role or ClusterRole, read tolerantly. */
export interface PolicyRule {
  readonly index: number;
  /** `rules[0]`. */
  readonly path: string;
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  /** the rule as written, for paths into its lists. */
  readonly raw: Record<string, unknown>;
}

/** a role's rules, read once for the dozen RBAC rules that read them one after another. */
const POLICY_RULES = new ObjectMemo<KubeObject, readonly PolicyRule[]>((role) => readPolicyRules(role));

/** the rules of a Role or ClusterRole (entries that are not mappings are skipped). Shared: never modify. */
export function policyRulesOf(role: KubeObject): readonly PolicyRule[] {
  return POLICY_RULES.get(role);
}

function readPolicyRules(role: KubeObject): PolicyRule[] {
  const result: PolicyRule[] = [];
  asArray(role.rules).forEach((item, index) => {
    const rule = asRecord(item);
    if (!rule) return;
    result.push({
      index,
      path: `rules[${index}]`,
      verbs: stringsOf(rule.verbs),
      apiGroups: stringsOf(rule.apiGroups),
      resources: stringsOf(rule.resources),
      raw: rule,
    });
  });
  return result;
}

/** true when the rule matches `resource` (`pods`, `pods/exec`) as the RBAC authorizer does, wildcards and `*` + `/subresource` included. */
export function matchesResource(rule: PolicyRule, resource: string): boolean {
  const slash = resource.indexOf('/');
  const anyParent = slash >= 0 ? `*${resource.slice(slash)}` : undefined;
  return rule.resources.some((candidate) => candidate === WILDCARD || candidate === resource || candidate === anyParent);
}

/** true when the rule names `apiGroup` (`''` is the core group) or every group. */
export function matchesGroup(rule: PolicyRule, apiGroup: string): boolean {
  return rule.apiGroups.includes(apiGroup) || rule.apiGroups.includes(WILDCARD);
}

/** true when the rule allows `verb`, or every verb. */
export function allowsVerb(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes(verb) || rule.verbs.includes(WILDCARD);
}

/** true when the rule grants `verb` on `resource` in `apiGroup` (`''` is the core group). */
export function grants(rule: PolicyRule, verb: string, apiGroup: string, resource: string): boolean {
  return allowsVerb(rule, verb) && matchesGroup(rule, apiGroup) && matchesResource(rule, resource);
}

/** the verbs among `verbs` that the rule grants on the resource, in the order given. */
export function grantedVerbs(rule: PolicyRule, verbs: readonly string[], apiGroup: string, resource: string): string[] {
  return verbs.filter((verb) => grants(rule, verb, apiGroup, resource));
}

/** how a role is named in messages: `ClusterRole "reader"`. */
export function describeRole(role: KubeObject): string {
  const name = asRecord(role.metadata)?.name;
  return `${String(role.kind)} ${JSON.stringify(typeof name === 'string' ? name : '')}`;
}
