import { grants, PolicyRule, policyRulesOf, ROLE_KINDS } from './rbac-helpers';
import { RuleIds } from '../../../model/rule-ids';
import { asArray } from '../../pod-spec';
import type { Rule, Violation } from '../../types';

export const ESCALATION_VERBS = ['escalate', 'bind', 'impersonate'];
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** the targets of each escalation verb, as [verb, apiGroup, resource]. */
export const ESCALATION_TARGETS: readonly (readonly [string, string, string])[] = [
  ['escalate', RBAC_GROUP, 'roles'], ['escalate', RBAC_GROUP, 'clusterroles'],
  ['bind', RBAC_GROUP, 'roles'], ['bind', RBAC_GROUP, 'clusterroles'],
  ['impersonate', '', 'users'], ['impersonate', '', 'groups'], ['impersonate', '', 'serviceaccounts'],
  ['impersonate', 'authentication.k8s.io', 'uids'], ['impersonate', 'authentication.k8s.io', 'userextras/scopes'],
];

// a `*` verb grants the escalation verbs only where the resources match their targets.
function wildcardEscalations(rule: PolicyRule): string[] {
  const verbs = ESCALATION_TARGETS.filter(([verb, group, resource]) => grants(rule, verb, group, resource)).map(([verb]) => verb);
  return [...new Set(verbs)];
}

/** flags a Role or ClusterRole that grants `escalate`, `bind` or `impersonate`. */
export const rbacEscalationVerbsRule: Rule = {
  id: RuleIds.RBAC_ESCALATION_VERBS,
  title: 'RBAC escalation verbs',
  description: 'Indicates when a Role or ClusterRole grants escalate, bind or impersonate (by name, or through * on roles, clusterroles, users, groups or serviceaccounts), which let the holder gain permissions it was not given.',
  severity: 'error',
  remediation: 'Remove escalate, bind and impersonate from the role; grant the needed permissions directly instead.',
  references: {
    cis: ['5.1.8'],
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    const violations: Violation[] = [];
    for (const rule of policyRulesOf(object)) {
      asArray(rule.raw.verbs).forEach((verb, verbIndex) => {
        if (typeof verb !== 'string') return;
        const path = `${rule.path}.verbs[${verbIndex}]`;
        if (ESCALATION_VERBS.includes(verb)) {
          violations.push({ message: `rule ${rule.index} grants ${JSON.stringify(verb)} on ${rule.resources.join(', ') || 'no resources'}`, path });
        } else if (verb === '*') {
          const granted = wildcardEscalations(rule);
          if (granted.length > 0) {
            violations.push({ message: `rule ${rule.index} grants "*" on ${rule.resources.join(', ')}, which includes ${granted.join(', ')}`, path });
          }
        }
      });
    }
    return violations;
  },
};
