import { RuleIds } from '../../../model/rule-ids';
import { POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { describeContainer, workloadContainers } from '../rule-helpers';
import { hasSha256Digest, parseImageReference } from './image-reference';

/**
 * Flags a container image tagged `latest`, or with neither tag nor digest (which pulls `latest`).
 * A sha256 digest pins the image whatever the tag says, so digest-pinned images pass.
 */
export const imageTagLatestRule: Rule = {
  id: RuleIds.IMAGE_TAG_LATEST,
  title: 'Image tag latest or missing',
  description: 'Indicates when a container, init container or ephemeral container image is tagged latest or has neither a tag nor a digest, so each pull may run a different version.',
  severity: 'warning',
  remediation: 'Reference the image by a version tag and a digest, for example app:1.2.3@sha256:<64 hex digits>.',
  references: {
    links: ['https://kubernetes.io/docs/concepts/configuration/overview/#container-images'],
  },
  kinds: POD_SPEC_KINDS,
  check(object) {
    const violations: Violation[] = [];
    for (const location of workloadContainers(object)) {
      const image = location.container.image;
      if (typeof image !== 'string' || image === '') continue;
      const reference = parseImageReference(image);
      if (hasSha256Digest(reference)) continue;
      if (reference.tag === 'latest') {
        violations.push({ message: `${describeContainer(location)} uses image ${JSON.stringify(image)} tagged latest`, path: `${location.fullPath}.image` });
      } else if (reference.tag === undefined || reference.tag === '') {
        violations.push({ message: `${describeContainer(location)} uses image ${JSON.stringify(image)} with no tag, which pulls latest`, path: `${location.fullPath}.image` });
      }
    }
    return violations;
  },
};
