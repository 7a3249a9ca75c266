import { checkEachContainer, checkOptionalField, pssRule, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';

/** PSS baseline: privileged containers are forbidden. */
export const pssPrivileged = pssRule({
  id: RuleIds.PSS_PRIVILEGED,
  title: 'Privileged container',
  description: 'Indicates when a container, init container or ephemeral container runs privileged (securityContext.privileged set to true).',
  remediation: 'Remove securityContext.privileged from every container or set it to false.',
  level: 'baseline',
  check: 'privileged',
  cis: ['5.2.2'],
  nsa: ['C-0057'],
  evaluate: (pod) => checkEachContainer(pod, (container) => checkOptionalField(
    container.container, ['securityContext', 'privileged'], container.fullPath, container.label, (value) => value === false,
    (value) => value === true ? `${container.label} sets privileged: true` : `${container.label} sets privileged to ${show(value)}, which is not false`,
  )),
});
