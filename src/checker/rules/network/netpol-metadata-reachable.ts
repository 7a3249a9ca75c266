import { allowsEveryDestination, effectiveEgressRules } from './network-policy-helpers';
import { CidrRange, parseCidrRange, rangeContainsRange } from '../../../model/cidr-math';
import { METADATA_ENDPOINTS, MetadataEndpoint } from '../../../model/metadata-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

function describeEndpoints(endpoints: readonly MetadataEndpoint[]): string {
  return endpoints.map((endpoint) => `${endpoint.address} (${endpoint.platforms.join(', ')})`).join(', ');
}

/** the catalogue's addresses, parsed once: every ipBlock of every policy is matched against them. */
const ENDPOINT_HOSTS = METADATA_ENDPOINTS.map((endpoint) => ({ endpoint, host: parseCidrRange(endpoint.address)! }));

/** the catalogue addresses inside `range` that no `except` of the same ipBlock removes. */
function reachedEndpoints(range: CidrRange, excepts: readonly CidrRange[]): MetadataEndpoint[] {
  const reached: MetadataEndpoint[] = [];
  for (const { endpoint, host } of ENDPOINT_HOSTS) {
    if (rangeContainsRange(range, host) && !excepts.some((except) => rangeContainsRange(except, host))) reached.push(endpoint);
  }
  return reached;
}

/** flags a NetworkPolicy egress rule that can reach a cloud metadata or credential address. */
export const netpolMetadataReachableRule: Rule = {
  id: RuleIds.NETPOL_METADATA_REACHABLE,
  title: 'Egress can reach cloud metadata',
  description: 'Indicates when a NetworkPolicy egress rule can reach a cloud metadata or credential address (169.254.169.254, fd00:ec2::254, 169.254.170.2, ...): it names no destination, or an ipBlock contains the address (IPv4, IPv6 or IPv4-mapped IPv6) and no except entry of that same ipBlock covers it.',
  severity: 'error',
  remediation: 'Add each metadata address inside the ipBlock to that ipBlock\'s except list (for example 169.254.169.254/32 and fd00:ec2::254/128), or narrow the cidr so it no longer contains them.',
  references: {
    links: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource',
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html',
    ],
  },
  kinds: ['NetworkPolicy'],
  check(object) {
    const violations: Violation[] = [];
    for (const egress of effectiveEgressRules(object)) {
      // every port counts, 53 included: gke's cloud dns answers on 169.254.169.254:53, and the
      // dns profile that opens it carries a reasoned suppression rather than a blind spot here.
      if (allowsEveryDestination(egress.rule)) {
        violations.push({
          message: `egress rule ${egress.index} names no destination, so it reaches every metadata address on ${egress.describedPorts}: ${describeEndpoints(METADATA_ENDPOINTS)}`,
          path: egress.path,
        });
        continue;
      }
      for (const peer of egress.peers) {
        const block = peer.ipBlock;
        if (!block) continue;
        const reached = reachedEndpoints(block.range, block.excepts);
        if (reached.length === 0) continue;
        violations.push({
          message: `egress rule ${egress.index} allows ipBlock ${JSON.stringify(block.cidr)} on ${egress.describedPorts}, which reaches metadata address ${describeEndpoints(reached)}; no except entry of this ipBlock covers it`,
          path: block.path,
        });
      }
    }
    return violations;
  },
};
