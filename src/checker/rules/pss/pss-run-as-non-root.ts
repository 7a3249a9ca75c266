import { checkEachContainer, malformedViolation, pssRule, readField, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Violation } from '../../types';

/** PSS restricted: the pod or every container must set runAsNonRoot: true, and nothing may set false. */
export const pssRunAsNonRoot = pssRule({
  id: RuleIds.PSS_RUN_AS_NON_ROOT,
  title: 'Root allowed',
  description: 'Indicates when runAsNonRoot is set to anything but true on the pod or a container, or when a container leaves it unset without a pod-level runAsNonRoot: true.',
  remediation: 'Set securityContext.runAsNonRoot: true on the pod (or on every container) and remove any runAsNonRoot: false.',
  level: 'restricted',
  check: 'runAsNonRoot',
  cis: ['5.2.7'],
  nsa: ['C-0013'],
  evaluate: (pod) => {
    const violations: Violation[] = [];
    const podRead = readField(pod.spec, ['securityContext', 'runAsNonRoot'], pod.specPath);
    let podRunsAsNonRoot = false;
    if (podRead.state === 'malformed') {
      violations.push(malformedViolation('pod', podRead));
    } else if (podRead.state === 'present') {
      if (podRead.value === true) podRunsAsNonRoot = true;
      // an explicit bad pod-level value fails even when every container sets true
      else violations.push({ message: `pod sets runAsNonRoot: ${show(podRead.value)}`, path: podRead.path });
    }
    violations.push(...checkEachContainer(pod, (container) => {
      const read = readField(container.container, ['securityContext', 'runAsNonRoot'], container.fullPath);
      if (read.state === 'malformed') return [malformedViolation(container.label, read)];
      if (read.state === 'present') {
        return read.value === true ? [] : [{ message: `${container.label} sets runAsNonRoot: ${show(read.value)}`, path: read.path }];
      }
      return podRunsAsNonRoot ? [] : [{
        message: `${container.label} does not set runAsNonRoot: true and the pod does not either`,
        path: read.path,
      }];
    }));
    return violations;
  },
});
