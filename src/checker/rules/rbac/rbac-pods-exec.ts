import { grants, policyRulesOf, ROLE_KINDS } from './rbac-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

export const EXEC_SUBRESOURCES = ['pods/exec', 'pods/attach'];
// exec and attach are authorized as create (spdy) or get (websocket), depending on the client.
export const EXEC_VERBS = ['create', 'get'];

/** flags a Role or ClusterRole that can exec into or attach to pods. */
export const rbacPodsExecRule: Rule = {
  id: RuleIds.RBAC_PODS_EXEC,
  title: 'RBAC can exec into pods',
  description: 'Indicates when a Role or ClusterRole grants create or get on pods/exec or pods/attach, which lets the holder run commands in containers and read their mounted secrets and tokens.',
  severity: 'error',
  remediation: 'Remove pods/exec and pods/attach from the role; grant them only to a break-glass role bound for a limited time.',
  references: {
    nsa: ['C-0002'],
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    const violations: Violation[] = [];
    for (const rule of policyRulesOf(object)) {
      const granted = EXEC_SUBRESOURCES.filter((resource) => EXEC_VERBS.some((verb) => grants(rule, verb, '', resource)));
      if (granted.length === 0) continue;
      violations.push({ message: `rule ${rule.index} grants access to ${granted.join(' and ')}`, path: rule.path });
    }
    return violations;
  },
};
