import { allowsEveryDestination, allowsPort, effectiveEgressRules } from './network-policy-helpers';
import { rangeHostBits } from '../../../model/cidr-math';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

const DNS_PORT = 53;
// an ipBlock of at most 16 addresses (/28 or /124) pins a few resolvers; wider blocks reach resolvers anywhere.
const MAX_RESOLVER_HOST_BITS = 4;

/**
 * Flags a NetworkPolicy egress rule that opens port 53 to no destination or to a broad ipBlock.
 *
 * A rule opens port 53 when it lists 53 (or a range holding it) over UDP or TCP, or lists no
 * ports at all, since Kubernetes reads that as every port.
 */
export const netpolDnsAnyDestinationRule: Rule = {
  id: RuleIds.NETPOL_DNS_ANY_DESTINATION,
  title: 'DNS egress to any destination',
  description: 'Indicates when a NetworkPolicy egress rule allows port 53 (UDP or TCP, explicitly or by listing no ports) to no destination or to an ipBlock wider than 16 addresses, so pods can use any resolver and tunnel data over DNS.',
  severity: 'error',
  remediation: 'Allow port 53 over UDP and TCP only to the cluster resolver: one peer with namespaceSelector kubernetes.io/metadata.name: kube-system and podSelector k8s-app: kube-dns, or the NodeLocal DNSCache address as a /32 ipBlock.',
  references: {
    links: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports',
      'https://kubernetes.io/docs/tasks/administer-cluster/nodelocaldns/',
    ],
  },
  kinds: ['NetworkPolicy'],
  check(object) {
    const violations: Violation[] = [];
    for (const egress of effectiveEgressRules(object)) {
      const ports = egress.ports;
      if (!allowsPort(ports, DNS_PORT, 'UDP') && !allowsPort(ports, DNS_PORT, 'TCP')) continue;
      if (allowsEveryDestination(egress.rule)) {
        violations.push({
          message: `egress rule ${egress.index} allows DNS (${egress.describedPorts}) to every destination`,
          path: egress.path,
        });
        continue;
      }
      for (const peer of egress.peers) {
        const block = peer.ipBlock;
        if (!block || rangeHostBits(block.range) <= MAX_RESOLVER_HOST_BITS) continue;
        violations.push({
          message: `egress rule ${egress.index} allows DNS (${egress.describedPorts}) to ipBlock ${JSON.stringify(block.cidr)}, which is wider than a resolver address`,
          path: block.path,
        });
      }
    }
    return violations;
  },
};
