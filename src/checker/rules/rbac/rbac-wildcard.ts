import { policyRulesOf, ROLE_KINDS } from './rbac-helpers';
import { RuleIds } from '../../../model/rule-ids';
import { asArray } from '../../pod-spec';
import type { Rule, Violation } from '../../types';

export const WILDCARD_FIELDS = ['verbs', 'apiGroups', 'resources', 'nonResourceURLs'] as const;

/** flags `*` in a Role or ClusterRole rule's verbs, apiGroups, resources or nonResourceURLs. */
export const rbacWildcardRule: Rule = {
  id: RuleIds.RBAC_WILDCARD,
  title: 'Wildcard in RBAC rule',
  description: 'Indicates when a Role or ClusterRole rule lists * in verbs, apiGroups, resources (including */subresource) or nonResourceURLs, which also grants whatever verbs and resources later Kubernetes versions and CRDs add.',
  severity: 'error',
  remediation: 'List the exact verbs, API groups, resources and non-resource URLs the role needs instead of *.',
  references: {
    cis: ['5.1.3'],
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    const violations: Violation[] = [];
    for (const rule of policyRulesOf(object)) {
      for (const field of WILDCARD_FIELDS) {
        asArray(rule.raw[field]).forEach((value, valueIndex) => {
          if (typeof value !== 'string') return;
          if (value !== '*' && !(field === 'resources' && value.startsWith('*/'))) return;
          violations.push({
            message: `rule ${rule.index} lists ${JSON.stringify(value)} in ${field}`,
            path: `${rule.path}.${field}[${valueIndex}]`,
          });
        });
      }
    }
    return violations;
  },
};
