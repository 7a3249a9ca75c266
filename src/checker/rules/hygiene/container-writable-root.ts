import { RuleIds } from '../../../model/rule-ids';
import { asRecord, podSpecUnderCheck, POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { describeContainer, workloadContainers } from '../rule-helpers';

/** flags a container (init and ephemeral included) whose root filesystem is writable; windows pods are skipped. */
export const containerWritableRootRule: Rule = {
  id: RuleIds.CONTAINER_WRITABLE_ROOT,
  title: 'Writable root filesystem',
  description: 'Indicates when a container, init container or ephemeral container does not set securityContext.readOnlyRootFilesystem: true, so an attacker can drop tools and change binaries inside it; Windows pods (spec.os.name: windows), which cannot set it, are skipped.',
  severity: 'warning',
  remediation: 'Set securityContext.readOnlyRootFilesystem: true on the container and mount an emptyDir where it must write.',
  references: {
    cis: ['5.7.3'],
    nsa: ['C-0017'],
    links: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
  },
  kinds: POD_SPEC_KINDS,
  check(object) {
    // the api server rejects readOnlyRootFilesystem on windows pods, so they cannot comply.
    if (asRecord(podSpecUnderCheck(object)?.spec.os)?.name === 'windows') return [];
    const violations: Violation[] = [];
    for (const location of workloadContainers(object)) {
      const value = asRecord(location.container.securityContext)?.readOnlyRootFilesystem;
      if (value === true) continue;
      violations.push({
        message: `${describeContainer(location)} has readOnlyRootFilesystem ${value === undefined ? 'unset' : JSON.stringify(value)}`,
        path: `${location.fullPath}.securityContext.readOnlyRootFilesystem`,
      });
    }
    return violations;
  },
};
