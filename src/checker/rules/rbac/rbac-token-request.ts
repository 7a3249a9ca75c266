import { dangerousGrantViolations } from './dangerous-grant-helpers';
import { ROLE_KINDS } from './rbac-helpers';
import { DANGEROUS_GRANTS } from '../../../model/rbac-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule } from '../../types';

/** flags a Role or ClusterRole that can mint ServiceAccount tokens. */
export const rbacTokenRequestRule: Rule = {
  id: RuleIds.RBAC_TOKEN_REQUEST,
  title: 'RBAC can mint ServiceAccount tokens',
  description: 'Indicates when a Role or ClusterRole grants create on serviceaccounts/token (TokenRequest), which issues a token for any ServiceAccount in scope and so acts with all of its permissions.',
  severity: 'error',
  remediation: 'Remove create on serviceaccounts/token; a workload that needs a token for itself gets a projected token volume, not the right to mint tokens.',
  references: {
    cis: ['5.1.13'],
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    return dangerousGrantViolations(object, DANGEROUS_GRANTS.tokenRequest, 'it issues tokens for any ServiceAccount in scope');
  },
};
