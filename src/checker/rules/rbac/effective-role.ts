import { BUILT_IN_CLUSTER_ROLES } from './built-in-roles';
import { labelsOf, matchesLabelSelector } from '../../label-selector';
import { asArray, asRecord } from '../../pod-spec';
import type { CheckContext, KubeObject } from '../../types';
import { asString, namespaceOf } from '../rule-helpers';

/** where a binding's role came from. */
export type RoleOrigin =
  /** a Role or ClusterRole in the input with rules of its own: the role rules judge it there. */
  | 'input'
  /** a ClusterRole the API server creates at bootstrap, known to the checker. */
  | 'built-in'
  /** a ClusterRole with an aggregationRule: its rules are those of the ClusterRoles it selects. */
  | 'aggregated'
  /** a `system:` ClusterRole the checker does not know: a control-plane component's role. */
  | 'unknown-system'
  /** a role neither in the input nor built in. */
  | 'unknown';

/** what a binding grants, resolved across objects. */
export interface EffectiveRole {
  readonly origin: RoleOrigin;
  /** `built-in ClusterRole "edit"`. */
  readonly description: string;
  /**
   * A role object carrying the effective rules, shaped so the role rules can judge it: its kind
   * is `Role` for a RoleBinding (which cannot reach cluster-scoped objects), else `ClusterRole`.
   */
  readonly role: KubeObject;
}

/** the rules of a ClusterRole by name: aggregated, from the input, or built in. */
function clusterRoleRules(name: string, context: CheckContext, visiting: Set<string>): unknown[] {
  const inInput = context.find('ClusterRole', undefined, name);
  if (inInput) return rulesOfClusterRole(inInput, context, visiting);
  const builtIn = BUILT_IN_CLUSTER_ROLES[name];
  if (!builtIn) return [];
  if (builtIn.aggregates) return aggregatedRules([{ matchLabels: { [builtIn.aggregates]: 'true' } }], context, new Set([...visiting, name]));
  return builtIn.rules.map((rule) => ({ ...rule }));
}

function rulesOfClusterRole(role: KubeObject, context: CheckContext, visiting: Set<string>): unknown[] {
  const aggregation = asRecord(role.aggregationRule);
  if (!aggregation) return asArray(role.rules);
  const name = asString(asRecord(role.metadata)?.name) ?? '';
  return aggregatedRules(asArray(aggregation.clusterRoleSelectors), context, new Set([...visiting, name]));
}

/** every ClusterRole name the input and the bootstrap set define, with its labels. */
function allClusterRoles(context: CheckContext): { name: string; labels: Record<string, unknown> }[] {
  const inputRoles = context.objectsOf('ClusterRole', undefined).map((role) => ({ name: asString(asRecord(role.metadata)?.name) ?? '', labels: labelsOf(role) }));
  const inputNames = new Set(inputRoles.map((role) => role.name));
  const builtIns = Object.entries(BUILT_IN_CLUSTER_ROLES)
    .filter(([name]) => !inputNames.has(name))
    .map(([name, role]) => ({ name, labels: { ...role.labels } as Record<string, unknown> }));
  return [...inputRoles, ...builtIns];
}

/** the names of the ClusterRoles (input and built-in) that any of the selectors selects. */
export function selectedClusterRoles(selectors: readonly unknown[], context: CheckContext): string[] {
  return allClusterRoles(context)
    .filter((role) => selectors.some((selector) => matchesLabelSelector(selector, role.labels)))
    .map((role) => role.name)
    .sort();
}

/** the union of the rules of every ClusterRole the selectors select, as the aggregation controller computes it. */
export function aggregatedRules(selectors: readonly unknown[], context: CheckContext, visiting: Set<string> = new Set()): unknown[] {
  const rules: unknown[] = [];
  for (const name of selectedClusterRoles(selectors, context)) {
    if (visiting.has(name)) continue;
    rules.push(...clusterRoleRules(name, context, new Set([...visiting, name])));
  }
  return rules;
}

/** the role a RoleBinding or ClusterRoleBinding refers to, with what it grants; undefined when roleRef is unusable. */
export function effectiveRoleOf(binding: KubeObject, context: CheckContext): EffectiveRole | undefined {
  const roleRef = asRecord(binding.roleRef);
  const refKind = asString(roleRef?.kind);
  const refName = asString(roleRef?.name);
  if (!refName || (refKind !== 'Role' && refKind !== 'ClusterRole')) return undefined;
  const scopedKind = binding.kind === 'RoleBinding' ? 'Role' : 'ClusterRole';
  const shaped = (rules: unknown[]): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: scopedKind, metadata: { name: refName }, rules });

  if (refKind === 'Role') {
    // a ClusterRoleBinding cannot refer to a Role; a RoleBinding's Role lives in its namespace.
    const role = binding.kind === 'RoleBinding' ? context.find('Role', namespaceOf(binding), refName) : undefined;
    return role
      ? { origin: 'input', description: `Role ${JSON.stringify(refName)}`, role: shaped(asArray(role.rules)) }
      : { origin: 'unknown', description: `Role ${JSON.stringify(refName)}`, role: shaped([]) };
  }
  const inInput = context.find('ClusterRole', undefined, refName);
  if (inInput) {
    const aggregated = asRecord(inInput.aggregationRule) !== undefined;
    return {
      origin: aggregated ? 'aggregated' : 'input',
      description: `${aggregated ? 'aggregated ' : ''}ClusterRole ${JSON.stringify(refName)}`,
      role: shaped(rulesOfClusterRole(inInput, context, new Set([refName]))),
    };
  }
  if (BUILT_IN_CLUSTER_ROLES[refName]) {
    return { origin: 'built-in', description: `built-in ClusterRole ${JSON.stringify(refName)}`, role: shaped(clusterRoleRules(refName, context, new Set())) };
  }
  if (refName.startsWith('system:')) {
    return { origin: 'unknown-system', description: `ClusterRole ${JSON.stringify(refName)}`, role: shaped([]) };
  }
  return { origin: 'unknown', description: `ClusterRole ${JSON.stringify(refName)}`, role: shaped([]) };
}
