import { ManifestIndex } from '../../src/checker/context';
import { matchesLabelSelector } from '../../src/checker/label-selector';
import { effectiveRoleOf } from '../../src/checker/rules/rbac/effective-role';
import { grants, policyRulesOf } from '../../src/checker/rules/rbac/rbac-helpers';
import type { KubeObject } from '../../src/checker/types';

const RBAC = 'rbac.authorization.k8s.io/v1';

function binding(kind: 'RoleBinding' | 'ClusterRoleBinding', roleKind: string, roleName: string, namespace?: string): KubeObject {
  return { apiVersion: RBAC, kind, metadata: { name: 'b', namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName }, subjects: [{ kind: 'User', name: 'u' }] };
}

function grantsOf(role: KubeObject, verb: string, group: string, resource: string): boolean {
  return policyRulesOf(role).some((rule) => grants(rule, verb, group, resource));
}

describe('label selectors |', () => {
  test('match labels and every expression operator as the API server does', () => {
    const labels = { a: '1', b: '2' };
    expect(matchesLabelSelector({}, labels)).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { a: '1' } }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { a: '2' } }, labels)).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '3'] }] }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, labels)).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'c', operator: 'NotIn', values: ['1'] }] }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'b', operator: 'Exists' }] }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'b', operator: 'Gt', values: ['1'] }] }, labels)).toBe(false);
    expect(matchesLabelSelector('x', labels)).toBe(false);
  });
});

describe('effective roles |', () => {
  test('edit holds the built-in edit and view rules, admin adds RBAC writes, view stays read-only', () => {
    const context = new ManifestIndex([]);
    const edit = effectiveRoleOf(binding('RoleBinding', 'ClusterRole', 'edit', 'app'), context)!;
    expect(edit.origin).toBe('built-in');
    expect(edit.role.kind).toBe('Role');
    expect(grantsOf(edit.role, 'create', '', 'pods/exec')).toBe(true);
    expect(grantsOf(edit.role, 'create', '', 'serviceaccounts/token')).toBe(true);
    expect(grantsOf(edit.role, 'list', '', 'secrets')).toBe(true);
    expect(grantsOf(edit.role, 'get', 'apps', 'deployments')).toBe(true);
    expect(grantsOf(edit.role, 'create', 'rbac.authorization.k8s.io', 'rolebindings')).toBe(false);
    const admin = effectiveRoleOf(binding('ClusterRoleBinding', 'ClusterRole', 'admin'), context)!;
    expect(admin.role.kind).toBe('ClusterRole');
    expect(grantsOf(admin.role, 'create', 'rbac.authorization.k8s.io', 'rolebindings')).toBe(true);
    expect(grantsOf(admin.role, 'create', '', 'pods/exec')).toBe(true);
    const view = effectiveRoleOf(binding('RoleBinding', 'ClusterRole', 'view', 'app'), context)!;
    expect(grantsOf(view.role, 'get', '', 'pods')).toBe(true);
    expect(grantsOf(view.role, 'get', '', 'secrets')).toBe(false);
    expect(policyRulesOf(view.role).every((rule) => rule.verbs.every((verb) => ['get', 'list', 'watch'].includes(verb)))).toBe(true);
  });

  test('a ClusterRole in the input labelled aggregate-to-view widens view, and an aggregationRule collects what it selects', () => {
    const widen: KubeObject = { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'w', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] };
    const mine: KubeObject = { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'mine' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }] } };
    const context = new ManifestIndex([widen, mine]);
    const view = effectiveRoleOf(binding('RoleBinding', 'ClusterRole', 'view', 'app'), context)!;
    expect(grantsOf(view.role, 'get', '', 'secrets')).toBe(true);
    const aggregated = effectiveRoleOf(binding('ClusterRoleBinding', 'ClusterRole', 'mine'), context)!;
    expect(aggregated.origin).toBe('aggregated');
    // edit's own label aggregate-to-edit is not set, but system:aggregate-to-edit is, and view (with w) aggregates to edit
    expect(grantsOf(aggregated.role, 'create', '', 'pods/exec')).toBe(true);
    expect(grantsOf(aggregated.role, 'get', '', 'secrets')).toBe(true);
  });

  test('a role in the input shadows a built-in of the same name, and unknown roles are marked', () => {
    const shadow: KubeObject = { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'edit' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] };
    const context = new ManifestIndex([shadow]);
    expect(effectiveRoleOf(binding('ClusterRoleBinding', 'ClusterRole', 'edit'), context)!.origin).toBe('input');
    expect(effectiveRoleOf(binding('ClusterRoleBinding', 'ClusterRole', 'system:controller:job-controller'), context)!.origin).toBe('unknown-system');
    expect(effectiveRoleOf(binding('RoleBinding', 'Role', 'missing', 'app'), context)!.origin).toBe('unknown');
    expect(effectiveRoleOf({ kind: 'RoleBinding', roleRef: { kind: 'Group', name: 'x' } }, context)).toBeUndefined();
  });
});
