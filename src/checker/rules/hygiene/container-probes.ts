import { RuleIds } from '../../../model/rule-ids';
import { asRecord, podSpecUnderCheck, POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { describeContainer, workloadContainers } from '../rule-helpers';

export const PROBES = ['readinessProbe', 'livenessProbe'] as const;
// run-to-completion pods serve no traffic and are not restarted when healthy, so probes add nothing.
export const RUN_TO_COMPLETION_KINDS = ['Job', 'CronJob'];
export const RUN_TO_COMPLETION_RESTART_POLICIES = ['Never', 'OnFailure'];

/**
 * Flags a regular container without a readiness or liveness probe. Jobs, CronJobs and pods whose
 * restartPolicy is Never or OnFailure are skipped; init and ephemeral containers cannot carry both probes.
 */
export const containerProbesRule: Rule = {
  id: RuleIds.CONTAINER_PROBES,
  title: 'No readiness or liveness probe',
  description: 'Indicates when a long-running container has no readinessProbe or no livenessProbe, so traffic reaches it before it is ready and a hung process is never restarted; Jobs, CronJobs and pods with restartPolicy Never or OnFailure are skipped.',
  // info: a missing probe costs availability, not isolation, so it never fails a gate set to
  // `warning`, which is where the security warnings (unpinned images, NodePorts) live.
  severity: 'info',
  remediation: 'Add a readinessProbe and a livenessProbe to the container, checking different conditions.',
  references: {
    links: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/'],
  },
  kinds: POD_SPEC_KINDS,
  check(object) {
    if (RUN_TO_COMPLETION_KINDS.includes(String(object.kind))) return [];
    const restartPolicy = podSpecUnderCheck(object)?.spec.restartPolicy;
    if (typeof restartPolicy === 'string' && RUN_TO_COMPLETION_RESTART_POLICIES.includes(restartPolicy)) return [];
    const violations: Violation[] = [];
    for (const location of workloadContainers(object, ['containers'])) {
      for (const probe of PROBES) {
        if (asRecord(location.container[probe])) continue;
        violations.push({ message: `${describeContainer(location)} has no ${probe}`, path: `${location.fullPath}.${probe}` });
      }
    }
    return violations;
  },
};
