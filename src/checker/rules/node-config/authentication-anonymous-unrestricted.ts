import { nodeConfigOf } from './node-config-helpers';
import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule } from '../../types';

const HEALTH_PATHS = ['/livez', '/readyz', '/healthz'];

/**
 * Flags an AuthenticationConfiguration that lets anonymous requests reach more than the health
 * endpoints: anonymous enabled without conditions, or with a condition on another path.
 */
export const authenticationAnonymousUnrestrictedRule: Rule = {
  id: RuleIds.AUTHENTICATION_ANONYMOUS_UNRESTRICTED,
  title: 'Anonymous API access beyond health checks',
  description: 'Indicates when an AuthenticationConfiguration enables anonymous requests without path conditions, or for paths other than /livez, /readyz and /healthz.',
  severity: 'error',
  remediation: 'Set anonymous.conditions to the paths /livez, /readyz and /healthz only, or set anonymous.enabled: false.',
  references: {
    cis: ['1.2.1'],
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-authenticator-configuration'],
  },
  kinds: ['AuthenticationConfiguration'],
  check(object) {
    if (!nodeConfigOf(object, 'AuthenticationConfiguration')) return [];
    const anonymous = asRecord(object.anonymous);
    if (anonymous === undefined || anonymous.enabled !== true) return [];
    const conditions = asArray(anonymous.conditions).map((condition) => String(asRecord(condition)?.path ?? ''));
    if (conditions.length === 0) return [{ message: 'anonymous requests may reach every endpoint (anonymous.enabled without conditions)', path: 'anonymous.conditions' }];
    const other = conditions.filter((path) => !HEALTH_PATHS.includes(path));
    return other.length > 0 ? [{ message: `anonymous requests may reach ${other.join(', ')}, beyond the health endpoints`, path: 'anonymous.conditions' }] : [];
  },
};
