import { dangerousGrantViolations } from './dangerous-grant-helpers';
import { ROLE_KINDS } from './rbac-helpers';
import { DANGEROUS_GRANTS } from '../../../model/rbac-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule } from '../../types';

/** flags a ClusterRole that can write admission webhooks or ValidatingAdmissionPolicies. */
export const rbacAdmissionConfigWriteRule: Rule = {
  id: RuleIds.RBAC_ADMISSION_CONFIG_WRITE,
  title: 'RBAC can change admission control',
  description: 'Indicates when a ClusterRole grants create, update, patch or delete on validating or mutating webhook configurations, ValidatingAdmissionPolicies or their bindings, which switches off (or rewrites) the guardrails that check every other object, and lets a mutating webhook inject into every pod.',
  severity: 'error',
  remediation: 'Grant write access to admissionregistration.k8s.io only to the cluster operators and the one controller that owns each configuration, limited with resourceNames.',
  references: {
    cis: ['5.1.12'],
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    return dangerousGrantViolations(object, DANGEROUS_GRANTS.admissionConfig, 'it can disable or rewrite admission control');
  },
};
