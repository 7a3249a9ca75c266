import { checkEachContainer, checkOptionalField, pssRule, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Violation } from '../../types';

function runAsUserViolations(owner: string, holder: Record<string, unknown>, basePath: string): Violation[] {
  return checkOptionalField(
    holder, ['securityContext', 'runAsUser'], basePath, owner,
    (value) => typeof value === 'number' && Number.isInteger(value) && value !== 0,
    (value) => value === 0 ? `${owner} sets runAsUser: 0 (root)` : `${owner} sets runAsUser to ${show(value)}, which is not a non-zero user id`,
  );
}

/** PSS restricted: neither the pod nor a container may run as UID 0. */
export const pssRunAsUser = pssRule({
  id: RuleIds.PSS_RUN_AS_USER,
  title: 'Runs as UID 0',
  description: 'Indicates when the pod or a container sets securityContext.runAsUser to 0 (root).',
  remediation: 'Set securityContext.runAsUser to a non-zero user id, or remove it and rely on a non-root image user with runAsNonRoot: true.',
  level: 'restricted',
  check: 'runAsUser',
  cis: ['5.2.7'],
  nsa: ['C-0013'],
  evaluate: (pod) => [
    ...runAsUserViolations('pod', pod.spec, pod.specPath),
    ...checkEachContainer(pod, (container) => runAsUserViolations(container.label, container.container, container.fullPath)),
  ],
});
