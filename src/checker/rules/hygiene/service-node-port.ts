import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';

/**
 * Flags a Service of type NodePort, and a LoadBalancer that pins explicit nodePorts. A
 * LoadBalancer's automatic node ports are left alone: they exist only to back the balancer.
 */
export const serviceNodePortRule: Rule = {
  id: RuleIds.SERVICE_NODE_PORT,
  title: 'Service exposed on node ports',
  description: 'Indicates when a Service has type NodePort, or type LoadBalancer with an explicit nodePort, which opens a port on every node that bypasses ingress controls.',
  severity: 'warning',
  remediation: 'Use type ClusterIP behind an Ingress or Gateway, or a LoadBalancer without explicit nodePorts.',
  references: {
    links: ['https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport'],
  },
  kinds: ['Service'],
  check(object) {
    const spec = asRecord(object.spec);
    if (!spec) return [];
    if (spec.type === 'NodePort') {
      return [{ message: 'Service has type NodePort, which opens a port on every node', path: 'spec.type' }];
    }
    if (spec.type !== 'LoadBalancer') return [];
    const violations: Violation[] = [];
    asArray(spec.ports).forEach((item, index) => {
      const nodePort = asRecord(item)?.nodePort;
      if (nodePort === undefined || nodePort === null) return;
      violations.push({ message: `LoadBalancer Service pins nodePort ${JSON.stringify(nodePort)} in ports[${index}]`, path: `spec.ports[${index}].nodePort` });
    });
    return violations;
  },
};
