import { effectiveEgressRules, IpBlock, NetworkPolicyRule } from './network-policy-helpers';
import { CidrRange, parseCidrRange, rangeContainsRange, rangeHostBits } from '../../../model/cidr-math';
import { NON_PUBLIC_RANGES } from '../../../model/non-public-ranges';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

// loopback never leaves the pod, so a NetworkPolicy neither allows nor blocks it.
const CHECKED_RANGES = [...NON_PUBLIC_RANGES.ipv4, ...NON_PUBLIC_RANGES.ipv6]
  .filter((cidr) => cidr !== '127.0.0.0/8')
  .map((cidr) => ({ cidr, range: parseCidrRange(cidr)! }));

/** addresses of `range` an ipBlock reaches: its overlap with the range, minus its excepts inside that overlap. */
function addressesReached(block: CidrRange, excepts: readonly CidrRange[], range: CidrRange): number {
  let overlap: CidrRange;
  if (rangeContainsRange(block, range)) overlap = range;
  else if (rangeContainsRange(range, block)) overlap = block;
  else return 0;
  let reached = 2 ** rangeHostBits(overlap);
  for (const except of excepts) {
    if (rangeContainsRange(except, overlap)) return 0;
    if (rangeContainsRange(overlap, except)) reached -= 2 ** rangeHostBits(except);
  }
  return Math.max(reached, 0);
}

/**
 * Flags a NetworkPolicy whose egress ipBlocks reach at least half of a non-public range
 * (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16, fc00::/7,
 * fe80::/10) once their excepts are taken away, counted over every egress rule of the policy so
 * that a range split into halves is still caught. The cluster's nodes and kubelets, the API
 * server and internal load balancers live there, so "the internet" written as 0.0.0.0/0 reaches
 * them too. A narrow subnet inside one (a database at 10.20.0.0/16) is a deliberate destination.
 */
export const netpolEgressNonPublicRangesRule: Rule = {
  id: RuleIds.NETPOL_EGRESS_NON_PUBLIC_RANGES,
  title: 'Egress reaches non-public ranges',
  description: 'Indicates when a NetworkPolicy\'s egress ipBlocks reach at least half of a private, shared (CGNAT), link-local or unique-local range after their excepts (0.0.0.0/0 without excepts, 10.0.0.0/8, two /9 halves, ...), so the pods reach the cluster\'s own networks: the API server, every kubelet (10250) and node port, and internal services.',
  severity: 'error',
  remediation: 'Add 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16 (and fc00::/7, fe80::/10 for IPv6) to the ipBlock\'s except list, or narrow the cidr to the one subnet the workload needs.',
  references: {
    nsa: ['C-0030'],
    links: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource',
      'https://kubernetes.io/docs/concepts/security/multi-tenancy/#network-isolation',
    ],
  },
  kinds: ['NetworkPolicy'],
  check(object) {
    const blocks: { block: IpBlock; rule: NetworkPolicyRule }[] = [];
    for (const egress of effectiveEgressRules(object)) {
      for (const peer of egress.peers) {
        const block = peer.ipBlock;
        if (block) blocks.push({ block, rule: egress });
      }
    }
    if (blocks.length === 0) return [];
    // one finding per ipBlock that contributes, naming the ranges it helps reach.
    const reachedBy = new Map<string, string[]>();
    for (const { cidr, range } of CHECKED_RANGES) {
      const contributing = blocks.filter((entry) => addressesReached(entry.block.range, entry.block.excepts, range) > 0);
      const total = contributing.reduce((sum, entry) => sum + addressesReached(entry.block.range, entry.block.excepts, range), 0);
      if (total * 2 < 2 ** rangeHostBits(range)) continue;
      for (const entry of contributing) reachedBy.set(entry.block.path, [...reachedBy.get(entry.block.path) ?? [], cidr]);
    }
    const violations: Violation[] = [];
    for (const { block, rule } of blocks) {
      const reached = reachedBy.get(block.path);
      if (!reached) continue;
      violations.push({
        message: `egress to ipBlock ${JSON.stringify(block.cidr)} on ${rule.describedPorts} reaches the non-public ${reached.join(', ')} (API server, kubelets, nodes): no except of the ipBlock keeps ${reached.length === 1 ? 'it' : 'them'} out`,
        path: block.path,
      });
    }
    return violations;
  },
};
