import { nodeConfigOf } from './node-config-helpers';
import {
  AUDIT_REQUIRED_REQUESTS, AUDIT_SENSITIVE_REQUESTS, AuditLevel, auditLevelAtMost, auditLevelOf, AuditRequest,
} from '../../../model/audit-policy-evaluation';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

const describe = (request: AuditRequest) => `${request.verb} ${request.group ? `${request.group}/` : ''}${request.resource}`;

/**
 * Flags an audit Policy (`audit.k8s.io/v1`) that writes secret values to the log (Secrets,
 * ConfigMaps or TokenReviews above `Metadata`, issued tokens at `RequestResponse`) or that drops
 * requests a review needs (pods/exec, RBAC changes, Secret reads at `None`). Rules are evaluated
 * first-match, as the API server does.
 */
export const auditPolicyGapsRule: Rule = {
  id: RuleIds.AUDIT_POLICY_GAPS,
  title: 'Audit policy leaks secrets or misses key requests',
  description: 'Indicates when an audit Policy records Secret, ConfigMap, TokenReview or issued-token bodies, or records nothing for pod exec/attach/port-forward, RBAC changes or Secret reads.',
  severity: 'error',
  remediation: 'Put a Metadata rule for secrets, configmaps and tokenreviews before any Request or RequestResponse rule, log serviceaccounts/token at Request at most, and end with a Metadata catch-all.',
  references: {
    cis: ['3.2.2'],
    links: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'],
  },
  kinds: ['Policy'],
  check(object) {
    if (!nodeConfigOf(object, 'Policy')) return [];
    const violations: Violation[] = [];
    // one finding per resource and level, naming the verbs.
    const leaks = new Map<string, { level: AuditLevel; ceiling: AuditLevel; request: AuditRequest; verbs: string[] }>();
    for (const request of AUDIT_SENSITIVE_REQUESTS) {
      const ceiling: AuditLevel = request.resource === 'serviceaccounts/token' ? 'Request' : 'Metadata';
      const level = auditLevelOf(object, request);
      if (auditLevelAtMost(level, ceiling)) continue;
      const key = `${request.group}/${request.resource}/${level}`;
      const leak = leaks.get(key) ?? { level, ceiling, request, verbs: [] };
      if (!leak.verbs.includes(request.verb)) leak.verbs.push(request.verb);
      leaks.set(key, leak);
    }
    for (const { level, ceiling, request, verbs } of leaks.values()) {
      const what = request.resource === 'serviceaccounts/token' ? 'issued tokens' : 'secret values';
      violations.push({ message: `${describe({ ...request, verb: verbs.join('|') })} is logged at ${level}: the log would hold ${what} (at most ${ceiling})`, path: 'rules' });
    }
    for (const request of AUDIT_REQUIRED_REQUESTS) {
      const level = auditLevelOf(object, request);
      if (level === 'None') violations.push({ message: `${describe(request)} is not logged (level None)`, path: 'rules' });
    }
    return violations;
  },
};
