/** an image reference split into its parts; a registry port (`host:5000/app`) is never read as a tag. */
export interface ImageReference {
  /** registry, path and repository: `registry.example.com:5000/team/app`. */
  readonly repository: string;
  readonly tag?: string;
  /** the text after `@`, e.g. `sha256:...`. */
  readonly digest?: string;
}

const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** splits `repository[:tag][@digest]`. */
export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  // a tag follows the last colon only when that colon comes after the last slash.
  const colon = named.lastIndexOf(':');
  const slash = named.lastIndexOf('/');
  if (colon > slash) {
    return { repository: named.slice(0, colon), tag: named.slice(colon + 1), digest };
  }
  return { repository: named, digest };
}

/** true when the reference is pinned by a well-formed sha256 digest. */
export function hasSha256Digest(reference: ImageReference): boolean {
  return reference.digest !== undefined && SHA256_DIGEST.test(reference.digest);
}
