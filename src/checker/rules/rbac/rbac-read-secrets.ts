import { grantedVerbs, policyRulesOf, ROLE_KINDS } from './rbac-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

export const SECRET_READ_VERBS = ['get', 'list', 'watch'];

/** flags a Role or ClusterRole that can read Secrets. */
export const rbacReadSecretsRule: Rule = {
  id: RuleIds.RBAC_READ_SECRETS,
  title: 'RBAC can read Secrets',
  description: 'Indicates when a Role or ClusterRole grants get, list or watch on secrets; list and watch return the values of every Secret in scope, not only their names.',
  severity: 'error',
  remediation: 'Remove get, list and watch on secrets, or grant get only, restricted with resourceNames to the Secrets the workload needs.',
  references: {
    cis: ['5.1.2'],
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    const violations: Violation[] = [];
    for (const rule of policyRulesOf(object)) {
      const verbs = grantedVerbs(rule, SECRET_READ_VERBS, '', 'secrets');
      if (verbs.length === 0) continue;
      const bulk = verbs.filter((verb) => verb !== 'get');
      violations.push({
        message: `rule ${rule.index} grants ${verbs.join(', ')} on secrets`
          + (bulk.length > 0 ? `; ${bulk.join(' and ')} return${bulk.length === 1 ? 's' : ''} every Secret's value in scope` : ''),
        path: rule.path,
      });
    }
    return violations;
  },
};
