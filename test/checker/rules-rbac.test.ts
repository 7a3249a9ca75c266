import { grants, policyRulesOf } from '../../src/checker/rules/rbac/rbac-helpers';
import { rbacWildcardRule } from '../../src/checker/rules/rbac/rbac-wildcard';
import type { CheckContext, KubeObject } from '../../src/checker/types';

const context: CheckContext = { objectsOf: () => [], find: () => undefined, namespaces: () => [] };

function role(rules: unknown): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules };
}

describe('rbac helpers |', () => {
  test('match verbs, groups and resources as the RBAC authorizer does', () => {
    const [rule] = policyRulesOf(role([{ apiGroups: [''], resources: ['pods', '*/exec'], verbs: ['create'] }]));
    expect(grants(rule, 'create', '', 'pods')).toBe(true);
    expect(grants(rule, 'create', '', 'pods/exec')).toBe(true);
    expect(grants(rule, 'create', '', 'pods/attach')).toBe(false);
    expect(grants(rule, 'get', '', 'pods')).toBe(false);
    expect(grants(rule, 'create', 'apps', 'pods')).toBe(false);
    const [star] = policyRulesOf(role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]));
    expect(grants(star, 'impersonate', '', 'users')).toBe(true);
    expect(grants(star, 'get', '', 'secrets')).toBe(true);
  });

  test('skip entries of the wrong type', () => {
    expect(policyRulesOf(role(['x', { verbs: [1, 'get'], resources: 'pods' }]))).toMatchObject([
      { index: 1, path: 'rules[1]', verbs: ['get'], resources: [], apiGroups: [] },
    ]);
  });
});

describe('rbac-wildcard |', () => {
  test('fails a * in nonResourceURLs', () => {
    expect(rbacWildcardRule.check(role([{ nonResourceURLs: ['/healthz', '*'], verbs: ['get'] }]), context)).toEqual([
      { message: 'rule 0 lists "*" in nonResourceURLs', path: 'rules[0].nonResourceURLs[1]' },
    ]);
  });

  test('passes a path prefix wildcard in nonResourceURLs', () => {
    expect(rbacWildcardRule.check(role([{ nonResourceURLs: ['/healthz/*'], verbs: ['get'] }]), context)).toEqual([]);
  });
});
