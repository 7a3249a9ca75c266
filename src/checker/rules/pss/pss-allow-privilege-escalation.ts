import { checkEachContainer, isWindowsPod, malformedViolation, pssRule, readField, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';

/** PSS restricted: every container must set allowPrivilegeEscalation: false. */
export const pssAllowPrivilegeEscalation = pssRule({
  id: RuleIds.PSS_ALLOW_PRIVILEGE_ESCALATION,
  title: 'Privilege escalation allowed',
  description: 'Indicates when a container, init container or ephemeral container does not set securityContext.allowPrivilegeEscalation to false (Windows pods are exempt).',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  level: 'restricted',
  check: 'allowPrivilegeEscalation',
  cis: ['5.2.6'],
  nsa: ['C-0016'],
  evaluate: (pod) => isWindowsPod(pod) ? [] : checkEachContainer(pod, (container) => {
    const read = readField(container.container, ['securityContext', 'allowPrivilegeEscalation'], container.fullPath);
    if (read.state === 'malformed') return [malformedViolation(container.label, read)];
    if (read.state === 'absent') {
      return [{ message: `${container.label} does not set allowPrivilegeEscalation: false`, path: read.path }];
    }
    return read.value === false ? [] : [{ message: `${container.label} sets allowPrivilegeEscalation: ${show(read.value)}`, path: read.path }];
  }),
});
