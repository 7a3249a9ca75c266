import { checkEachContainer, checkOptionalField, pssRule, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Violation } from '../../types';

function hostProcessViolations(owner: string, holder: Record<string, unknown>, basePath: string): Violation[] {
  return checkOptionalField(
    holder, ['securityContext', 'windowsOptions', 'hostProcess'], basePath, owner, (value) => value === false,
    (value) => value === true ? `${owner} sets windowsOptions.hostProcess: true` : `${owner} sets windowsOptions.hostProcess to ${show(value)}, which is not false`,
  );
}

/** PSS baseline: Windows HostProcess pods and containers are forbidden. */
export const pssWindowsHostProcess = pssRule({
  id: RuleIds.PSS_WINDOWS_HOST_PROCESS,
  title: 'Windows HostProcess',
  description: 'Indicates when a pod or container runs as a Windows HostProcess (securityContext.windowsOptions.hostProcess set to true).',
  remediation: 'Remove securityContext.windowsOptions.hostProcess from the pod and every container or set it to false.',
  level: 'baseline',
  check: 'windowsHostProcess',
  cis: ['5.2.11'],
  evaluate: (pod) => [
    ...hostProcessViolations('pod', pod.spec, pod.specPath),
    ...checkEachContainer(pod, (container) => hostProcessViolations(container.label, container.container, container.fullPath)),
  ],
});
