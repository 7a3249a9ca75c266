import { describeSelectedPods, effectiveIngressRules, peerSelectsAllPodsEverywhere, peerSelectsEveryNamespace, NetworkPolicyRule } from './network-policy-helpers';
import { rangeHostBits } from '../../../model/cidr-math';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

/**
 * How much of an address family a policy's ingress ipBlocks may add up to before they count as
 * "anywhere": half of IPv4 (so `0.0.0.0/1` + `128.0.0.0/1`, even in two rules, is caught), and
 * all of IPv6 global unicast (`2000::/3`). Excepts are ignored: `0.0.0.0/0` minus a few ranges is
 * still the internet.
 */
const ANYWHERE_HOST_BITS = { ipv4: 31, ipv6: 125 } as const;

/**
 * Flags a NetworkPolicy ingress rule that admits every namespace (a namespaceSelector that
 * selects every namespace, or all but a few, whatever the podSelector: labels in other
 * namespaces are chosen by their owners) or the whole internet (ipBlocks of the policy adding up
 * to 0.0.0.0/0 or ::/0).
 */
export const netpolIngressFromAnywhereRule: Rule = {
  id: RuleIds.NETPOL_INGRESS_FROM_ANYWHERE,
  title: 'NetworkPolicy ingress from anywhere',
  description: 'Indicates when a NetworkPolicy ingress rule admits pods of every namespace (namespaceSelector: {}, or one that only excludes) or every address (ipBlock 0.0.0.0/0 or ::/0, or blocks that add up to it), which cancels namespace isolation for the pods it selects.',
  severity: 'error',
  remediation: 'Name the source namespaces in namespaceSelector.matchLabels (kubernetes.io/metadata.name) and narrow ipBlocks to the client ranges; expose public workloads through WorkloadExposure, with source ranges and a reason.',
  references: {
    cis: ['5.3.2'],
    nsa: ['C-0030', 'C-0054'],
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors'],
  },
  kinds: ['NetworkPolicy'],
  check(object) {
    const violations: Violation[] = [];
    const covered = { ipv4: 0, ipv6: 0 };
    // the first block of each family, and the rule it sits in (for its ports).
    const firstBlock: { ipv4?: { path: string; rule: NetworkPolicyRule }; ipv6?: { path: string; rule: NetworkPolicyRule } } = {};
    for (const ingress of effectiveIngressRules(object)) {
      for (const peer of ingress.peers) {
        if (peerSelectsEveryNamespace(peer.peer)) {
          violations.push({
            message: `ingress rule ${ingress.index} admits ${peerSelectsAllPodsEverywhere(peer.peer) ? 'every pod' : 'matching pods'} of every namespace to ${describeSelectedPods(object)} on ${ingress.describedPorts}`,
            path: `${peer.path}.namespaceSelector`,
          });
        }
        const block = peer.ipBlock;
        if (!block) continue;
        const family = block.range.family;
        covered[family] += 2 ** rangeHostBits(block.range);
        firstBlock[family] ??= { path: block.path, rule: ingress };
      }
    }
    for (const family of ['ipv4', 'ipv6'] as const) {
      const first = firstBlock[family];
      if (first === undefined || covered[family] < 2 ** ANYWHERE_HOST_BITS[family]) continue;
      violations.push({
        message: `the ingress ipBlocks of this policy admit the whole ${family === 'ipv4' ? 'IPv4' : 'IPv6'} internet (at least ${family === 'ipv4' ? '0.0.0.0/1' : '2000::/3'} worth of addresses) to ${describeSelectedPods(object)}, on ${first.rule.describedPorts} from this block`,
        path: first.path,
      });
    }
    return violations;
  },
};
