import { checkDefaultDeny } from './default-deny-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule } from '../../types';

/** flags a Namespace without a NetworkPolicy that denies all egress by default. */
export const namespaceDefaultDenyEgressRule: Rule = {
  id: RuleIds.NAMESPACE_DEFAULT_DENY_EGRESS,
  title: 'Namespace without default-deny egress',
  description: 'Indicates when no NetworkPolicy in a Namespace selects every pod, lists Egress in policyTypes and allows no egress, so pods can reach any address, cloud metadata endpoints included.',
  severity: 'error',
  remediation: 'Add a NetworkPolicy to the Namespace with podSelector: {}, policyTypes: [Egress] and no egress rules, then allow DNS and each needed destination explicitly.',
  references: {
    cis: ['5.3.2'],
    nsa: ['C-0030', 'C-0054'],
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic'],
  },
  kinds: ['Namespace'],
  check(object, context) {
    return checkDefaultDeny(object, context, 'Egress');
  },
};
