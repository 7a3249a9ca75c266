import { describeSelectedPods, effectiveIngressRules, peerSelectsAllPodsEverywhere, peerSelectsEveryNamespace, describePorts, portRangesOf } from './network-policy-helpers';
import { parseCidrRange, rangeHostBits } from '../../../model/cidr-math';
import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
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
    const firstBlock: { ipv4?: string; ipv6?: string } = {};
    const portsOf: Record<string, string> = {};
    for (const ingress of effectiveIngressRules(object)) {
      const ports = describePorts(portRangesOf(ingress.rule));
      asArray(ingress.rule.from).forEach((item, peerIndex) => {
        const peer = asRecord(item);
        if (!peer) return;
        if (peerSelectsEveryNamespace(peer)) {
          violations.push({
            message: `ingress rule ${ingress.index} admits ${peerSelectsAllPodsEverywhere(peer) ? 'every pod' : 'matching pods'} of every namespace to ${describeSelectedPods(object)} on ${ports}`,
            path: `${ingress.path}.from[${peerIndex}].namespaceSelector`,
          });
        }
        const range = parseCidrRange(asRecord(peer.ipBlock)?.cidr);
        if (!range) return;
        covered[range.family] += 2 ** rangeHostBits(range);
        const path = `${ingress.path}.from[${peerIndex}].ipBlock.cidr`;
        if (firstBlock[range.family] === undefined) {
          firstBlock[range.family] = path;
          portsOf[path] = ports;
        }
      });
    }
    for (const family of ['ipv4', 'ipv6'] as const) {
      const path = firstBlock[family];
      if (path === undefined || covered[family] < 2 ** ANYWHERE_HOST_BITS[family]) continue;
      violations.push({
        message: `the ingress ipBlocks of this policy admit the whole ${family === 'ipv4' ? 'IPv4' : 'IPv6'} internet (at least ${family === 'ipv4' ? '0.0.0.0/1' : '2000::/3'} worth of addresses) to ${describeSelectedPods(object)}, on ${portsOf[path]} from this block`,
        path,
      });
    }
    return violations;
  },
};
