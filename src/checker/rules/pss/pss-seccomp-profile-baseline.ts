import { checkEachContainer, checkOptionalField, pssRule, show } from './pss-helpers';
import { RuleIds } from '../../../rule-ids';

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
  evaluate: (pod) => {
    const typeCheck = (owner: string, holder: Record<string, unknown>, basePath: string) => checkOptionalField(
      holder, ['securityContext', 'seccompProfile', 'type'], basePath, owner,
      (value) => typeof value === 'string' && ALLOWED_SECCOMP_TYPES.includes(value),
      (value) => `${owner} sets seccompProfile.type: ${show(value)}`,
    );
    return [
      ...typeCheck('pod', pod.spec, pod.specPath),
      ...checkEachContainer(pod, (container) => typeCheck(container.label, container.container, container.fullPath)),
    ];
  },
});
