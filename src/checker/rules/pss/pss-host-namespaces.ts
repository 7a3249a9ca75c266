import { checkOptionalField, pssRule, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';

export const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/** PSS baseline: sharing the host's network, PID or IPC namespace is forbidden. */
export const pssHostNamespaces = pssRule({
  id: RuleIds.PSS_HOST_NAMESPACES,
  title: 'Host namespaces',
  description: 'Indicates when a pod shares the host network, PID or IPC namespace (hostNetwork, hostPID or hostIPC set to true).',
  remediation: 'Remove hostNetwork, hostPID and hostIPC from the pod spec or set them to false.',
  level: 'baseline',
  check: 'hostNamespaces',
  cis: ['5.2.3', '5.2.4', '5.2.5'],
  nsa: ['C-0038', 'C-0041'],
  evaluate: (pod) => HOST_NAMESPACE_FIELDS.flatMap((field) => checkOptionalField(
    pod.spec, [field], pod.specPath, 'pod', (value) => value === false,
    (value) => value === true ? `pod sets ${field}: true` : `pod sets ${field} to ${show(value)}, which is not false`,
  )),
});
