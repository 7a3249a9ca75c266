import { BINDING_KINDS } from './rbac-helpers';
import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { asString, namespaceOf } from '../rule-helpers';

/**
 * Flags a binding that grants a role to a namespace's `default` ServiceAccount, which every pod
 * that names no ServiceAccount runs as: the grant reaches every such workload, present and future.
 */
export const rbacDefaultServiceAccountBindingRule: Rule = {
  id: RuleIds.RBAC_DEFAULT_SERVICE_ACCOUNT_BINDING,
  title: 'Binding to a default ServiceAccount',
  description: 'Indicates when a RoleBinding or ClusterRoleBinding lists a namespace\'s default ServiceAccount as a subject, so every pod of that namespace that names no ServiceAccount holds the role.',
  severity: 'error',
  remediation: 'Create a ServiceAccount for the one workload that needs the permissions, bind the role to it and set serviceAccountName on that workload.',
  references: {
    cis: ['5.1.5'],
    links: ['https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts'],
  },
  kinds: BINDING_KINDS,
  check(object) {
    const violations: Violation[] = [];
    asArray(object.subjects).forEach((item, index) => {
      const subject = asRecord(item);
      const kind = asString(subject?.kind);
      const name = asString(subject?.name) ?? '';
      // the same account as a User subject: its username `system:serviceaccount:<namespace>:default`.
      const asUser = kind === 'User' ? /^system:serviceaccount:([^:]+):default$/.exec(name) : null;
      if (!asUser && (kind !== 'ServiceAccount' || name !== 'default')) return;
      // a RoleBinding's ServiceAccount subject without a namespace is in the binding's namespace.
      const namespace = asUser ? asUser[1] : asString(subject?.namespace) ?? namespaceOf(object);
      violations.push({
        message: `subject ServiceAccount "default"${namespace ? ` of namespace "${namespace}"` : ''} is what every pod without serviceAccountName runs as`,
        path: `subjects[${index}]`,
      });
    });
    return violations;
  },
};
