import { malformedViolation, notAListViolation, pssRule, readField, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';
import { asRecord } from '../../pod-spec';
import type { Violation } from '../../types';

/** sysctls a pod may set as of v1.28 (`net.ipv4.ip_local_reserved_ports` since v1.27). */
export const ALLOWED_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
];

/** PSS baseline: only namespaced, isolated sysctls may be set. */
export const pssSysctls = pssRule({
  id: RuleIds.PSS_SYSCTLS,
  title: 'Unsafe sysctl',
  description: 'Indicates when a pod sets a sysctl outside the v1.28 safe set in spec.securityContext.sysctls.',
  remediation: 'Remove every sysctl outside the safe set (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports) from spec.securityContext.sysctls.',
  level: 'baseline',
  check: 'sysctls',
  evaluate: (pod) => {
    const read = readField(pod.spec, ['securityContext', 'sysctls'], pod.specPath);
    if (read.state === 'absent') return [];
    if (read.state === 'malformed') return [malformedViolation('pod', read)];
    if (!Array.isArray(read.value)) return [notAListViolation('pod', 'sysctls', read.path)];
    const violations: Violation[] = [];
    read.value.forEach((item, index) => {
      const sysctl = asRecord(item);
      const name = sysctl?.name;
      if (typeof name === 'string' && ALLOWED_SYSCTLS.includes(name)) return;
      violations.push(sysctl
        ? { message: `pod sets sysctl ${show(name)}, which is not in the safe set`, path: `${read.path}[${index}].name` }
        : { message: `pod: sysctls[${index}] is not a mapping, so it cannot be verified`, path: `${read.path}[${index}]` });
    });
    return violations;
  },
});
