import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { recordObjectPaths } from '../construct-helpers/construct-paths';
import { validateDnsLabel } from '../construct-helpers/names';
import {
  DOCKER_HUB, IMAGE_POLICY_SETTINGS, ImagePolicySettings, registeredImagePolicy, registryPrefixProblem, SIGSTORE_INCLUDE_LABEL, SIGSTORE_OPT_IN,
  validateImagePolicySettings,
} from '../model/image-policy';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import { keepClusterScoped } from '../network/policy-helpers';

/** the Sigstore policy-controller API this library emits. */
export const SIGSTORE_POLICY_API_VERSION = 'policy.sigstore.dev/v1beta1';
/** the Kyverno API this library emits. */
export const KYVERNO_API_VERSION = 'kyverno.io/v1';
export { SIGSTORE_INCLUDE_LABEL };

/** the OIDC issuer of GitHub Actions' tokens, for keyless signatures made in a workflow. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

/** the admission engines that verify signatures; each needs its controller installed by the platform. */
export enum SignatureEngine {
  /** Sigstore policy-controller: a `ClusterImagePolicy` (`policy.sigstore.dev/v1beta1`), enforced in namespaces labelled `policy.sigstore.dev/include: "true"`. */
  SIGSTORE_POLICY_CONTROLLER = 'sigstore-policy-controller',
  /** Kyverno: a `ClusterPolicy` (`kyverno.io/v1`) with a `verifyImages` rule. */
  KYVERNO = 'kyverno',
}

/** a keyless (Fulcio certificate) signer identity. */
export interface KeylessIdentityProps {
/** the OIDC issuer that vouched for the signer, an `https://` URL, e.g. `GITHUB_ACTIONS_ISSUER`. */
  readonly issuer: string;
  /**
   * The exact certificate subject (for GitHub Actions: the workflow ref,
   * `https://github.com/<org>/<repo>/.github/workflows/<file>@refs/heads/main`).
   *
   * @default - subjectRegExp
   */
  readonly subject?: string;
  /**
   * A regular expression for the subject, anchored with `^…$` (an unanchored one would accept
   * any subject that merely contains the text, such as a fork's workflow).
   *
   * @default - subject
   */
  readonly subjectRegExp?: string;
  /**
   * The transparency log to check signatures against.
   *
   * @default - the engines' default (the public Rekor, https://rekor.sigstore.dev)
   */
  readonly rekorUrl?: string;
}

/** a public key signer. */
export interface PublicKeyProps {
  /** the PEM-encoded public key (`-----BEGIN PUBLIC KEY-----` …). */
  readonly pem: string;
}

/** who must have signed the images: a keyless identity or a public key. */
export class SignatureAuthority {
  /** signatures by a keyless (Sigstore Fulcio) identity: issuer and subject. */
  public static keyless(props: KeylessIdentityProps): SignatureAuthority {
    if (typeof props?.issuer !== 'string' || !/^https:\/\/[^\s/]+(\/\S*)?$/.test(props.issuer)) {
      throw new Error(`keyless issuer is ${JSON.stringify(props?.issuer)}: use the issuer's https URL, e.g. ${GITHUB_ACTIONS_ISSUER}`);
    }
    const hasSubject = props.subject !== undefined;
    const hasRegExp = props.subjectRegExp !== undefined;
    if (hasSubject === hasRegExp) {
      throw new Error(`keyless identity for issuer ${props.issuer} has ${hasSubject ? 'both subject and subjectRegExp' : 'neither subject nor subjectRegExp'}: give exactly one; without a subject any identity of the issuer (any GitHub repository) could sign`);
    }
    if (hasSubject && (typeof props.subject !== 'string' || props.subject.trim() === '')) {
      throw new Error(`keyless subject is ${JSON.stringify(props.subject)}: name the signer, e.g. https://github.com/example/app/.github/workflows/release.yaml@refs/heads/main`);
    }
    if (hasRegExp) {
      const pattern = props.subjectRegExp!;
      if (typeof pattern !== 'string' || !pattern.startsWith('^') || !pattern.endsWith('$')) {
        throw new Error(`keyless subjectRegExp is ${JSON.stringify(pattern)}: anchor it with ^ and $, or any subject containing the text matches (a fork's workflow too)`);
      }
      try {
        new RegExp(pattern);
      } catch (error) {
        throw new Error(`keyless subjectRegExp is ${JSON.stringify(pattern)}: not a regular expression (${(error as Error).message})`);
      }
    }
    if (props.rekorUrl !== undefined && !/^https:\/\/\S+$/.test(props.rekorUrl)) {
      throw new Error(`keyless rekorUrl is ${JSON.stringify(props.rekorUrl)}: use an https URL`);
    }
    return new SignatureAuthority({ keyless: { ...props } });
  }

  /** signatures by a key pair: the public key in PEM. */
  public static publicKey(props: PublicKeyProps): SignatureAuthority {
    const pem = typeof props?.pem === 'string' ? props.pem.trim() : '';
    if (!/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----$/.test(pem)) {
      throw new Error('publicKey pem is not a PEM public key: pass the text of cosign.pub, from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----');
    }
    return new SignatureAuthority({ key: { pem: `${pem}\n` } });
  }

  private constructor(
    /** @internal */
    public readonly _spec: { readonly keyless?: KeylessIdentityProps; readonly key?: { readonly pem: string } },
  ) {}
}

/** an attestation every image must also carry, signed by the same authority. */
export interface AttestationRequirement {
  /** a short name (DNS label), e.g. `provenance`. */
  readonly name: string;
  /** the in-toto predicate type, e.g. `https://slsa.dev/provenance/v1`. */
  readonly predicateType: string;
}

/** signature verification, generated from the image policy. */
export interface SignatureVerificationProps {
  /** who signs the images. */
  readonly authority: SignatureAuthority;
  /** the engines to emit policies for (each needs its controller installed). */
  readonly engines: readonly SignatureEngine[];
  /**
   * The registry prefixes whose images must be signed, each at or below an allowed registry.
   *
   * @default - every allowed registry
   */
  readonly images?: readonly string[];
  /**
   * Attestations the images must also carry (existence and signature; no predicate policy).
   *
   * @default - none
   */
  readonly attestations?: readonly AttestationRequirement[];
  /**
   * The name of the emitted ClusterImagePolicy and ClusterPolicy.
   *
   * @default 'cdk8s-hardened-image-signatures'
   */
  readonly name?: string;
}

/** props of `ImagePolicy`. */
export interface ImagePolicyProps {
  /**
   * Where images may come from: registry hosts or repository prefixes, each ending where a `/`
   * follows (`ghcr.io/example` allows `ghcr.io/example/web`, not `ghcr.io/example-evil/web`).
   * Compared with the name the runtime pulls, so `docker.io/library` allows `nginx`.
   */
  readonly allowedRegistries: readonly string[];
  /**
   * Verify image signatures in the cluster with Sigstore policy-controller and/or Kyverno.
   *
   * @default - no signature policy is emitted
   */
  readonly signatureVerification?: SignatureVerificationProps;
}

const VERIFIED_POLICY = Symbol.for('cdk8s-hardened.image-policy');

/** the settings of a registered policy, with whether namespaces must opt in to policy-controller. */
interface RegisteredPolicy extends ImagePolicySettings {
  readonly [SIGSTORE_OPT_IN]?: boolean;
}

/**
 * The app's image policy: which registries its images may come from, and optionally which
 * signatures they must carry. One per app, found with `ImagePolicy.of(construct)`.
 *
 * - Every hardened workload (and the probe and CIS scan) built after it refuses an image from
 *   elsewhere at construction; the ones built before it fail synth through their self-check.
 * - The Guard, the jest matcher and (through `construct-metadata.json`) the validation plugin
 *   judge `image-registry-not-allowed` with these settings; `AdmissionGuardrails` emits the
 *   registry twin from them.
 * - With `signatureVerification`, a `ClusterImagePolicy` and/or a Kyverno `ClusterPolicy` that
 *   require signatures (keyless or key), resolve tags to digests and require digests. With the
 *   policy-controller engine every `HardenedNamespace` of the app is labelled
 *   `policy.sigstore.dev/include: "true"`.
 */
export class ImagePolicy extends Construct {
  /** the app's policy, or undefined when it has none. */
  public static of(construct: IConstruct): ImagePolicy | undefined {
    return (construct.node.root as unknown as Record<symbol, ImagePolicy | undefined>)[VERIFIED_POLICY];
  }

  /** the settings the checker and the admission twin read. */
  public readonly settings: ImagePolicySettings;
  /** the Sigstore `ClusterImagePolicy`, when policy-controller is an engine. */
  public readonly clusterImagePolicy?: ApiObject;
  /** the Kyverno `ClusterPolicy`, when Kyverno is an engine. */
  public readonly kyvernoPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: ImagePolicyProps) {
    super(scope, id);
    const root = this.node.root as unknown as Record<symbol, unknown>;
    const existing = ImagePolicy.of(this);
    if (existing) throw new Error(`the app already has an ImagePolicy at ${existing.node.path}: an app holds one image policy; list every registry there`);
    if (registeredImagePolicy(root) !== undefined) throw new Error('the app already has an image policy: an app holds one; list every registry there');
    this.settings = validateImagePolicySettings({ allowedRegistries: props?.allowedRegistries }, 'allowedRegistries');
    recordObjectPaths(this);

    const verification = props.signatureVerification;
    if (verification !== undefined) {
      const engines = validateEngines(verification.engines);
      const images = validateVerifiedPrefixes(verification.images ?? this.settings.allowedRegistries, this.settings);
      const attestations = validateAttestations(verification.attestations ?? []);
      if (!(verification.authority instanceof SignatureAuthority)) {
        throw new Error('signatureVerification.authority is not a SignatureAuthority: use SignatureAuthority.keyless({ issuer, subject }) or SignatureAuthority.publicKey({ pem })');
      }
      const name = validateDnsLabel('signatureVerification.name', verification.name ?? 'cdk8s-hardened-image-signatures');
      const metadata = { name, labels: { [Labels.MANAGED_BY]: MANAGED_BY_VALUE } };
      if (engines.includes(SignatureEngine.SIGSTORE_POLICY_CONTROLLER)) {
        this.clusterImagePolicy = new ApiObject(this, 'ClusterImagePolicy', {
          apiVersion: SIGSTORE_POLICY_API_VERSION,
          kind: 'ClusterImagePolicy',
          metadata,
          spec: sigstoreSpec(images, verification.authority, attestations),
        });
        keepClusterScoped(this.clusterImagePolicy);
      }
      if (engines.includes(SignatureEngine.KYVERNO)) {
        this.kyvernoPolicy = new ApiObject(this, 'KyvernoClusterPolicy', {
          apiVersion: KYVERNO_API_VERSION,
          kind: 'ClusterPolicy',
          metadata,
          spec: kyvernoSpec(images, verification.authority, attestations),
        });
        keepClusterScoped(this.kyvernoPolicy);
      }
    }
    const registered: RegisteredPolicy = {
      ...this.settings,
      ...(this.clusterImagePolicy ? { [SIGSTORE_OPT_IN]: true } : {}),
    };
    root[IMAGE_POLICY_SETTINGS] = registered;
    root[VERIFIED_POLICY] = this;
    if (this.clusterImagePolicy) optInNamespaces(this.node.root);
  }

  /** true when policy-controller verifies signatures, so hardened namespaces carry its opt-in label. */
  public get sigstoreOptIn(): boolean {
    return this.clusterImagePolicy !== undefined;
  }
}

/**
 * Labels every hardened Namespace built so far with the policy-controller opt-in; namespaces
 * built later label themselves (they read the registered policy).
 */
function optInNamespaces(root: IConstruct): void {
  for (const construct of root.node.findAll()) {
    if (!ApiObject.isApiObject(construct) || construct.kind !== 'Namespace' || construct.apiVersion !== 'v1') continue;
    if (construct.metadata.getLabel(Labels.MANAGED_BY) !== MANAGED_BY_VALUE) continue;
    construct.metadata.addLabel(SIGSTORE_INCLUDE_LABEL, 'true');
  }
}

function validateEngines(engines: readonly SignatureEngine[] | undefined): readonly SignatureEngine[] {
  if (!Array.isArray(engines) || engines.length === 0) {
    throw new Error('signatureVerification.engines is empty: name SignatureEngine.SIGSTORE_POLICY_CONTROLLER, SignatureEngine.KYVERNO or both (the engine must be installed in the cluster)');
  }
  for (const engine of engines) {
    if (!Object.values(SignatureEngine).includes(engine)) {
      throw new Error(`signatureVerification.engines has ${JSON.stringify(engine)}: use SignatureEngine.SIGSTORE_POLICY_CONTROLLER or SignatureEngine.KYVERNO`);
    }
  }
  return [...new Set(engines)];
}

function validateVerifiedPrefixes(images: readonly string[], settings: ImagePolicySettings): readonly string[] {
  if (!Array.isArray(images) || images.length === 0) throw new Error('signatureVerification.images is empty: omit it to verify every allowed registry');
  images.forEach((prefix, index) => {
    const problem = registryPrefixProblem(prefix);
    if (problem) throw new Error(`signatureVerification.images[${index}] is ${JSON.stringify(prefix)}: it ${problem}`);
    const covered = settings.allowedRegistries.some((allowed) => prefix === allowed || prefix.startsWith(`${allowed}/`));
    if (!covered) {
      throw new Error(`signatureVerification.images[${index}] is ${JSON.stringify(prefix)}, which no allowed registry covers (${settings.allowedRegistries.join(', ')}): images from it are refused anyway; add it to allowedRegistries or drop it`);
    }
  });
  return [...new Set(images)].sort();
}

function validateAttestations(attestations: readonly AttestationRequirement[]): readonly AttestationRequirement[] {
  const names = new Set<string>();
  attestations.forEach((attestation, index) => {
    validateDnsLabel(`signatureVerification.attestations[${index}].name`, attestation?.name);
    if (names.has(attestation.name)) throw new Error(`signatureVerification.attestations[${index}].name ${JSON.stringify(attestation.name)} is used twice: give each attestation its own name`);
    names.add(attestation.name);
    if (typeof attestation.predicateType !== 'string' || !/^\S+$/.test(attestation.predicateType) || attestation.predicateType === '') {
      throw new Error(`signatureVerification.attestations[${index}].predicateType is ${JSON.stringify(attestation.predicateType)}: use the in-toto predicate type URI, e.g. https://slsa.dev/provenance/v1`);
    }
  });
  return attestations;
}

/**
 * policy-controller compares globs with the fully qualified name, in which Docker Hub images
 * are `index.docker.io/...` (its docs: "images from Docker Hub must be prefixed with
 * index.docker.io"); `**` matches across `/`.
 */
function sigstoreGlob(prefix: string): string {
  const host = prefix.split('/')[0];
  return `${host === DOCKER_HUB ? `index.docker.io${prefix.slice(DOCKER_HUB.length)}` : prefix}/**`;
}

/** the keyless subject field both engines name alike: `subject` or `subjectRegExp`. */
function subjectOf(keyless: KeylessIdentityProps): Record<string, string | undefined> {
  return keyless.subject !== undefined ? { subject: keyless.subject } : { subjectRegExp: keyless.subjectRegExp };
}

function sigstoreSpec(
  images: readonly string[], authority: SignatureAuthority, attestations: readonly AttestationRequirement[],
): Record<string, unknown> {
  const { keyless, key } = authority._spec;
  const identity = keyless ? { issuer: keyless.issuer, ...subjectOf(keyless) } : undefined;
  const required = attestations.map((attestation) => ({ name: attestation.name, predicateType: attestation.predicateType }));
  return {
    images: images.map((prefix) => ({ glob: sigstoreGlob(prefix) })),
    authorities: [{
      name: keyless ? 'keyless' : 'key',
      ...(keyless ? { keyless: { identities: [identity] } } : { key: { data: key!.pem, hashAlgorithm: 'sha256' } }),
      ...(keyless?.rekorUrl ? { ctlog: { url: keyless.rekorUrl } } : {}),
      ...(required.length > 0 ? { attestations: required } : {}),
    }],
    mode: 'enforce',
  };
}

function kyvernoSpec(
  images: readonly string[], authority: SignatureAuthority, attestations: readonly AttestationRequirement[],
): Record<string, unknown> {
  const { keyless, key } = authority._spec;
  const entry = keyless
    ? { keyless: { issuer: keyless.issuer, ...subjectOf(keyless), ...(keyless.rekorUrl ? { rekor: { url: keyless.rekorUrl } } : {}) } }
    : { keys: { publicKeys: key!.pem } };
  const attestors = [{ count: 1, entries: [entry] }];
  const required = attestations.map((attestation) => ({ name: attestation.name, type: attestation.predicateType, attestors }));
  return {
    background: false,
    webhookConfiguration: { failurePolicy: 'Fail', timeoutSeconds: 30 },
    rules: [{
      name: 'verify-image-signatures',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      verifyImages: [{
        imageReferences: images.map((prefix) => `${prefix}/*`),
        type: 'Cosign',
        failureAction: 'Enforce',
        attestors,
        mutateDigest: true,
        verifyDigest: true,
        required: true,
        ...(required.length > 0 ? { attestations: required } : {}),
      }],
    }],
  };
}
