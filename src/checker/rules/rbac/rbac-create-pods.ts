import { grants, policyRulesOf, ROLE_KINDS } from './rbac-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

/** pods and the controllers that create pods from a template, as [apiGroup, resource]. */
export const POD_CREATING_RESOURCES: readonly (readonly [string, string])[] = [
  ['', 'pods'],
  ['', 'replicationcontrollers'],
  ['apps', 'deployments'],
  ['apps', 'replicasets'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
];

/**
 * Flags a Role or ClusterRole that can create pods, directly or through a workload controller.
 *
 * Controllers count because whoever creates a Deployment chooses its pods' ServiceAccount,
 * volumes and secrets just as with a bare Pod. Severity is warning: deploy pipelines and
 * operators legitimately need it.
 */
export const rbacCreatePodsRule: Rule = {
  id: RuleIds.RBAC_CREATE_PODS,
  title: 'RBAC can create pods',
  description: 'Indicates when a Role or ClusterRole grants create on pods or on a controller that creates pods (deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs, replicationcontrollers), which lets the holder run code as any ServiceAccount and mount any Secret of the namespace.',
  severity: 'warning',
  remediation: 'Grant create on pods and workload controllers only to the deploy pipeline or operator that needs it, scoped to its own namespace.',
  references: {
    cis: ['5.1.4'],
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    const violations: Violation[] = [];
    for (const rule of policyRulesOf(object)) {
      const granted = POD_CREATING_RESOURCES
        .filter(([group, resource]) => grants(rule, 'create', group, resource))
        .map(([group, resource]) => (group ? `${resource}.${group}` : resource));
      if (granted.length === 0) continue;
      violations.push({ message: `rule ${rule.index} grants create on ${granted.join(', ')}`, path: rule.path });
    }
    return violations;
  },
};
