import { RuleIds } from '../../../model/rule-ids';
import { POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { describeContainer, workloadContainers } from '../rule-helpers';
import { hasQuantity, resourceList } from './resource-helpers';

/** flags a container or init container without a memory limit (ephemeral containers cannot set resources). */
export const containerMemoryLimitRule: Rule = {
  id: RuleIds.CONTAINER_MEMORY_LIMIT,
  title: 'No memory limit',
  description: 'Indicates when a container or init container sets no resources.limits.memory, so one leaking or compromised pod can exhaust its node\'s memory.',
  severity: 'warning',
  remediation: 'Set resources.limits.memory on the container, for example 256Mi.',
  references: {
    nsa: ['C-0271'],
    links: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
  },
  kinds: POD_SPEC_KINDS,
  check(object) {
    const violations: Violation[] = [];
    for (const location of workloadContainers(object, ['containers', 'initContainers'])) {
      if (hasQuantity(resourceList(location.container, 'limits').memory)) continue;
      violations.push({ message: `${describeContainer(location)} has no memory limit`, path: `${location.fullPath}.resources.limits.memory` });
    }
    return violations;
  },
};
