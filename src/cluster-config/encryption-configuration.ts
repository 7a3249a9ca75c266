import { renderNodeFile } from './node-file-yaml';
import { CONTROL_PLANE_PATHS, kubernetesMinor } from '../model/control-plane-settings';
import { isUsableReason, MIN_REASON_LENGTH, quoteReason } from '../model/exceptions';

/** one static key of an `aescbc` or `secretbox` provider. */
export interface EncryptionKey {
  /** the key's name; it is written into every stored value's prefix, so never reuse a name for new key material. */
  readonly name: string;
  /** 32 random bytes, base64-encoded (`head -c 32 /dev/urandom | base64`). */
  readonly secret: string;
}

/** options of a KMS v2 provider. */
export interface KmsV2Options {
  /** the KMS configuration's name: unique, without `:`. */
  readonly name: string;
  /**
   * The KMS plugin's gRPC socket.
   *
   * @default 'unix:///var/run/kmsplugin/kms.sock'
   */
  readonly endpoint?: string;
  /**
   * How long the API server waits for the plugin, as a Go duration.
   *
   * @default '3s'
   */
  readonly timeout?: string;
}

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function keyBytes(secret: string): number | undefined {
  if (typeof secret !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || secret.length % 4 !== 0) return undefined;
  return Buffer.from(secret, 'base64').length;
}

function checkedKeys(prop: string, keys: readonly EncryptionKey[]): EncryptionKey[] {
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`${prop}.keys is empty: give at least one key (the first encrypts, all decrypt)`);
  const names = new Set<string>();
  return keys.map((key, index) => {
    if (typeof key?.name !== 'string' || !KEY_NAME.test(key.name)) throw new Error(`${prop}.keys[${index}].name is ${JSON.stringify(key?.name)}: give a name of letters, digits, ".", "_" or "-"`);
    if (names.has(key.name)) throw new Error(`${prop}.keys[${index}].name ${JSON.stringify(key.name)} is used twice: key names are written into stored values, give each key its own name`);
    names.add(key.name);
    const bytes = keyBytes(key.secret);
    if (bytes !== 32) {
      throw new Error(`${prop}.keys[${index}].secret is ${bytes === undefined ? 'not valid base64' : `${bytes} bytes`}: give 32 random bytes, base64-encoded (head -c 32 /dev/urandom | base64)`);
    }
    return { name: key.name, secret: key.secret };
  });
}

/**
 * The provider that encrypts new writes: KMS v2 (the default), `secretbox`, or `aescbc` (weak, with
 * a reason). `aesgcm` is not offered: it needs automated rotation every 200,000 writes and CIS 1.8
 * (1.2.29) rejects it. KMS v1 is not offered: deprecated in 1.28 and off by default from 1.29.
 */
export class EncryptionProvider {
  /**
   * KMS v2 (`apiVersion: v2`): envelope encryption with the key-encryption key held by an external
   * KMS, reached through a plugin on every control-plane node. Kubernetes 1.27+ (beta, on by default), GA in 1.29.
   */
  public static kmsV2(options: KmsV2Options): EncryptionProvider {
    const name = options?.name;
    if (typeof name !== 'string' || name.trim() === '' || name.includes(':')) {
      throw new Error(`kmsV2.name is ${JSON.stringify(name)}: give a non-empty name without ":" (KMS v2 rejects it)`);
    }
    const endpoint = options.endpoint ?? `unix://${CONTROL_PLANE_PATHS.kmsSocketDirectory}/kms.sock`;
    if (!/^unix:\/\/\/.+/.test(endpoint)) throw new Error(`kmsV2.endpoint is ${JSON.stringify(endpoint)}: the KMS plugin is reached over a unix socket, give "unix:///path/to/kms.sock"`);
    const timeout = options.timeout ?? '3s';
    if (!GO_DURATION.test(timeout) || /^0+(\.0+)?[a-zµ]+$/.test(timeout)) throw new Error(`kmsV2.timeout is ${JSON.stringify(timeout)}: give a positive Go duration such as "3s"`);
    return new EncryptionProvider('kms', { kms: { apiVersion: 'v2', name, endpoint, timeout } }, endpoint.slice('unix://'.length));
  }

  /** XSalsa20-Poly1305 with static 32-byte keys that live in this file on every control-plane node. */
  public static secretbox(keys: readonly EncryptionKey[]): EncryptionProvider {
    return new EncryptionProvider('secretbox', { secretbox: { keys: checkedKeys('secretbox', keys) } });
  }

  /**
   * AES-CBC with static 32-byte keys. Upstream rates it weak (padding-oracle attacks); allowed only
   * with a reason, which is written above the provider in the file.
   */
  public static aescbc(keys: readonly EncryptionKey[], reason: string): EncryptionProvider {
    if (!isUsableReason(reason)) {
      throw new Error(`aescbc reason is ${quoteReason(reason)}: aescbc is weak (padding-oracle attacks), say in at least ${MIN_REASON_LENGTH} characters why kmsV2 or secretbox cannot be used`);
    }
    return new EncryptionProvider('aescbc', { aescbc: { keys: checkedKeys('aescbc', keys) } }, undefined, reason.trim());
  }

  private constructor(
    /** the provider type. */
    public readonly type: 'kms' | 'secretbox' | 'aescbc',
    /** the provider entry as it appears in `providers`. */
    public readonly entry: Record<string, unknown>,
    /** for KMS: the socket path the API server must reach. */
    public readonly socketPath?: string,
    /** why a weak provider was chosen. */
    public readonly reason?: string,
  ) {}
}

/** resources stored without encryption, before every encrypted entry, with the reason. */
export interface EncryptionExemption {
  /** resource names such as `events` or `leases.coordination.k8s.io`. */
  readonly resources: readonly string[];
  /** why they may be stored in plaintext; at least 10 characters. */
  readonly reason: string;
}

/** properties of {@link EncryptionConfiguration}. */
export interface EncryptionConfigurationProps {
  /**
   * The Kubernetes version the API servers run (`1.<minor>`): custom resources need 1.26, wildcards 1.27, KMS v2 1.27.
   *
   * @default '1.28'
   */
  readonly kubernetesVersion?: string;
  /**
   * The provider that encrypts every new write.
   *
   * @default EncryptionProvider.kmsV2({ name: 'cluster-kek' })
   */
  readonly provider?: EncryptionProvider;
  /**
   * What to encrypt: `secrets`, `configmaps`, `<resource>.<group>` for custom resources that hold credentials.
   *
   * @default ['secrets']
   */
  readonly resources?: readonly string[];
  /**
   * Keep reading data written before encryption was enabled: adds `identity` as the last provider.
   * Give the reason (for example the migration date); remove it once every object was rewritten
   * (`kubectl get secrets -A -o json | kubectl replace -f -`).
   *
   * @default - no identity provider: plaintext data cannot be read
   */
  readonly readUnencryptedReason?: string;
  /**
   * Resources deliberately stored in plaintext, each entry placed before the encrypted one.
   *
   * @default - none
   */
  readonly exemptions?: readonly EncryptionExemption[];
}

/** groups and resources the API server rejects in an EncryptionConfiguration (validation_encryption.go). */
const REJECTED_RESOURCES = new Set(['apiserveripinfo', 'serviceipallocations', 'servicenodeportallocations']);

function checkResource(prop: string, resource: string, minor: number): void {
  if (typeof resource !== 'string' || resource === '' || resource !== resource.toLowerCase()) {
    throw new Error(`${prop} has ${JSON.stringify(resource)}: resource names are lower case, such as "secrets" or "widgets.example.com"`);
  }
  if (resource === '*') throw new Error(`${prop} has "*": write "*." for every core resource or "*.*" for every resource`);
  const [name, ...groupParts] = resource.split('.');
  const group = groupParts.join('.');
  if (REJECTED_RESOURCES.has(name)) throw new Error(`${prop} has ${JSON.stringify(resource)}: it has no REST API and cannot be encrypted`);
  if (group === 'events.k8s.io' || group === 'extensions') throw new Error(`${prop} has ${JSON.stringify(resource)}: the API server rejects group ${JSON.stringify(group)} here${group === 'events.k8s.io' ? ', write "events"' : ''}`);
  if (group === '*' && name !== '*') throw new Error(`${prop} has ${JSON.stringify(resource)}: one resource across all groups is rejected, name the group`);
  if (name === '*' && minor < 27) throw new Error(`${prop} has ${JSON.stringify(resource)}: wildcards need Kubernetes 1.27, the target is 1.${minor}`);
  if (group !== '' && name !== '*' && minor < 26) throw new Error(`${prop} has ${JSON.stringify(resource)}: custom resources need Kubernetes 1.26, the target is 1.${minor}`);
}

/** whether `a` and `b` name overlapping resources (`*.*` overlaps all, `*.` overlaps the core group). */
function overlaps(a: string, b: string): boolean {
  if (a === b || a === '*.*' || b === '*.*') return true;
  const core = (resource: string) => !resource.includes('.') || resource.endsWith('.') && resource.split('.')[1] === '';
  const groupOf = (resource: string) => resource.split('.').slice(1).join('.');
  if (a.startsWith('*.') && (a === '*.' ? core(b) : groupOf(b) === groupOf(a))) return true;
  if (b.startsWith('*.') && (b === '*.' ? core(a) : groupOf(a) === groupOf(b))) return true;
  return false;
}

/**
 * Encryption at rest: an `apiserver.config.k8s.io/v1` EncryptionConfiguration for
 * `kube-apiserver --encryption-provider-config`. KMS v2 first by default; plaintext exemptions, if
 * any, come first so the last entry's first provider is the encrypting one (CIS 1.8 1.2.29 reads
 * exactly that line). Turning encryption on does not rewrite stored data: rewrite every object
 * once (`kubectl get secrets -A -o json | kubectl replace -f -`), then drop `identity`.
 *
 * @see https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
 */
export class EncryptionConfiguration {
  /** the file's content as a plain object. */
  public readonly configuration: Record<string, unknown>;
  /** the provider that encrypts new writes. */
  public readonly provider: EncryptionProvider;
  private readonly comments = new Map<string, string>();

  constructor(props: EncryptionConfigurationProps = {}) {
    const minor = kubernetesMinor(props.kubernetesVersion ?? '1.28');
    this.provider = props.provider ?? EncryptionProvider.kmsV2({ name: 'cluster-kek' });
    if (this.provider.type === 'kms' && minor < 27) {
      throw new Error(`provider is KMS v2, which needs Kubernetes 1.27 (beta) or later; the target is 1.${minor}: use EncryptionProvider.secretbox or raise kubernetesVersion`);
    }
    const resources = [...(props.resources ?? ['secrets'])];
    if (resources.length === 0) throw new Error('resources is empty: name what to encrypt, at least "secrets"');
    const exemptions = props.exemptions ?? [];
    const seen: string[] = [];
    const claim = (prop: string, list: readonly string[]) => {
      for (const resource of list) {
        checkResource(prop, resource, minor);
        const clash = seen.find((other) => overlaps(other, resource));
        if (clash !== undefined) throw new Error(`${prop} has ${JSON.stringify(resource)}, which overlaps ${JSON.stringify(clash)} named before it: each resource may appear in one entry only`);
        seen.push(resource);
      }
    };
    const entries: Record<string, unknown>[] = [];
    exemptions.forEach((exemption, index) => {
      const prop = `exemptions[${index}]`;
      if (!isUsableReason(exemption?.reason)) {
        throw new Error(`${prop}.reason is ${quoteReason(exemption?.reason)}: say in at least ${MIN_REASON_LENGTH} characters why these resources may be stored in plaintext`);
      }
      if (!Array.isArray(exemption.resources) || exemption.resources.length === 0) throw new Error(`${prop}.resources is empty: name the resources stored in plaintext`);
      if (exemption.resources.includes('secrets')) throw new Error(`${prop}.resources has "secrets": Secrets are always encrypted, remove it`);
      claim(`${prop}.resources`, exemption.resources);
      this.comments.set(`resources[${entries.length}]`, `plaintext on purpose: ${exemption.reason.trim()}`);
      entries.push({ resources: [...exemption.resources], providers: [{ identity: {} }] });
    });
    if (!resources.includes('secrets') && !resources.some((resource) => resource === '*.' || resource === '*.*')) {
      throw new Error(`resources is ${JSON.stringify(resources)}: Secrets must always be encrypted, add "secrets"`);
    }
    claim('resources', resources);
    const providers: Record<string, unknown>[] = [this.provider.entry];
    const main = entries.length;
    if (this.provider.reason !== undefined) this.comments.set(`resources[${main}].providers[0]`, `aescbc on purpose: ${this.provider.reason}`);
    if (props.readUnencryptedReason !== undefined) {
      if (!isUsableReason(props.readUnencryptedReason)) {
        throw new Error(`readUnencryptedReason is ${quoteReason(props.readUnencryptedReason)}: say in at least ${MIN_REASON_LENGTH} characters why data written before encryption must still be read`);
      }
      this.comments.set(`resources[${main}].providers[1]`, `reads data stored before encryption was enabled; remove after every object was rewritten: ${props.readUnencryptedReason.trim()}`);
      providers.push({ identity: {} });
    }
    entries.push({ resources, providers });
    this.configuration = { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: entries };
  }

  /** the file's text: block YAML (kube-bench reads the line after the last `providers:`), with the reasons as comments. */
  public toYaml(): string {
    return renderNodeFile(this.configuration, [
      'Encryption at rest for kube-apiserver --encryption-provider-config.',
      `Install on every control-plane node as ${CONTROL_PLANE_PATHS.encryptionConfiguration} (mode 600, root:root), byte-identical on all API servers.`,
      'After enabling or changing the first provider, rewrite stored objects: kubectl get secrets -A -o json | kubectl replace -f -',
    ].join('\n'), this.comments);
  }
}
