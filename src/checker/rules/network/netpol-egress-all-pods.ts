import { effectiveEgressRules, peerSelectsAllPodsEverywhere } from './network-policy-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

/** flags a NetworkPolicy egress peer that selects every pod of every namespace. */
export const netpolEgressAllPodsRule: Rule = {
  id: RuleIds.NETPOL_EGRESS_ALL_PODS,
  title: 'NetworkPolicy egress to every pod',
  description: 'Indicates when a NetworkPolicy egress rule reaches every pod of every namespace (a peer with namespaceSelector: {} and no narrowing podSelector), so a compromised pod can probe every service of the cluster.',
  severity: 'error',
  remediation: 'Name the destination namespaces (kubernetes.io/metadata.name) and pods (podSelector labels) and the ports they serve.',
  references: {
    cis: ['5.3.2'],
    nsa: ['C-0030', 'C-0054'],
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors'],
  },
  kinds: ['NetworkPolicy'],
  check(object) {
    const violations: Violation[] = [];
    for (const egress of effectiveEgressRules(object)) {
      for (const peer of egress.peers) {
        if (!peerSelectsAllPodsEverywhere(peer.peer)) continue;
        violations.push({
          message: `egress rule ${egress.index} reaches every pod of every namespace on ${egress.describedPorts}`,
          path: peer.path,
        });
      }
    }
    return violations;
  },
};
