import { checkEachContainer, notAListViolation, pssRule, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';
import { asRecord } from '../../pod-spec';
import type { Violation } from '../../types';

/** PSS baseline: containers must not bind host ports (0 means none). */
export const pssHostPorts = pssRule({
  id: RuleIds.PSS_HOST_PORTS,
  title: 'Host port',
  description: 'Indicates when a container, init container or ephemeral container binds a port on the host (ports[].hostPort other than 0).',
  remediation: 'Remove hostPort from every container port and expose the pod through a Service instead.',
  level: 'baseline',
  check: 'hostPorts',
  cis: ['5.2.13'],
  nsa: ['C-0044'],
  evaluate: (pod) => checkEachContainer(pod, (container) => {
    const ports = container.container.ports;
    const portsPath = `${container.fullPath}.ports`;
    if (ports === undefined || ports === null) return [];
    if (!Array.isArray(ports)) return [notAListViolation(container.label, 'ports', portsPath)];
    const violations: Violation[] = [];
    ports.forEach((item, index) => {
      const port = asRecord(item);
      if (!port) {
        violations.push({ message: `${container.label}: ports[${index}] is not a mapping, so it cannot be verified`, path: `${portsPath}[${index}]` });
        return;
      }
      const hostPort = port.hostPort;
      if (hostPort === undefined || hostPort === null || hostPort === 0) return;
      violations.push({ message: `${container.label} sets hostPort: ${show(hostPort)}`, path: `${portsPath}[${index}].hostPort` });
    });
    return violations;
  }),
});
