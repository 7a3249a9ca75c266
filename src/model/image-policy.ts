/**
 * Image references read the way the container runtime reads them, and the app-wide image policy
 * (which registries images may come from) as plain data, shared by the constructs, the checker
 * rules and the admission twins.
 *
 * The grammar and the normalisation follow `github.com/distribution/reference` (`regexp.go`,
 * `normalize.go`), which containerd, CRI-O and the kubelet use:
 * - a reference is `name[:tag][@digest]`, the name at most 255 characters;
 * - the name's first `/`-separated component is the registry host when it contains `.` or `:`,
 *   is `localhost`, or holds an upper-case letter; otherwise the registry is `docker.io`;
 * - `index.docker.io` is `docker.io`, and a Docker Hub name without a `/` gets `library/`
 *   (`nginx` is `docker.io/library/nginx`);
 * - repository path components are lower case; a tag is `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
 *
 * Every pattern here is RE2 as well as JavaScript, so the admission twins use the same text.
 */

/** the registry Docker Hub names resolve to. */
export const DOCKER_HUB = 'docker.io';
/** Docker Hub's legacy host, which the runtime rewrites to `docker.io`. */
export const DOCKER_HUB_LEGACY = 'index.docker.io';
/** the longest name (registry and path) a reference may have. */
export const MAX_NAME_LENGTH = 255;

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN_AND_PORT = `${HOST}(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN_AND_PORT}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

/** a whole image reference, as the runtime accepts it (RE2 and JavaScript). */
export const IMAGE_REFERENCE_PATTERN = `^${NAME}(?::${TAG})?(?:@${DIGEST})?$`;
/** a pinned reference: anything before `@`, then a sha256 digest of 64 lower-case hex digits. */
export const SHA256_PINNED_PATTERN = '^[^@]*@sha256:[a-f0-9]{64}$';
/**
 * an allowed-registry prefix: a lower-case registry host (with a `.` or a port, or `localhost`),
 * optionally followed by lower-case repository path components; no scheme, no trailing `/`.
 */
export const REGISTRY_PREFIX_PATTERN = `^(?:localhost|(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])(?:\\.(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9]))+|(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])(?:\\.(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9]))*:[0-9]+|localhost:[0-9]+)(?:/${PATH_COMPONENT})*$`;

const REFERENCE = new RegExp(IMAGE_REFERENCE_PATTERN);
const SHA256_PINNED = new RegExp(SHA256_PINNED_PATTERN);
const REGISTRY_PREFIX = new RegExp(REGISTRY_PREFIX_PATTERN);

/** an image reference split the way the runtime splits it. */
export interface ParsedImageReference {
  /** the reference as written. */
  readonly original: string;
  /** the registry host (with port), after normalisation: `docker.io`, `ghcr.io`, `registry.example.com:5000`. */
  readonly registry: string;
  /** the repository path below the registry: `library/nginx`, `example/web`. */
  readonly path: string;
  /** registry and path: the name every prefix is compared with (`docker.io/library/nginx`). */
  readonly name: string;
  readonly tag?: string;
  /** the text after `@` (`sha256:…`). */
  readonly digest?: string;
}

/** the registry component of a name, as `splitDockerDomain` decides it; undefined for a Docker Hub name. */
function registryComponent(name: string): string | undefined {
  const slash = name.indexOf('/');
  if (slash < 0) return undefined;
  const first = name.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase() ? first : undefined;
}

/**
 * Parses an image reference as the container runtime does, or returns undefined when the runtime
 * would refuse it (upper case in the repository path, a bad tag or digest, a name over 255
 * characters, an empty string).
 */
export function parseImage(image: string): ParsedImageReference | undefined {
  if (typeof image !== 'string' || !REFERENCE.test(image)) return undefined;
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  // a tag follows the last colon only when that colon comes after the last slash (not a port).
  const colon = named.lastIndexOf(':');
  const tagged = colon > named.lastIndexOf('/');
  const name = tagged ? named.slice(0, colon) : named;
  const tag = tagged ? named.slice(colon + 1) : undefined;
  if (name.length > MAX_NAME_LENGTH) return undefined;
  const host = registryComponent(name);
  let registry = host ?? DOCKER_HUB;
  let path = host === undefined ? name : name.slice(host.length + 1);
  if (registry === DOCKER_HUB_LEGACY) registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  return { original: image, registry, path, name: `${registry}/${path}`, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** true when the image is pinned by a sha256 digest of 64 lower-case hex digits. */
export function isPinnedByDigest(image: string): boolean {
  return typeof image === 'string' && SHA256_PINNED.test(image);
}

/** the image with its digest (and nothing else) removed, for messages: `app:1.2@sha256:…` gives `app:1.2`. */
export function withoutDigest(image: string): string {
  const at = image.indexOf('@');
  return at >= 0 ? image.slice(0, at) : image;
}

/** the app-wide image policy as plain data: what the checker, the twins and the constructs share. */
export interface ImagePolicySettings {
  /**
   * Where images may come from: registry hosts or repository prefixes, each ending where a `/`
   * follows (`ghcr.io/example` allows `ghcr.io/example/web` but not `ghcr.io/example-evil/web`
   * and not `ghcr.io/example` itself). Compared with the normalised name, so `docker.io/library`
   * allows `nginx`.
   */
  readonly allowedRegistries: readonly string[];
}

/** why a prefix is not usable, or undefined when it is. */
export function registryPrefixProblem(prefix: unknown): string | undefined {
  if (typeof prefix !== 'string' || prefix === '') return 'is empty: name a registry host and optionally a path, e.g. "ghcr.io/example"';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(prefix)) return `has a scheme: drop it, e.g. "${prefix.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')}"`;
  if (prefix.endsWith('/')) return `ends with "/": write it without, e.g. "${prefix.replace(/\/+$/, '')}"; a prefix always ends where a "/" follows`;
  if (/[*?]/.test(prefix)) return 'holds a wildcard: a prefix matches everything below it, so write the fixed part only, e.g. "ghcr.io/example"';
  if (prefix !== prefix.toLowerCase()) return `holds upper case: registries and repositories are compared in lower case as the runtime resolves them; write "${prefix.toLowerCase()}"`;
  if (prefix.split('/')[0] === DOCKER_HUB_LEGACY) return `names ${DOCKER_HUB_LEGACY}: the runtime rewrites it to ${DOCKER_HUB}; write "${prefix.replace(DOCKER_HUB_LEGACY, DOCKER_HUB)}"`;
  if (!prefix.includes('/') && !prefix.includes('.') && !prefix.includes(':') && prefix !== 'localhost') {
    return `has no registry host: "${prefix}" would be read as a Docker Hub repository; write the host, e.g. "docker.io/${prefix}" or "${prefix}.example.com"`;
  }
  if (!REGISTRY_PREFIX.test(prefix)) {
    return 'is not a registry host followed by repository path components: use lower-case host[:port][/path], e.g. "registry.example.com:5000/team"';
  }
  return undefined;
}

/**
 * Validates settings and returns them normalised (sorted, duplicates removed); throws naming
 * `prop`, the bad value and the fix.
 */
export function validateImagePolicySettings(settings: ImagePolicySettings, prop = 'allowedRegistries'): ImagePolicySettings {
  const prefixes = settings?.allowedRegistries;
  if (!Array.isArray(prefixes) || prefixes.length === 0) {
    throw new Error(`${prop} is ${JSON.stringify(prefixes)}: list at least one registry prefix, e.g. ["ghcr.io/example"]`);
  }
  prefixes.forEach((prefix: unknown, index: number) => {
    const problem = registryPrefixProblem(prefix);
    if (problem) throw new Error(`${prop}[${index}] is ${JSON.stringify(prefix)}: it ${problem}`);
  });
  return { allowedRegistries: [...new Set(prefixes as string[])].sort() };
}

/** the prefix that allows `reference`, or undefined. */
export function allowingPrefix(reference: ParsedImageReference, settings: ImagePolicySettings): string | undefined {
  return settings.allowedRegistries.find((prefix) => reference.name.startsWith(`${prefix}/`));
}

/** the verdict on one image under a policy. */
export type RegistryVerdict =
  | { readonly allowed: true; readonly prefix: string }
  | { readonly allowed: false; readonly reason: 'invalid-reference' | 'not-allowed'; readonly name?: string };

/** whether an image may be pulled under the policy; a reference the runtime would refuse is never allowed. */
export function registryVerdict(image: string, settings: ImagePolicySettings): RegistryVerdict {
  const reference = parseImage(image);
  if (!reference) return { allowed: false, reason: 'invalid-reference' };
  const prefix = allowingPrefix(reference, settings);
  return prefix !== undefined ? { allowed: true, prefix } : { allowed: false, reason: 'not-allowed', name: reference.name };
}

/**
 * Where constructs register the app's image policy: a property of the app's root construct
 * under this symbol holds the `ImagePolicySettings`, so the Guard and the jest matcher (which
 * must not load constructs) find the settings the constructs enforce.
 */
export const IMAGE_POLICY_SETTINGS = Symbol.for('cdk8s-hardened.image-policy-settings');

/** the image policy settings registered on a construct tree's root, if any. */
export function registeredImagePolicy(root: object): ImagePolicySettings | undefined {
  return (root as Record<symbol, ImagePolicySettings | undefined>)[IMAGE_POLICY_SETTINGS];
}

/**
 * Throws when the app registered an image policy that does not allow `image`, naming `prop`, the
 * image and the fix; for constructs that emit their own pods (the probe Job, the CIS scan).
 */
export function assertImageAllowed(prop: string, image: string, root: object): void {
  const policy = registeredImagePolicy(root);
  if (!policy) return;
  const verdict = registryVerdict(image, policy);
  if (verdict.allowed) return;
  const what = verdict.reason === 'invalid-reference' ? 'is not a valid image reference' : `comes from ${verdict.name}, which the app's ImagePolicy does not allow (allowed: ${policy.allowedRegistries.join(', ')})`;
  throw new Error(`${prop} is ${JSON.stringify(image)}: it ${what}; mirror the image below an allowed registry and pass its digest-pinned reference`);
}

/** the namespace label with which Sigstore policy-controller's webhooks opt a namespace in. */
export const SIGSTORE_INCLUDE_LABEL = 'policy.sigstore.dev/include';

/** set (to true) on the registered settings when policy-controller verifies signatures, so hardened namespaces opt in. */
export const SIGSTORE_OPT_IN = Symbol.for('cdk8s-hardened.sigstore-opt-in');

/** true when the app's registered policy verifies signatures with policy-controller. */
export function sigstoreOptInRegistered(root: object): boolean {
  return (registeredImagePolicy(root) as Record<symbol, unknown> | undefined)?.[SIGSTORE_OPT_IN] === true;
}
