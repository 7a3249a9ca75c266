import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule } from '../../types';
import { asString } from '../rule-helpers';
import { BINDING_KINDS } from './rbac-helpers';

/** flags a RoleBinding or ClusterRoleBinding that grants the `cluster-admin` ClusterRole. */
export const rbacClusterAdminBindingRule: Rule = {
  id: RuleIds.RBAC_CLUSTER_ADMIN_BINDING,
  title: 'Binding to cluster-admin',
  description: 'Indicates when a RoleBinding or ClusterRoleBinding refers to the ClusterRole cluster-admin, which grants every verb on every resource (within the namespace for a RoleBinding).',
  severity: 'error',
  remediation: 'Bind a Role or ClusterRole that lists only the verbs and resources the subjects need instead of cluster-admin.',
  references: {
    cis: ['5.1.1'],
    nsa: ['C-0035'],
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles'],
  },
  kinds: BINDING_KINDS,
  check(object) {
    const roleRef = asRecord(object.roleRef);
    if (!roleRef || roleRef.kind !== 'ClusterRole' || roleRef.name !== 'cluster-admin') return [];
    const subjects = asArray(object.subjects)
      .map((subject) => asRecord(subject))
      .filter((subject): subject is Record<string, unknown> => subject !== undefined)
      .map((subject) => `${asString(subject.kind) ?? '?'} ${JSON.stringify(asString(subject.name) ?? '')}`);
    return [{
      message: `${String(object.kind)} grants ClusterRole "cluster-admin" to ${subjects.length > 0 ? subjects.join(', ') : 'no subjects yet'}`,
      path: 'roleRef.name',
    }];
  },
};
