/**
 * The admission twin of `image-registry-not-allowed`, generated from the same image policy the
 * checker reads. 1.28-safe CEL only: RE2 `matches`, `startsWith`, and ext.Strings v0 `split`,
 * `lastIndexOf` and `substring`.
 */
import { DOCKER_HUB, DOCKER_HUB_LEGACY, IMAGE_REFERENCE_PATTERN, ImagePolicySettings, MAX_NAME_LENGTH, validateImagePolicySettings } from '../../model/image-policy';
import { RuleIds } from '../../model/rule-ids';
import { celString, celStrings, failingContainers } from '../cel';
import type { CelTwin, TwinDeclarations } from '../twin';

/**
 * CEL that is true when the image string `i` is a reference the runtime accepts whose normalised
 * name lies below one of `prefixes` (each followed by `/`), as `registryVerdict` decides. Written
 * without nested comprehensions (the portability lint allows three levels), so the reference
 * without its digest (`r`) and its first component (`f`) are spelled out where they are used.
 */
export function imageAllowedExpression(i: string, prefixes: readonly string[]): string {
  // r: the reference without its digest; its tag is kept: a tag never holds '/', so it cannot
  // change which prefix + '/' the name starts with.
  const r = `${i}.split('@')[0]`;
  const f = `${r}.split('/')[0]`;
  const nameLength = `(${r}.lastIndexOf(':') > ${r}.lastIndexOf('/') ? ${r}.lastIndexOf(':') : size(${r}))`;
  const isRegistry = `(${r}.contains('/') && (${f}.contains('.') || ${f}.contains(':') || ${f} == 'localhost' || ${f}.matches('[A-Z]')))`;
  const hubRest = `${r}.substring(size(${f}) + 1)`;
  const hub = (rest: string) => `(${rest}.contains('/') ? ${celString(`${DOCKER_HUB}/`)} : ${celString(`${DOCKER_HUB}/library/`)}) + ${rest}`;
  const name = `(${isRegistry} ? ((${f} == ${celString(DOCKER_HUB)} || ${f} == ${celString(DOCKER_HUB_LEGACY)}) ? ${hub(hubRest)} : ${r}) : ${hub(r)})`;
  return `(${i}.matches(${celString(IMAGE_REFERENCE_PATTERN)}) && ${nameLength} <= ${MAX_NAME_LENGTH}`
    + ` && ${celStrings(prefixes)}.exists(p, ${name}.startsWith(p + '/')))`;
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
