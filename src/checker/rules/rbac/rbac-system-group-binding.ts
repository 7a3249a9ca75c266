import { BUILT_IN_GROUP_BINDINGS } from './built-in-roles';
import { BINDING_KINDS } from './rbac-helpers';
import { BROAD_SYSTEM_GROUPS } from '../../../model/rbac-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { asString } from '../rule-helpers';

/** why a subject is broad, or undefined when it is not one of the system groups or users. */
function broadSubject(kind: string | undefined, name: string): string | undefined {
  if (kind === 'User' && name === 'system:anonymous') return 'every unauthenticated request';
  if (kind !== 'Group') return undefined;
  switch (name) {
    case 'system:anonymous':
    case 'system:unauthenticated': return 'every unauthenticated request';
    case 'system:authenticated': return 'every authenticated user and ServiceAccount';
    case 'system:masters': return 'a group that bypasses RBAC entirely and cannot be revoked';
    case 'system:serviceaccounts': return 'every ServiceAccount in every namespace';
    case 'system:nodes': return 'every kubelet';
    case 'system:bootstrappers': return 'every bootstrap token';
    default:
      if (name.startsWith('system:serviceaccounts:')) return `every ServiceAccount of namespace "${name.slice('system:serviceaccounts:'.length)}"`;
      return BROAD_SYSTEM_GROUPS.includes(name) ? 'a system group' : undefined;
  }
}

/**
 * Flags a binding to a group (or user) that stands for everyone or for a whole class of callers:
 * system:anonymous, system:unauthenticated, system:authenticated, system:masters,
 * system:serviceaccounts(:<namespace>), system:nodes, system:bootstrappers. The bindings the API
 * server itself creates for these groups are left alone when a manifest repeats them.
 */
export const rbacSystemGroupBindingRule: Rule = {
  id: RuleIds.RBAC_SYSTEM_GROUP_BINDING,
  title: 'Binding to a system group',
  description: 'Indicates when a RoleBinding or ClusterRoleBinding grants a role to system:anonymous, system:unauthenticated, system:authenticated, system:masters, system:serviceaccounts (or one namespace\'s), system:nodes or system:bootstrappers, which gives it to every caller of that class, anonymous ones included.',
  severity: 'error',
  remediation: 'Bind the role to the named users, groups or ServiceAccounts that need it instead of a system group.',
  references: {
    cis: ['5.1.7'],
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  },
  kinds: BINDING_KINDS,
  check(object) {
    const roleName = asString(asRecord(object.roleRef)?.name) ?? '';
    const roleKind = asString(asRecord(object.roleRef)?.kind);
    const violations: Violation[] = [];
    asArray(object.subjects).forEach((item, index) => {
      const subject = asRecord(item);
      const kind = asString(subject?.kind);
      const name = asString(subject?.name) ?? '';
      const why = broadSubject(kind, name);
      if (!why) return;
      const builtIn = object.kind === 'ClusterRoleBinding' && roleKind === 'ClusterRole'
        && BUILT_IN_GROUP_BINDINGS.some(([role, group]) => role === roleName && group === name);
      if (builtIn) return;
      violations.push({ message: `subject ${kind} ${JSON.stringify(name)} is ${why}: it gets ${roleKind ?? 'the role'} ${JSON.stringify(roleName)}`, path: `subjects[${index}]` });
    });
    return violations;
  },
};
