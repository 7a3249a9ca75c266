import { comparePermissions } from '../../src/diff/permissions';

const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, role: string, subjects: Record<string, string>[], namespace?: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects,
});
const tree = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'worker', namespace: 'jobs' } },
];

describe('permissions | per ServiceAccount', () => {
  test('a group binding hands its role to every account of the namespace it names', () => {
    const head = [...tree, binding('RoleBinding', 'all-view', 'view', [{ kind: 'Group', name: 'system:serviceaccounts:shop', apiGroup: 'rbac.authorization.k8s.io' }], 'shop')];
    const added = comparePermissions(tree, head).added;
    const holders = new Set(added.map((permission) => `${permission.subject.kind} ${permission.subject.namespace ?? ''}/${permission.subject.name}`));
    expect(holders).toEqual(new Set(['Group /system:serviceaccounts:shop', 'ServiceAccount shop/default', 'ServiceAccount shop/web']));
    expect(added.every((permission) => permission.scope === 'shop' && !['create', 'delete', 'update', 'patch'].includes(permission.verb))).toBe(true);
  });

  test('a permission another binding already grants is not gained, and a removed binding loses only what nothing else grants', () => {
    const view = binding('ClusterRoleBinding', 'web-view', 'view', [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }]);
    const edit = binding('RoleBinding', 'web-edit', 'edit', [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }], 'shop');
    const change = comparePermissions([...tree, view], [...tree, view, edit]);
    expect(change.removed).toEqual([]);
    expect(change.added.some((permission) => permission.verb === 'create' && permission.resource === 'deployments' && permission.scope === 'shop')).toBe(true);
    // view already lets web list pods everywhere ("*"); edit's list pods in shop is a new, narrower entry of its own scope.
    const lost = comparePermissions([...tree, view, edit], [...tree, edit]).removed;
    expect(lost.every((permission) => permission.scope === '*')).toBe(true);
  });

  test('non-resource URLs come only through ClusterRoleBindings', () => {
    const viaRoleBinding = comparePermissions(tree, [...tree, binding('RoleBinding', 'x', 'system:discovery', [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }], 'shop')]);
    expect(viaRoleBinding.added.filter((permission) => permission.nonResourceURL)).toEqual([]);
    const viaCluster = comparePermissions(tree, [...tree, binding('ClusterRoleBinding', 'x', 'system:discovery', [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }])]);
    expect(viaCluster.added.some((permission) => permission.nonResourceURL && permission.resource === '/version')).toBe(true);
  });
});
