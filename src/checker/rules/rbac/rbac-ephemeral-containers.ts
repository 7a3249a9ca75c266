import { dangerousGrantViolations } from './dangerous-grant-helpers';
import { ROLE_KINDS } from './rbac-helpers';
import { DANGEROUS_GRANTS } from '../../../model/rbac-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule } from '../../types';

/** flags a Role or ClusterRole that can add ephemeral containers to running pods. */
export const rbacEphemeralContainersRule: Rule = {
  id: RuleIds.RBAC_EPHEMERAL_CONTAINERS,
  title: 'RBAC can add ephemeral containers',
  description: 'Indicates when a Role or ClusterRole grants update or patch on pods/ephemeralcontainers, which starts a container of the holder\'s choosing inside a running pod, with its volumes, network and identity: exec by another name.',
  severity: 'error',
  remediation: 'Remove pods/ephemeralcontainers from the role; grant it only to a break-glass debugging role bound for a limited time.',
  references: {
    nsa: ['C-0002'],
    links: ['https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    return dangerousGrantViolations(object, DANGEROUS_GRANTS.ephemeralContainers, 'it runs a new container inside running pods');
  },
};
