import { describeSelectedPods, effectiveIngressRules, selectsAllPods } from './network-policy-helpers';
import { RuleIds } from '../../../model/rule-ids';
import { asArray } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { isDefaultDeny } from '../namespace/default-deny-helpers';
import { nameOf, namespaceOf } from '../rule-helpers';

/**
 * Flags a NetworkPolicy ingress rule with no `from`, which admits every source: every pod of
 * every namespace and every address outside the cluster. Policies are additive, so such a rule
 * cancels the namespace's default deny for the pods the policy selects; the message names the
 * default-deny policies it cancels (a cross-object finding on the policy to change).
 */
export const netpolAllowAllIngressRule: Rule = {
  id: RuleIds.NETPOL_ALLOW_ALL_INGRESS,
  title: 'NetworkPolicy allows all ingress',
  description: 'Indicates when a NetworkPolicy ingress rule has no from (ingress: [{}] or only ports), which admits every pod of every namespace and every external address to the pods it selects, cancelling the namespace default deny for them because policies only add up.',
  severity: 'error',
  remediation: 'List the sources in from: a podSelector for pods of the same namespace, a namespaceSelector by kubernetes.io/metadata.name plus a podSelector for another namespace, or an ipBlock for external clients.',
  references: {
    cis: ['5.3.2'],
    nsa: ['C-0030', 'C-0054'],
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic'],
  },
  kinds: ['NetworkPolicy'],
  check(object, context) {
    const violations: Violation[] = [];
    const open = effectiveIngressRules(object).filter((ingress) => asArray(ingress.rule.from).length === 0);
    if (open.length === 0) return violations;
    // the other policies are read only for the message, once a rule is open.
    const cancelled = context.objectsOf('NetworkPolicy', namespaceOf(object))
      .filter((policy) => policy !== object && isDefaultDeny(policy, 'Ingress'))
      .map((policy) => JSON.stringify(nameOf(policy)));
    for (const ingress of open) {
      const whole = selectsAllPods(object) && ingress.ports === undefined;
      const effect = cancelled.length > 0
        ? `; it cancels the default deny of NetworkPolicy ${cancelled.join(', ')}${whole ? '' : ' for them'}`
        : '';
      violations.push({
        message: `ingress rule ${ingress.index} has no from, so every source in and outside the cluster reaches ${describeSelectedPods(object)} on ${ingress.describedPorts}${effect}`,
        path: ingress.path,
      });
    }
    return violations;
  },
};
