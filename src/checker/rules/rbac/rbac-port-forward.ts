import { dangerousGrantViolations } from './dangerous-grant-helpers';
import { ROLE_KINDS } from './rbac-helpers';
import { DANGEROUS_GRANTS } from '../../../model/rbac-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule } from '../../types';

/** flags a Role or ClusterRole that can port-forward to pods. */
export const rbacPortForwardRule: Rule = {
  id: RuleIds.RBAC_PORT_FORWARD,
  title: 'RBAC can port-forward to pods',
  description: 'Indicates when a Role or ClusterRole grants create or get on pods/portforward, which tunnels to any port of any pod in scope through the API server and kubelet, around every NetworkPolicy.',
  severity: 'error',
  remediation: 'Remove pods/portforward from the role; expose what must be reached through a Service and an explicit NetworkPolicy flow.',
  references: {
    nsa: ['C-0002'],
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    return dangerousGrantViolations(object, DANGEROUS_GRANTS.portForward, 'it tunnels to pod ports around NetworkPolicy');
  },
};
