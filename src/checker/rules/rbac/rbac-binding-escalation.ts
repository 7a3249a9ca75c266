import { BUILT_IN_CLUSTER_ROLES } from './built-in-roles';
import { effectiveRoleOf } from './effective-role';
import { escalationPaths } from './escalation-paths';
import { rbacCsrApprovalRule } from './rbac-csr-approval';
import { BINDING_KINDS } from './rbac-helpers';
import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { CheckContext, KubeObject, Rule, Violation } from '../../types';
import { asString, nameOf } from '../rule-helpers';

/**
 * Flags a binding whose role grants an escalation path when that role is not judged on its own
 * in the input: a built-in ClusterRole (admin, edit, system:*), an aggregated ClusterRole (its
 * rules are those of the roles it selects, built-in and input alike), or an unknown `system:`
 * role. A role with its own rules in the input is reported there by the role rules, and
 * cluster-admin by `rbac-cluster-admin-binding`.
 */
export const rbacBindingEscalationRule: Rule = {
  id: RuleIds.RBAC_BINDING_ESCALATION,
  title: 'Binding grants an escalation path',
  description: 'Indicates when a RoleBinding or ClusterRoleBinding grants a built-in or aggregated ClusterRole (admin, edit, system:kube-controller-manager, an aggregationRule over them, ...) whose effective rules read secrets, exec into or create pods, mint tokens, impersonate or otherwise lead to more power, or a system: ClusterRole meant for a control-plane component.',
  severity: 'error',
  remediation: 'Bind a Role of your own that lists only the verbs and resources the subjects need; use the built-in view role for read access.',
  references: {
    cis: ['5.1.1', '5.1.8'],
    nsa: ['C-0035'],
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/'],
  },
  kinds: BINDING_KINDS,
  check(object, context) {
    return [...roleViolations(object, context), ...combinedCsrApproval(object, context)];
  },
};

function roleViolations(object: KubeObject, context: CheckContext): Violation[] {
  const roleRef = asRecord(object.roleRef);
  if (roleRef?.kind === 'ClusterRole' && roleRef.name === 'cluster-admin') return [];
  const effective = effectiveRoleOf(object, context);
  if (!effective || effective.origin === 'input' || effective.origin === 'unknown') return [];
  if (effective.origin === 'unknown-system') {
    return [{ message: `${String(object.kind)} grants ${effective.description}, a role for a control-plane component whose rules the checker does not know`, path: 'roleRef.name' }];
  }
  const paths = escalationPaths(effective.role, context);
  if (paths.length === 0) {
    const component = effective.origin === 'built-in' && BUILT_IN_CLUSTER_ROLES[String(roleRef?.name)]?.component === true;
    return component
      ? [{ message: `${String(object.kind)} grants ${effective.description}, a role the API server keeps for a control-plane component, not for workloads or people`, path: 'roleRef.name' }]
      : [];
  }
  const scope = object.kind === 'RoleBinding' ? ' in its namespace' : ' in every namespace';
  return [{ message: `${String(object.kind)} grants ${effective.description}, which allows ${paths.join(', ')}${scope}`, path: 'roleRef.name' }];
}

/** `ServiceAccount app/ci`, `User bob`: a subject's identity across bindings. */
function subjectKey(subject: Record<string, unknown>): string {
  const kind = asString(subject.kind) ?? '';
  return kind === 'ServiceAccount' ? `${kind} ${asString(subject.namespace) ?? ''}/${asString(subject.name) ?? ''}` : `${kind} ${asString(subject.name) ?? ''}`;
}

/** the ClusterRoleBindings of the input by subject, indexed once per manifest set. */
const BINDINGS_BY_SUBJECT = new WeakMap<CheckContext, Map<string, KubeObject[]>>();

function clusterBindingsBySubject(context: CheckContext): Map<string, KubeObject[]> {
  let index = BINDINGS_BY_SUBJECT.get(context);
  if (!index) {
    index = new Map();
    for (const binding of context.objectsOf('ClusterRoleBinding', undefined)) {
      for (const subject of asArray(binding.subjects).map(asRecord)) {
        if (!subject) continue;
        const key = subjectKey(subject);
        index.set(key, [...index.get(key) ?? [], binding]);
      }
    }
    BINDINGS_BY_SUBJECT.set(context, index);
  }
  return index;
}

/**
 * Approving a CertificateSigningRequest takes two grants (update on the approval subresource,
 * approve on the signer), which can come from two ClusterRoles bound to the same subject. Each
 * role alone passes `rbac-csr-approval`; the pair is found here, on each binding that adds a half.
 */
function combinedCsrApproval(object: KubeObject, context: CheckContext): Violation[] {
  if (object.kind !== 'ClusterRoleBinding') return [];
  const own = effectiveRoleOf(object, context);
  if (!own || rbacCsrApprovalRule.check(own.role, context).length > 0) return [];
  const violations: Violation[] = [];
  asArray(object.subjects).forEach((item, index) => {
    const subject = asRecord(item);
    if (!subject) return;
    const others = (clusterBindingsBySubject(context).get(subjectKey(subject)) ?? []).filter((binding) => binding !== object);
    const rules = [own, ...others.map((binding) => effectiveRoleOf(binding, context))]
      .flatMap((role) => asArray(role?.role.rules));
    const union: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'union' }, rules };
    if (rbacCsrApprovalRule.check(union, context).length === 0 || asArray(own.role.rules).length === 0) return;
    violations.push({
      message: `subject ${subjectKey(subject)} can approve CertificateSigningRequests through this binding together with ClusterRoleBinding ${others.map((binding) => JSON.stringify(nameOf(binding))).join(', ')}: one grants certificatesigningrequests/approval, the other approve on signers`,
      path: `subjects[${index}]`,
    });
  });
  return violations;
}
