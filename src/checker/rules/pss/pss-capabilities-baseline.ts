import { checkEachContainer, malformedViolation, notAListViolation, pssRule, readField, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Violation } from '../../types';

/** capabilities a baseline container may add (exact, case-sensitive names). */
export const BASELINE_ALLOWED_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/** PSS baseline: added capabilities must come from the container runtime's default set. */
export const pssCapabilitiesBaseline = pssRule({
  id: RuleIds.PSS_CAPABILITIES_BASELINE,
  title: 'Capabilities beyond the default set',
  description: 'Indicates when a container adds a Linux capability outside the baseline set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT).',
  remediation: 'Remove every capability outside the baseline set from securityContext.capabilities.add.',
  level: 'baseline',
  check: 'capabilities_baseline',
  cis: ['5.2.9'],
  nsa: ['C-0046'],
  evaluate: (pod) => checkEachContainer(pod, (container) => {
    const read = readField(container.container, ['securityContext', 'capabilities', 'add'], container.fullPath);
    if (read.state === 'absent') return [];
    if (read.state === 'malformed') return [malformedViolation(container.label, read)];
    if (!Array.isArray(read.value)) return [notAListViolation(container.label, 'capabilities.add', read.path)];
    const violations: Violation[] = [];
    read.value.forEach((capability, index) => {
      if (typeof capability === 'string' && BASELINE_ALLOWED_CAPABILITIES.includes(capability)) return;
      violations.push({ message: `${container.label} adds capability ${show(capability)}, which is not in the baseline set`, path: `${read.path}[${index}]` });
    });
    return violations;
  }),
});
