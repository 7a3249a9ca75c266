import { checkEachContainer, malformedViolation, pssRule, readField, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Violation } from '../../types';

/** seccomp profile types the restricted level requires and the baseline level accepts. */
export const ALLOWED_SECCOMP_TYPES: readonly string[] = ['RuntimeDefault', 'Localhost'];

/** PSS baseline: seccomp must not be explicitly disabled. */
export const pssSeccompProfileBaseline = pssRule({
  id: RuleIds.PSS_SECCOMP_PROFILE_BASELINE,
  title: 'Seccomp disabled',
  description: 'Indicates when a pod or container sets seccompProfile.type to a value other than RuntimeDefault or Localhost, such as Unconfined.',
  remediation: 'Set seccompProfile.type to RuntimeDefault (or Localhost) on the pod and containers, or remove it.',
  level: 'baseline',
  check: 'seccompProfile_baseline',
  cis: ['5.7.2'],
  nsa: ['C-0055'],
  evaluate: (pod) => [
    ...explicitSeccompViolations('pod', pod.spec, pod.specPath),
    ...checkEachContainer(pod, (container) => explicitSeccompViolations(container.label, container.container, container.fullPath)),
  ],
});

/**
 * the findings of one explicitly set seccompProfile: PSA rejects any set profile whose type is not
 * RuntimeDefault or Localhost, including a profile without a type.
 */
export function explicitSeccompViolations(owner: string, holder: Record<string, unknown>, basePath: string): Violation[] {
  const profile = readField(holder, ['securityContext', 'seccompProfile'], basePath);
  if (profile.state === 'absent') return [];
  if (profile.state === 'malformed') return [malformedViolation(owner, profile)];
  const type = readField(holder, ['securityContext', 'seccompProfile', 'type'], basePath);
  if (type.state === 'malformed') return [malformedViolation(owner, type)];
  if (type.state === 'present' && typeof type.value === 'string' && ALLOWED_SECCOMP_TYPES.includes(type.value)) return [];
  return [{
    message: type.state === 'present' ? `${owner} sets seccompProfile.type: ${show(type.value)}` : `${owner} sets seccompProfile without a type`,
    path: type.path,
  }];
}
