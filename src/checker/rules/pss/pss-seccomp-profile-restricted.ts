import { checkEachContainer, isWindowsPod, pssRule, readField } from './pss-helpers';
import { explicitSeccompViolations } from './pss-seccomp-profile-baseline';
import { RuleIds } from '../../../model/rule-ids';

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
    // an explicit bad pod-level type fails even when every container sets an allowed one
    const podViolations = explicitSeccompViolations('pod', pod.spec, pod.specPath);
    const podSeccompSet = podViolations.length === 0 && readField(pod.spec, ['securityContext', 'seccompProfile'], pod.specPath).state === 'present';
    return [...podViolations, ...checkEachContainer(pod, (container) => {
      const profile = readField(container.container, ['securityContext', 'seccompProfile'], container.fullPath);
      if (profile.state !== 'absent') return explicitSeccompViolations(container.label, container.container, container.fullPath);
      return podSeccompSet ? [] : [{
        message: `${container.label} does not set seccompProfile.type to RuntimeDefault or Localhost and the pod does not either`,
        path: `${profile.path}.type`,
      }];
    })];
  },
});
