import { checkEachContainer, checkOptionalField, pssRule, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';

/** PSS baseline: the default /proc masks must stay in place. */
export const pssProcMount = pssRule({
  id: RuleIds.PSS_PROC_MOUNT,
  title: 'Unmasked /proc mount',
  description: 'Indicates when a container sets securityContext.procMount to anything other than Default, such as Unmasked.',
  remediation: 'Remove securityContext.procMount from every container or set it to Default.',
  level: 'baseline',
  check: 'procMount',
  evaluate: (pod) => checkEachContainer(pod, (container) => checkOptionalField(
    container.container, ['securityContext', 'procMount'], container.fullPath, container.label, (value) => value === 'Default',
    (value) => `${container.label} sets procMount: ${show(value)}`,
  )),
});
