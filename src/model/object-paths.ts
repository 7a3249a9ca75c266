/**
 * The key under which cdk8s's `construct-metadata.json` gains one entry per synthesized object
 * (the library's constructs and Guard add it; the validation plugin reads it).
 */
export const OBJECT_PATHS_KEY = 'cdk8s-hardened/objects';

/** one synthesized object and the construct path that emitted it. */
export interface ObjectPath {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly path: string;
}

/**
 * The key under which `construct-metadata.json` carries the app's image policy settings (written
 * when the app has an `ImagePolicy`), so the validation plugin judges registries as the constructs do.
 */
export const IMAGE_POLICY_KEY = 'cdk8s-hardened/image-policy';
