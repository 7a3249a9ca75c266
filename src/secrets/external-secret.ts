import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { EXTERNAL_SECRETS_API_VERSION, ISecretStore } from './secret-store';
import { recordObjectPaths } from '../construct-helpers/construct-paths';
import { namespaceOf, validateDnsLabel } from '../construct-helpers/names';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';

/** one key of the target Secret and where its value comes from. */
export interface ExternalSecretEntry {
  /** the key in the Kubernetes Secret, which becomes the file name when mounted. */
  readonly secretKey: string;
  /** the secret's key (path, name or ARN) in the secret manager. */
  readonly remoteKey: string;
  /**
   * A property inside a structured (JSON) secret.
   *
   * @default - the whole secret value
   */
  readonly property?: string;
  /**
   * A version of the secret.
   *
   * @default - the latest version
   */
  readonly version?: string;
}

/** when the controller fetches the secret again. */
export enum ExternalSecretRefreshPolicy {
  /** every `refreshInterval`: rotations in the secret manager reach the cluster. */
  PERIODIC = 'Periodic',
  /** once, when the Secret does not exist yet. */
  CREATED_ONCE = 'CreatedOnce',
  /** only when the ExternalSecret itself changes. */
  ON_CHANGE = 'OnChange',
}

/** who owns the Secret the controller writes. */
export enum ExternalSecretCreationPolicy {
  /** the ExternalSecret owns the Secret: deleting (or pruning) it garbage-collects the Secret. */
  OWNER = 'Owner',
  /** the Secret survives the ExternalSecret. */
  ORPHAN = 'Orphan',
}

/** what happens to the Secret when the secret disappears from the secret manager. */
export enum ExternalSecretDeletionPolicy {
  /** keep the last value: the ExternalSecret reports an error and running workloads keep working. */
  RETAIN = 'Retain',
  /** delete the Secret too. */
  DELETE = 'Delete',
}

/** props for `ExternalSecret`. */
export interface ExternalSecretProps {
  /**
   * The ExternalSecret's name.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace; the target Secret is written there.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** the store to read from: a `SecretStore` of the same namespace, or a `ClusterSecretStore` that lists it. */
  readonly store: ISecretStore;
  /**
   * The keys of the target Secret, each from one remote secret. Explicit keys only: the library
   * does not emit `dataFrom` (a `find` by regex pulls whatever matches into the cluster).
   */
  readonly data: ExternalSecretEntry[];
  /**
   * The Secret the controller writes.
   *
   * @default - the ExternalSecret's name
   */
  readonly secretName?: string;
  /**
   * When the controller fetches again.
   *
   * @default ExternalSecretRefreshPolicy.PERIODIC
   */
  readonly refreshPolicy?: ExternalSecretRefreshPolicy;
  /**
   * How often a `PERIODIC` ExternalSecret fetches: at least 15 minutes (each fetch is a paid,
   * rate-limited API call per secret), at most 24 hours.
   *
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
  /**
   * Who owns the written Secret.
   *
   * @default ExternalSecretCreationPolicy.OWNER
   */
  readonly creationPolicy?: ExternalSecretCreationPolicy;
  /**
   * What happens to the Secret when the remote secret is deleted.
   *
   * @default ExternalSecretDeletionPolicy.RETAIN
   */
  readonly deletionPolicy?: ExternalSecretDeletionPolicy;
  /**
   * The `type` of the written Secret, e.g. `kubernetes.io/tls`.
   *
   * @default - Opaque
   */
  readonly secretType?: string;
}

/** the shortest refresh interval of a periodic ExternalSecret, in seconds. */
export const MIN_REFRESH_INTERVAL_SECONDS = 15 * 60;
/** the longest refresh interval, in seconds: a rotation reaches the cluster within a day. */
export const MAX_REFRESH_INTERVAL_SECONDS = 24 * 60 * 60;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * An External Secrets Operator `ExternalSecret` (`external-secrets.io/v1` only): the controller
 * reads explicit keys from a `SecretStore` or `ClusterSecretStore` and writes one Kubernetes
 * Secret, which workloads mount as read-only files (`HardenedWorkload.mountSecret`).
 *
 * Defaults, all written explicitly: `refreshPolicy: Periodic` every hour, `creationPolicy: Owner`
 * (pruning the ExternalSecret from git deletes the Secret), `deletionPolicy: Retain` (a secret
 * deleted in the manager leaves the last value in place and the ExternalSecret in error, so
 * running pods are not broken by an upstream mistake). The target is not immutable: an immutable
 * Secret cannot take a rotated value in place.
 *
 * @see https://external-secrets.io/latest/api/externalsecret/
 */
export class ExternalSecret extends Construct {
  /** the underlying object. */
  public readonly resource: ApiObject;
  /** the ExternalSecret's name. */
  public readonly name: string;
  /** the name of the Secret the controller writes. */
  public readonly secretName: string;
  /** the namespace, when known. */
  public readonly namespaceName?: string;
  /** the keys of the written Secret, sorted. */
  public readonly keys: readonly string[];

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    recordObjectPaths(this);
    this.name = validateDnsLabel('name', props?.name ?? id);
    this.namespaceName = namespaceOf(this, props.namespace);
    this.secretName = validateDnsLabel('secretName', props.secretName ?? this.name);
    checkStore(props.store, this.namespaceName);
    const data = checkEntries(props.data);
    this.keys = data.map((entry) => entry.secretKey).sort();

    const refreshPolicy = props.refreshPolicy ?? ExternalSecretRefreshPolicy.PERIODIC;
    let refreshInterval: string | undefined;
    if (refreshPolicy === ExternalSecretRefreshPolicy.PERIODIC) {
      const seconds = (props.refreshInterval ?? Duration.hours(1)).toSeconds();
      if (!Number.isInteger(seconds) || seconds < MIN_REFRESH_INTERVAL_SECONDS || seconds > MAX_REFRESH_INTERVAL_SECONDS) {
        throw new Error(`refreshInterval is ${seconds}s: use 15 minutes to 24 hours in whole seconds (each refresh is a rate-limited, often billed call per secret; rotations must still arrive within a day)`);
      }
      refreshInterval = goDuration(seconds);
    } else if (props.refreshInterval !== undefined) {
      throw new Error(`refreshInterval is set while refreshPolicy is ${refreshPolicy}, which never refreshes on a timer: drop refreshInterval, or use ExternalSecretRefreshPolicy.PERIODIC`);
    }
    if (props.secretType !== undefined && (typeof props.secretType !== 'string' || props.secretType.trim() === '')) {
      throw new Error(`secretType is ${JSON.stringify(props.secretType)}: use a Secret type such as "kubernetes.io/tls", or leave it out for Opaque`);
    }

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'ExternalSecret',
      metadata: {
        name: this.name,
        namespace: this.namespaceName,
        labels: { [Labels.MANAGED_BY]: MANAGED_BY_VALUE },
      },
      spec: {
        secretStoreRef: { kind: props.store.storeKind, name: props.store.storeName },
        refreshPolicy,
        ...(refreshInterval !== undefined ? { refreshInterval } : {}),
        target: {
          name: this.secretName,
          creationPolicy: props.creationPolicy ?? ExternalSecretCreationPolicy.OWNER,
          deletionPolicy: props.deletionPolicy ?? ExternalSecretDeletionPolicy.RETAIN,
          ...(props.secretType !== undefined ? { template: { type: props.secretType, engineVersion: 'v2' } } : {}),
        },
        data: data.map((entry) => ({
          secretKey: entry.secretKey,
          remoteRef: {
            key: entry.remoteKey,
            ...(entry.property !== undefined ? { property: entry.property } : {}),
            ...(entry.version !== undefined ? { version: entry.version } : {}),
          },
        })),
      },
    });
  }
}

function checkStore(store: ISecretStore, namespace: string | undefined): void {
  if (!store || typeof store.storeName !== 'string' || (store.storeKind !== 'SecretStore' && store.storeKind !== 'ClusterSecretStore')) {
    throw new Error('store is missing: pass a SecretStore or ClusterSecretStore');
  }
  if (store.storeKind === 'SecretStore' && store.namespaceName !== undefined && namespace !== undefined && store.namespaceName !== namespace) {
    throw new Error(`store is SecretStore "${store.storeName}" in namespace "${store.namespaceName}" but the ExternalSecret is in "${namespace}": an ExternalSecret reads only from a SecretStore of its own namespace; create a SecretStore in "${namespace}"`);
  }
  if (store.storeKind === 'ClusterSecretStore' && namespace !== undefined && !(store.allowedNamespaces ?? []).includes(namespace)) {
    throw new Error(`store is ClusterSecretStore "${store.storeName}", whose conditions list ${JSON.stringify(store.allowedNamespaces ?? [])}, not "${namespace}": add "${namespace}" to the store's namespaces`);
  }
}

function checkEntries(data: ExternalSecretEntry[]): ExternalSecretEntry[] {
  if (!Array.isArray(data) || data.length === 0) {
    throw new Error('data is empty: list the keys to sync, e.g. [{ secretKey: "password", remoteKey: "shop/db", property: "password" }]');
  }
  const seen = new Set<string>();
  data.forEach((entry, index) => {
    if (typeof entry?.secretKey !== 'string' || !SECRET_KEY.test(entry.secretKey)) {
      throw new Error(`data[${index}].secretKey is ${JSON.stringify(entry?.secretKey)}: use letters, digits, '-', '_' and '.' (it becomes a file name)`);
    }
    if (seen.has(entry.secretKey)) throw new Error(`data[${index}].secretKey is ${JSON.stringify(entry.secretKey)} again: each key of the Secret comes from one entry`);
    seen.add(entry.secretKey);
    if (typeof entry.remoteKey !== 'string' || entry.remoteKey.trim() === '') {
      throw new Error(`data[${index}].remoteKey is ${JSON.stringify(entry.remoteKey)}: name the secret in the secret manager`);
    }
  });
  return data;
}

/** seconds as a Go duration: `3600` is `1h`, `5400` is `1h30m`, `900` is `15m`. */
export function goDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return `${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}${rest > 0 ? `${rest}s` : ''}` || '0s';
}
