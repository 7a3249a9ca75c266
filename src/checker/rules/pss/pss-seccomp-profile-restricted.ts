import { checkEachContainer, isWindowsPod, malformedViolation, pssRule, readField, show } from './pss-helpers';
import { ALLOWED_SECCOMP_TYPES } from './pss-seccomp-profile-baseline';
import { RuleIds } from '../../../rule-ids';
import type { Violation } from '../../types';

function allowedType(value: unknown): boolean {
  return typeof value === 'string' && ALLOWED_SECCOMP_TYPES.includes(value);
}

/** PSS restricted: seccomp must be RuntimeDefault or Localhost, on the pod or on every container. */
export const pssSeccompProfileRestricted = pssRule({
  id: RuleIds.PSS_SECCOMP_PROFILE_RESTRICTED,
  title: 'Seccomp profile not set',
  description: 'Indicates when seccompProfile.type is neither RuntimeDefault nor Localhost on the pod and a container does not set one of them, or when any level sets another type (Windows pods are exempt).',
  remediation: 'Set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost) and remove any other seccompProfile type from the containers.',
  level: 'restricted',
  check: 'seccompProfile_restricted',
  cis: ['5.7.2'],
  nsa: ['C-0055'],
  evaluate: (pod) => {
    if (isWindowsPod(pod)) return [];
    const violations: Violation[] = [];
    const podRead = readField(pod.spec, ['securityContext', 'seccompProfile'], pod.specPath);
    let podSeccompSet = false;
    if (podRead.state === 'malformed') {
      violations.push(malformedViolation('pod', podRead));
    } else if (podRead.state === 'present') {
      const type = readField(pod.spec, ['securityContext', 'seccompProfile', 'type'], pod.specPath);
      if (type.state === 'malformed') violations.push(malformedViolation('pod', type));
      else if (type.state === 'present' && allowedType(type.value)) podSeccompSet = true;
      // an explicit bad pod-level type fails even when every container sets an allowed one
      else violations.push({ message: type.state === 'present' ? `pod sets seccompProfile.type: ${show(type.value)}` : 'pod sets seccompProfile without a type', path: type.path });
    }
    violations.push(...checkEachContainer(pod, (container) => {
      const profile = readField(container.container, ['securityContext', 'seccompProfile'], container.fullPath);
      if (profile.state === 'malformed') return [malformedViolation(container.label, profile)];
      const typePath = `${container.fullPath}.securityContext.seccompProfile.type`;
      if (profile.state === 'absent') {
        return podSeccompSet ? [] : [{
          message: `${container.label} does not set seccompProfile.type to RuntimeDefault or Localhost and the pod does not either`,
          path: typePath,
        }];
      }
      const type = readField(container.container, ['securityContext', 'seccompProfile', 'type'], container.fullPath);
      if (type.state === 'malformed') return [malformedViolation(container.label, type)];
      if (type.state === 'present' && allowedType(type.value)) return [];
      return [{ message: type.state === 'present' ? `${container.label} sets seccompProfile.type: ${show(type.value)}` : `${container.label} sets seccompProfile without a type`, path: typePath }];
    }));
    return violations;
  },
});
