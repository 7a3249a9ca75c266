import { registryVerdict } from '../../../model/image-policy';
import { RuleIds } from '../../../model/rule-ids';
import { POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { describeContainer, workloadContainers } from '../rule-helpers';

/**
 * Flags a container (init and ephemeral included) whose image the app's image policy does not
 * allow: its normalised name (`nginx` is `docker.io/library/nginx`) is not below any allowed
 * prefix followed by `/`, or it is not a reference the runtime accepts. Does nothing until
 * registries are configured (`--allowed-registry`, `--config`, an `ImagePolicy` construct).
 */
export const imageRegistryNotAllowedRule: Rule = {
  id: RuleIds.IMAGE_REGISTRY_NOT_ALLOWED,
  title: 'Image from a registry the policy does not allow',
  description: 'Indicates when a container, init container or ephemeral container image does not come from one of the configured allowed registries (each a prefix that ends where a "/" follows), compared after the runtime\'s normalisation; reports nothing until registries are configured.',
  severity: 'error',
  remediation: 'Mirror the image into an allowed registry (for example ghcr.io/example/mirror/...) and reference it there by digest, or add the registry to the image policy\'s allowedRegistries.',
  references: {
    cis: ['5.5.1'],
    links: ['https://kubernetes.io/docs/concepts/containers/images/#image-names', 'https://github.com/distribution/reference/blob/main/normalize.go'],
  },
  kinds: POD_SPEC_KINDS,
  check(object, context) {
    const settings = context.imagePolicy;
    if (!settings || settings.allowedRegistries.length === 0) return [];
    const violations: Violation[] = [];
    for (const location of workloadContainers(object)) {
      const image = location.container.image;
      if (typeof image !== 'string' || image === '') continue;
      const verdict = registryVerdict(image, settings);
      if (verdict.allowed) continue;
      violations.push({
        message: verdict.reason === 'invalid-reference'
          ? `${describeContainer(location)} uses image ${JSON.stringify(image)}, which is not a valid image reference (the runtime wants a lower-case repository path and a well-formed tag and digest), so no registry allows it`
          : `${describeContainer(location)} uses image ${JSON.stringify(image)} (${verdict.name}), which is not below any allowed registry (${settings.allowedRegistries.join(', ')})`,
        path: `${location.fullPath}.image`,
      });
    }
    return violations;
  },
};
