/**
 * The admission twin of `image-registry-not-allowed`, generated from the same image policy the
 * checker reads. 1.28-safe CEL only: RE2 `matches`, `startsWith`, and ext.Strings v0 `split`,
 * `lastIndexOf` and `substring`; `[x].all(v, …)` names an intermediate value once (1.28 has no
 * `cel.bind`).
 */
import { DOCKER_HUB, DOCKER_HUB_LEGACY, IMAGE_REFERENCE_PATTERN, ImagePolicySettings, MAX_NAME_LENGTH, validateImagePolicySettings } from '../../model/image-policy';
import { RuleIds } from '../../model/rule-ids';
import { celString, celStrings, failingContainers } from '../cel';
import type { CelTwin, TwinDeclarations } from '../twin';

/**
 * CEL that is true when the image string `i` is a reference the runtime accepts whose normalised
 * name lies below one of `prefixes` (each followed by `/`), as `registryVerdict` decides.
 */
export function imageAllowedExpression(i: string, prefixes: readonly string[]): string {
  const hub = celString(`${DOCKER_HUB}/`);
  // r: the reference without its digest; f: its first component; n: registry and path (tag kept:
  // a tag never holds '/', so it cannot change which prefix + '/' the name starts with).
  const nameLength = '(r.lastIndexOf(\':\') > r.lastIndexOf(\'/\') ? size(r.substring(0, r.lastIndexOf(\':\'))) : size(r))';
  const isRegistry = '(r.contains(\'/\') && (f.contains(\'.\') || f.contains(\':\') || f == \'localhost\' || f.matches(\'[A-Z]\')))';
  const named = `(${isRegistry} ? (f == ${celString(DOCKER_HUB_LEGACY)} ? ${celString(DOCKER_HUB)} + r.substring(size(f)) : r) : ${hub} + r)`;
  const library = `(n.startsWith(${hub}) && !n.substring(${DOCKER_HUB.length + 1}).contains('/') ? ${celString(`${DOCKER_HUB}/library/`)} + n.substring(${DOCKER_HUB.length + 1}) : n)`;
  return `(${i}.matches(${celString(IMAGE_REFERENCE_PATTERN)}) && [${i}.split('@')[0]].all(r, ${nameLength} <= ${MAX_NAME_LENGTH}`
    + ` && [r.split('/')[0]].all(f, [${named}].all(n, [${library}].all(m, ${celStrings(prefixes)}.exists(p, m.startsWith(p + '/')))))))`;
}

/** the registry twin for a policy: every container's image (init and ephemeral too) must be allowed. */
export function imageRegistryTwin(settings: ImagePolicySettings): CelTwin {
  const { allowedRegistries } = validateImagePolicySettings(settings, 'imagePolicy.allowedRegistries');
  const list = 'variables.containers';
  const ok = `(!has(c.image) || type(c.image) != string || c.image == '' || ${imageAllowedExpression('c.image', allowedRegistries)})`;
  return {
    twin: 'cel',
    target: 'pod-spec',
    validations: [{ expression: `${list}.all(c, type(c) != map || ${ok})`, offenders: failingContainers(list, ok) }],
  };
}

export const SUPPLY_CHAIN_TWINS: TwinDeclarations = {
  [RuleIds.IMAGE_REGISTRY_NOT_ALLOWED]: {
    twin: 'settings',
    target: 'pod-spec',
    needs: 'allowed registries (an ImagePolicy, or the imagePolicy option of the generator)',
    fromSettings: (settings) => settings.imagePolicy && settings.imagePolicy.allowedRegistries.length > 0
      ? imageRegistryTwin(settings.imagePolicy)
      : undefined,
  },
};
