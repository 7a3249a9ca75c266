import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule } from '../../types';

/**
 * Flags a Service of type LoadBalancer: it asks the cloud for an address (public unless an
 * annotation makes it internal), allocates a node port on every node unless told not to, and
 * is reachable from every source unless loadBalancerSourceRanges narrows it.
 */
export const serviceLoadBalancerRule: Rule = {
  id: RuleIds.SERVICE_LOAD_BALANCER,
  title: 'Service exposed through a load balancer',
  description: 'Indicates when a Service has type LoadBalancer, which opens it to every address the load balancer accepts (the internet, unless loadBalancerSourceRanges or an internal annotation narrows it) and allocates node ports on every node unless allocateLoadBalancerNodePorts is false.',
  severity: 'warning',
  remediation: 'Use type ClusterIP behind an Ingress or Gateway with TLS; where a LoadBalancer is needed, set loadBalancerSourceRanges to the client ranges and record the exposure with a reasoned suppression (the WorkloadExposure construct does both).',
  references: {
    nsa: ['C-0030'],
    links: ['https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer', 'https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/'],
  },
  kinds: ['Service'],
  check(object) {
    const spec = asRecord(object.spec);
    if (!spec || spec.type !== 'LoadBalancer') return [];
    const ranges = asArray(spec.loadBalancerSourceRanges).filter((range) => typeof range === 'string');
    const open = ranges.length === 0 || ranges.some((range) => range === '0.0.0.0/0' || range === '::/0');
    const nodePorts = spec.allocateLoadBalancerNodePorts === false ? '' : ' and allocates a node port on every node';
    return [{
      message: `Service has type LoadBalancer, reachable from ${open ? 'every address' : ranges.join(', ')}${nodePorts}`,
      path: 'spec.type',
    }];
  },
};
