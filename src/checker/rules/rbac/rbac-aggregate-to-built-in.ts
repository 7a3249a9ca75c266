import { BUILT_IN_CLUSTER_ROLES } from './built-in-roles';
import { effectiveRoleOf, selectedClusterRoles } from './effective-role';
import { escalationPaths } from './escalation-paths';
import { policyRulesOf } from './rbac-helpers';
import { AGGREGATE_TO_LABEL_PREFIX } from '../../../model/rbac-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import { labelsOf } from '../../label-selector';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { fieldPath } from '../rule-helpers';

const READ_VERBS = ['get', 'list', 'watch'];
/** the built-in roles whose holders get whatever is aggregated into them. */
const WIDENED = ['admin', 'edit', 'view'];

// subresources where even get acts rather than reads: exec and attach over websockets, tunnels, tokens.
const ACTING_SUBRESOURCES = ['exec', 'attach', 'portforward', 'proxy', 'token', 'ephemeralcontainers'];

/** true when a view-aggregated role grants more than reading non-secret objects (status, scale and logs are reads). */
function beyondRead(role: Record<string, unknown>): boolean {
  return policyRulesOf(role).some((rule) => rule.verbs.some((verb) => !READ_VERBS.includes(verb))
    || rule.resources.some((resource) => resource === '*' || resource.startsWith('*/') || resource === 'secrets'
      || ACTING_SUBRESOURCES.includes(resource.split('/')[1] ?? '')));
}

/**
 * Flags a ClusterRole that widens the built-in user-facing roles (its `aggregate-to-admin` or
 * `aggregate-to-edit` label, or an `aggregate-to-view` label on more than read access), and a
 * ClusterRole whose aggregationRule pulls in a built-in role's rules, making it as powerful as
 * that role under a name no reviewer recognises.
 */
export const rbacAggregateToBuiltInRule: Rule = {
  id: RuleIds.RBAC_AGGREGATE_TO_BUILT_IN,
  title: 'ClusterRole aggregated with built-in roles',
  description: 'Indicates when a ClusterRole carries rbac.authorization.k8s.io/aggregate-to-admin or aggregate-to-edit (or aggregate-to-view with more than read access), adding its rules to every subject that holds the built-in role in any namespace, or when its aggregationRule selects built-in ClusterRoles (system:aggregate-to-edit, edit, ...) whose rules are an escalation path.',
  severity: 'error',
  remediation: 'Remove the aggregate-to-* label and bind the ClusterRole only where it is needed; select only your own ClusterRoles (by a label of your own) in an aggregationRule.',
  references: {
    cis: ['5.1.8'],
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles'],
  },
  kinds: ['ClusterRole'],
  check(object, context) {
    const violations: Violation[] = [];
    const labels = labelsOf(object);
    for (const target of WIDENED) {
      const key = `${AGGREGATE_TO_LABEL_PREFIX}${target}`;
      if (labels[key] !== 'true') continue;
      if (target === 'view' && !beyondRead(object)) continue;
      violations.push({
        message: `label ${key}: "true" adds this role's rules to the built-in ClusterRole "${target}"${target === 'view' ? ' with more than read access' : ''}, held by every ${target} subject in every namespace`,
        path: fieldPath('metadata.labels', key),
      });
    }
    const selectors = asArray(asRecord(object.aggregationRule)?.clusterRoleSelectors);
    if (selectors.length > 0) {
      // the built-in roles it pulls in, judged by their effective rules; roles of the input are judged on their own.
      const builtIn = selectedClusterRoles(selectors, context).filter((name) => BUILT_IN_CLUSTER_ROLES[name] !== undefined
        && context.find('ClusterRole', undefined, name) === undefined);
      const rules = builtIn.flatMap((name) => asArray(effectiveRoleOf(
        { kind: 'ClusterRoleBinding', roleRef: { kind: 'ClusterRole', name } }, context)?.role.rules));
      const paths = escalationPaths({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'aggregated' }, rules }, context);
      if (paths.length > 0) {
        violations.push({
          message: `aggregationRule selects the built-in ClusterRoles ${builtIn.map((name) => JSON.stringify(name)).join(', ')}, so this role grants ${paths.join(', ')}`,
          path: 'aggregationRule.clusterRoleSelectors',
        });
      }
    }
    return violations;
  },
};
