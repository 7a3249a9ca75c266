import { dangerousGrantViolations } from './dangerous-grant-helpers';
import { ROLE_KINDS } from './rbac-helpers';
import { DANGEROUS_GRANTS } from '../../../model/rbac-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule } from '../../types';

/** flags a Role or ClusterRole that can write services/status (the LoadBalancer half of CVE-2020-8554). */
export const rbacServiceStatusRule: Rule = {
  id: RuleIds.RBAC_SERVICE_STATUS,
  title: 'RBAC can write Service status',
  description: 'Indicates when a Role or ClusterRole grants update or patch on services/status, which sets status.loadBalancer.ingress to any IP; kube-proxy then routes the cluster\'s traffic for that IP to the holder\'s pods (CVE-2020-8554).',
  severity: 'error',
  remediation: 'Grant services/status only to the load-balancer controller; no workload needs it.',
  references: {
    cves: ['CVE-2020-8554'],
    links: ['https://github.com/kubernetes/kubernetes/issues/97076', 'https://nvd.nist.gov/vuln/detail/CVE-2020-8554'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    return dangerousGrantViolations(object, DANGEROUS_GRANTS.serviceStatus, 'it redirects cluster traffic for any IP (CVE-2020-8554)');
  },
};
