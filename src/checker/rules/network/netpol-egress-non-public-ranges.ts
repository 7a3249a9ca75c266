import { describePorts, effectiveEgressRules, portRangesOf } from './network-policy-helpers';
import { CidrRange, parseCidrRange, rangeContainsRange } from '../../../network/cidr-math';
import { NON_PUBLIC_RANGES } from '../../../network/non-public-ranges';
import { RuleIds } from '../../../rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';

// loopback never leaves the pod, so a NetworkPolicy neither allows nor blocks it.
const CHECKED_RANGES = [...NON_PUBLIC_RANGES.ipv4, ...NON_PUBLIC_RANGES.ipv6]
  .filter((cidr) => cidr !== '127.0.0.0/8')
  .map((cidr) => ({ cidr, range: parseCidrRange(cidr)! }));

/**
 * Flags a NetworkPolicy egress ipBlock that contains a whole non-public range (10.0.0.0/8,
 * 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16, fc00::/7, fe80::/10) that no
 * except of the same ipBlock covers. The cluster's nodes and kubelets, the API server and
 * internal load balancers live there, so "the internet" written as 0.0.0.0/0 reaches them
 * too. A narrower range inside one (a database subnet) is a deliberate destination and passes.
 */
export const netpolEgressNonPublicRangesRule: Rule = {
  id: RuleIds.NETPOL_EGRESS_NON_PUBLIC_RANGES,
  title: 'Egress reaches non-public ranges',
  description: 'Indicates when a NetworkPolicy egress ipBlock contains a whole private, shared (CGNAT), link-local or unique-local range without excepting it, so the pods reach the cluster\'s own networks: the API server, every kubelet (10250) and node port, and internal services, around the pod-level policies.',
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
    const violations: Violation[] = [];
    for (const egress of effectiveEgressRules(object)) {
      asArray(egress.rule.to).forEach((item, peerIndex) => {
        const ipBlock = asRecord(asRecord(item)?.ipBlock);
        const range = parseCidrRange(ipBlock?.cidr);
        if (!ipBlock || !range) return;
        const excepts = asArray(ipBlock.except).map(parseCidrRange).filter((except): except is CidrRange => except !== undefined);
        const reached = CHECKED_RANGES.filter((candidate) => rangeContainsRange(range, candidate.range)
          && !excepts.some((except) => rangeContainsRange(except, candidate.range)));
        if (reached.length === 0) return;
        violations.push({
          message: `egress rule ${egress.index} allows ipBlock ${JSON.stringify(ipBlock.cidr)} on ${describePorts(portRangesOf(egress.rule))}, which contains the non-public ${reached.map((entry) => entry.cidr).join(', ')} (API server, kubelets, nodes) with no except for ${reached.length === 1 ? 'it' : 'them'}`,
          path: `${egress.path}.to[${peerIndex}].ipBlock.cidr`,
        });
      });
    }
    return violations;
  },
};
