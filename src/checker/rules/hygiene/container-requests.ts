import { RuleIds } from '../../../model/rule-ids';
import { POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { describeContainer, workloadContainers } from '../rule-helpers';
import { hasQuantity, resourceList } from './resource-helpers';

export const REQUESTED_RESOURCES = ['cpu', 'memory'] as const;

/**
 * Flags a container or init container without cpu or memory requests. A limit without a request
 * passes, because Kubernetes then defaults the request to the limit.
 */
export const containerRequestsRule: Rule = {
  id: RuleIds.CONTAINER_REQUESTS,
  title: 'No cpu or memory request',
  description: 'Indicates when a container or init container has no cpu or memory request (set directly, or defaulted from a limit), so the scheduler cannot reserve capacity and the pod is evicted first under pressure.',
  severity: 'warning',
  remediation: 'Set resources.requests.cpu and resources.requests.memory on the container.',
  references: {
    links: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits'],
  },
  kinds: POD_SPEC_KINDS,
  check(object) {
    const violations: Violation[] = [];
    for (const location of workloadContainers(object, ['containers', 'initContainers'])) {
      const requests = resourceList(location.container, 'requests');
      const limits = resourceList(location.container, 'limits');
      for (const resource of REQUESTED_RESOURCES) {
        if (hasQuantity(requests[resource]) || hasQuantity(limits[resource])) continue;
        violations.push({ message: `${describeContainer(location)} has no ${resource} request`, path: `${location.fullPath}.resources.requests.${resource}` });
      }
    }
    return violations;
  },
};
