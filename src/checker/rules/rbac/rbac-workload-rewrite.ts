import { dangerousGrantViolations } from './dangerous-grant-helpers';
import { ROLE_KINDS } from './rbac-helpers';
import { DANGEROUS_GRANTS } from '../../../model/rbac-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule } from '../../types';

/** flags a Role or ClusterRole that can rewrite existing pods or workload controllers. */
export const rbacWorkloadRewriteRule: Rule = {
  id: RuleIds.RBAC_WORKLOAD_REWRITE,
  title: 'RBAC can rewrite workloads',
  description: 'Indicates when a Role or ClusterRole grants update or patch on pods or on a workload controller (deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs, replicationcontrollers, podtemplates), which changes another workload\'s image, command, ServiceAccount or mounted Secrets and so runs code with its identity.',
  severity: 'error',
  remediation: 'Grant update and patch on workloads only to the deploy pipeline or operator that owns them, limited with resourceNames; scaling needs only the scale subresource.',
  references: {
    cis: ['5.1.4'],
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    return dangerousGrantViolations(object, DANGEROUS_GRANTS.workloadRewrite, 'it changes what existing workloads run and as whom');
  },
};
