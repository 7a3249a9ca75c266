import { checkEachContainer, isWindowsPod, malformedViolation, notAListViolation, pssRule, readField, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Violation } from '../../types';

/** PSS restricted: every container drops ALL and adds at most NET_BIND_SERVICE (case-sensitive). */
export const pssCapabilitiesRestricted = pssRule({
  id: RuleIds.PSS_CAPABILITIES_RESTRICTED,
  title: 'Capabilities not dropped',
  description: 'Indicates when a container does not drop ALL capabilities (exact, case-sensitive) or adds any capability other than NET_BIND_SERVICE (Windows pods are exempt).',
  remediation: 'Set securityContext.capabilities.drop: [ALL] on every container and add back at most NET_BIND_SERVICE.',
  level: 'restricted',
  check: 'capabilities_restricted',
  cis: ['5.2.9', '5.2.10'],
  nsa: ['C-0046', 'C-0055'],
  evaluate: (pod) => isWindowsPod(pod) ? [] : checkEachContainer(pod, (container) => {
    const violations: Violation[] = [];
    const drop = readField(container.container, ['securityContext', 'capabilities', 'drop'], container.fullPath);
    if (drop.state === 'malformed') return [malformedViolation(container.label, drop)];
    if (drop.state === 'present' && !Array.isArray(drop.value)) {
      violations.push(notAListViolation(container.label, 'capabilities.drop', drop.path));
    } else if (!(drop.state === 'present' && (drop.value as unknown[]).includes('ALL'))) {
      violations.push({ message: `${container.label} does not drop ALL capabilities`, path: drop.path });
    }
    const add = readField(container.container, ['securityContext', 'capabilities', 'add'], container.fullPath);
    if (add.state === 'present') {
      if (!Array.isArray(add.value)) {
        violations.push(notAListViolation(container.label, 'capabilities.add', add.path));
      } else {
        add.value.forEach((capability, index) => {
          if (capability === 'NET_BIND_SERVICE') return;
          violations.push({ message: `${container.label} adds capability ${show(capability)}; only NET_BIND_SERVICE is allowed`, path: `${add.path}[${index}]` });
        });
      }
    }
    return violations;
  }),
});
