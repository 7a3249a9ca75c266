import { allowsEveryDestination, effectiveEgressRules } from './network-policy-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

/** flags a NetworkPolicy egress rule without a destination, which allows every address. */
export const netpolEgressNoDestinationRule: Rule = {
  id: RuleIds.NETPOL_EGRESS_NO_DESTINATION,
  title: 'Egress rule without destination',
  description: 'Indicates when a NetworkPolicy egress rule has no to field or an empty one, so the selected pods may connect to every address in and outside the cluster on the rule\'s ports.',
  severity: 'error',
  remediation: 'List the destinations of the egress rule in to: pods by namespaceSelector and podSelector in one peer, or ipBlocks that except the cloud metadata addresses.',
  references: {
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors'],
  },
  kinds: ['NetworkPolicy'],
  check(object) {
    const violations: Violation[] = [];
    for (const egress of effectiveEgressRules(object)) {
      if (!allowsEveryDestination(egress.rule)) continue;
      violations.push({
        message: `egress rule ${egress.index} has no destination, so it allows every address on ${egress.describedPorts}`,
        path: egress.path,
      });
    }
    return violations;
  },
};
