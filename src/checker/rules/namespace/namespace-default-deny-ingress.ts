import { checkDefaultDeny } from './default-deny-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule } from '../../types';

/** flags a Namespace without a NetworkPolicy that denies all ingress by default. */
export const namespaceDefaultDenyIngressRule: Rule = {
  id: RuleIds.NAMESPACE_DEFAULT_DENY_INGRESS,
  title: 'Namespace without default-deny ingress',
  description: 'Indicates when no NetworkPolicy in a Namespace selects every pod, lists Ingress in policyTypes and allows no ingress, so pods accept traffic that no policy meant to allow.',
  severity: 'error',
  remediation: 'Add a NetworkPolicy to the Namespace with podSelector: {}, policyTypes: [Ingress] and no ingress rules, then allow each needed flow explicitly.',
  references: {
    cis: ['5.3.2'],
    nsa: ['C-0030', 'C-0054'],
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic'],
  },
  kinds: ['Namespace'],
  check(object, context) {
    return checkDefaultDeny(object, context, 'Ingress');
  },
};
