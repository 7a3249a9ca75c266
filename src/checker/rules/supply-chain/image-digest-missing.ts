import { RuleIds } from '../../../model/rule-ids';
import { POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { describeContainer, workloadContainers } from '../rule-helpers';
import { hasSha256Digest, parseImageReference } from './image-reference';

/** flags a container (init and ephemeral included) whose image is not pinned by a sha256 digest. */
export const imageDigestMissingRule: Rule = {
  id: RuleIds.IMAGE_DIGEST_MISSING,
  title: 'Image not pinned by digest',
  description: 'Indicates when a container, init container or ephemeral container image is not pinned with @sha256: and 64 hex digits, so the registry can serve different content under the same reference.',
  severity: 'warning',
  remediation: 'Pin the image by digest, for example registry.example.com/app:1.2.3@sha256:<64 hex digits>.',
  references: {
    cis: ['5.5.1'],
    links: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
  },
  kinds: POD_SPEC_KINDS,
  check(object) {
    const violations: Violation[] = [];
    for (const location of workloadContainers(object)) {
      const image = location.container.image;
      if (typeof image !== 'string' || image === '') continue;
      const reference = parseImageReference(image);
      if (hasSha256Digest(reference)) continue;
      violations.push({
        message: reference.digest === undefined
          ? `${describeContainer(location)} uses image ${JSON.stringify(image)} without a digest`
          : `${describeContainer(location)} uses image ${JSON.stringify(image)} whose digest is not sha256 with 64 lowercase hex digits`,
        path: `${location.fullPath}.image`,
      });
    }
    return violations;
  },
};
