import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord, podSpecUnderCheck, POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { describeContainer, workloadContainers } from '../rule-helpers';

/**
 * flags group id 0 (root) anywhere a pod sets group ids: `runAsGroup` of the pod or a container,
 * the pod's `fsGroup`, or an entry of `supplementalGroups`. PSS does not check groups, but the
 * root group owns most system files, so a non-root user in group 0 can still write them.
 */
export const containerRootGroupRule: Rule = {
  id: RuleIds.CONTAINER_ROOT_GROUP,
  title: 'Root group id',
  description: 'Indicates when a pod or container runs with group id 0: runAsGroup 0 (pod or container level, init and ephemeral containers included), fsGroup 0, or 0 in supplementalGroups. Pod Security Standards do not check group ids, yet the root group owns most system files and sockets.',
  severity: 'warning',
  remediation: 'Set runAsGroup and fsGroup to a non-zero id (e.g. 10001) and remove 0 from supplementalGroups.',
  references: {
    links: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
  },
  kinds: POD_SPEC_KINDS,
  check(object) {
    const pod = podSpecUnderCheck(object);
    if (!pod) return [];
    const violations: Violation[] = [];
    const podContext = asRecord(pod.spec.securityContext);
    for (const field of ['runAsGroup', 'fsGroup'] as const) {
      if (podContext?.[field] === 0) {
        violations.push({ message: `the pod sets ${field} 0 (root group)`, path: `${pod.path}.securityContext.${field}` });
      }
    }
    asArray(podContext?.supplementalGroups).forEach((group, index) => {
      if (group === 0) {
        violations.push({ message: 'the pod lists group 0 (root group) in supplementalGroups', path: `${pod.path}.securityContext.supplementalGroups[${index}]` });
      }
    });
    for (const location of workloadContainers(object)) {
      if (asRecord(location.container.securityContext)?.runAsGroup === 0) {
        violations.push({
          message: `${describeContainer(location)} sets runAsGroup 0 (root group)`,
          path: `${location.fullPath}.securityContext.runAsGroup`,
        });
      }
    }
    return violations;
  },
};
