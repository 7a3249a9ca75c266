import { compareText, describeRef, ObjectRef, refKey, refOf } from './object-ref';
import { ManifestIndex } from '../checker/context';
import { asArray, asRecord } from '../checker/pod-spec';
import { effectiveRoleOf } from '../checker/rules/rbac/effective-role';
import { stringsOf } from '../checker/rules/rule-helpers';
import type { KubeObject } from '../checker/types';

/** one thing a subject may do: a verb on a resource (or a non-resource URL), in a scope. */
export interface Permission {
  /** the ServiceAccount (or User, Group) holding it. */
  readonly subject: ObjectRef;
  /** the namespace a RoleBinding grants in, or `*` for a ClusterRoleBinding (every namespace and cluster-scoped objects). */
  readonly scope: string;
  readonly verb: string;
  /** `''` for the core group; absent for a non-resource URL. */
  readonly apiGroup?: string;
  /** `pods`, `pods/exec`, `*`; for a non-resource URL, the URL. */
  readonly resource: string;
  /** when the rule names objects: one entry per name. */
  readonly resourceName?: string;
  readonly nonResourceURL?: boolean;
  /** the binding and role it comes through (the first one in file order, when several grant it). */
  readonly via: string;
}

export interface PermissionsDiff {
  readonly added: Permission[];
  readonly removed: Permission[];
}

function permissionKey(permission: Permission): string {
  return [
    permission.subject.namespace ?? '', permission.subject.kind, permission.subject.name, permission.scope,
    permission.nonResourceURL ? 'url' : 'resource', permission.apiGroup ?? '', permission.resource, permission.resourceName ?? '', permission.verb,
  ].join('\u0000');
}

/**
 * Every permission each bound subject holds, per the effective-role model `check` uses: roles from
 * the tree, the API server's built-in ClusterRoles, and aggregated ClusterRoles. A binding to a role
 * that is neither in the tree nor built in grants nothing known here.
 */
export function permissionsOf(objects: readonly KubeObject[]): Map<string, Permission> {
  const context = new ManifestIndex(objects);
  const found = new Map<string, Permission>();
  // the accounts a group subject reaches: every ServiceAccount in the tree and each namespace's `default`.
  const accounts = new Map<string, ObjectRef>();
  for (const object of objects) {
    const ref = refOf(object);
    if (object.kind === 'ServiceAccount' && ref.name) accounts.set(refKey({ ...ref, namespace: ref.namespace ?? 'default' }), { ...ref, namespace: ref.namespace ?? 'default' });
    if (object.kind === 'Namespace' && ref.name) accounts.set(refKey({ namespace: ref.name, kind: 'ServiceAccount', name: 'default' }), { namespace: ref.name, kind: 'ServiceAccount', name: 'default' });
  }
  const accountsOfGroup = (group: string): ObjectRef[] => {
    if (group === 'system:serviceaccounts' || group === 'system:authenticated') return [...accounts.values()];
    const prefix = 'system:serviceaccounts:';
    return group.startsWith(prefix) ? [...accounts.values()].filter((account) => account.namespace === group.slice(prefix.length)) : [];
  };
  for (const binding of objects) {
    if (binding.kind !== 'RoleBinding' && binding.kind !== 'ClusterRoleBinding') continue;
    if (binding.apiVersion !== 'rbac.authorization.k8s.io/v1') continue;
    const role = effectiveRoleOf(binding, context);
    if (!role) continue;
    const bindingRef = refOf(binding);
    const scope = binding.kind === 'RoleBinding' ? bindingRef.namespace ?? 'default' : '*';
    const via = `${describeRef(bindingRef)} → ${role.description}`;
    for (const item of asArray(binding.subjects)) {
      const subjectRecord = asRecord(item);
      const kind = typeof subjectRecord?.kind === 'string' ? subjectRecord.kind : '';
      const name = typeof subjectRecord?.name === 'string' ? subjectRecord.name : '';
      if (!kind || !name) continue;
      const namespace = kind === 'ServiceAccount' ? (typeof subjectRecord?.namespace === 'string' && subjectRecord.namespace) || bindingRef.namespace || 'default' : undefined;
      const subject: ObjectRef = { ...(namespace ? { namespace } : {}), kind, name };
      const holders = [{ subject, via }, ...(kind === 'Group' ? accountsOfGroup(name).map((account) => ({ subject: account, via: `${via} (group ${name})` })) : [])];
      const add = (permission: Omit<Permission, 'subject' | 'scope' | 'via'>) => {
        for (const holder of holders) {
          const full: Permission = { subject: holder.subject, scope, ...permission, via: holder.via };
          const key = permissionKey(full);
          if (!found.has(key)) found.set(key, full);
        }
      };
      for (const ruleItem of asArray(role.role.rules)) {
        const rule = asRecord(ruleItem);
        if (!rule) continue;
        const verbs = stringsOf(rule.verbs);
        const names = stringsOf(rule.resourceNames);
        for (const verb of verbs) {
          for (const url of stringsOf(rule.nonResourceURLs)) {
            // non-resource URLs are granted only through ClusterRoleBindings.
            if (binding.kind === 'ClusterRoleBinding') add({ verb, resource: url, nonResourceURL: true });
          }
          for (const apiGroup of stringsOf(rule.apiGroups)) {
            for (const resource of stringsOf(rule.resources)) {
              if (names.length === 0) add({ verb, apiGroup, resource });
              for (const resourceName of names) add({ verb, apiGroup, resource, resourceName });
            }
          }
        }
      }
    }
  }
  return found;
}

function byPermission(a: Permission, b: Permission): number {
  return compareText(permissionKey(a), permissionKey(b));
}

/** permissions gained and lost from `base` to `head`, per subject. */
export function comparePermissions(base: readonly KubeObject[], head: readonly KubeObject[]): PermissionsDiff {
  const before = permissionsOf(base);
  const after = permissionsOf(head);
  const added = [...after].filter(([key]) => !before.has(key)).map(([, permission]) => permission);
  const removed = [...before].filter(([key]) => !after.has(key)).map(([, permission]) => permission);
  return { added: added.sort(byPermission), removed: removed.sort(byPermission) };
}
