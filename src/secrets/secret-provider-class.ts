import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { recordObjectPaths } from '../construct-helpers/construct-paths';
import { namespaceOf, validateDnsLabel } from '../construct-helpers/names';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';

/** the Secrets Store CSI driver's name, as pods reference it in `csi.driver`. */
export const SECRETS_STORE_CSI_DRIVER = 'secrets-store.csi.k8s.io';
/** the API of `SecretProviderClass`. */
export const SECRET_PROVIDER_CLASS_API_VERSION = 'secrets-store.csi.x-k8s.io/v1';

/** one Vault secret to mount as a file. */
export interface CsiVaultObject {
  /** the file name in the mount. */
  readonly objectName: string;
  /** the secret's path in Vault, e.g. `secret/data/shop/db`. */
  readonly secretPath: string;
  /** the key inside the secret. */
  readonly secretKey: string;
}

/** options for `CsiSecretProvider.vault()`. */
export interface CsiVaultProviderOptions {
  /** the Vault address; `https://` only. */
  readonly address: string;
  /** the Vault Kubernetes auth role the pod's ServiceAccount logs in as. */
  readonly roleName: string;
  /** the secrets to mount. */
  readonly objects: CsiVaultObject[];
  /**
   * The audience of the pod's ServiceAccount token the provider logs in with.
   *
   * @default 'vault'
   */
  readonly audience?: string;
}

/** one AWS secret to mount as a file. */
export interface CsiAwsObject {
  /** the secret's name or ARN in Secrets Manager (or parameter name in SSM Parameter Store). */
  readonly objectName: string;
  /**
   * `secretsmanager` or `ssmparameter`.
   *
   * @default 'secretsmanager'
   */
  readonly objectType?: string;
  /**
   * The file name in the mount.
   *
   * @default - the object name
   */
  readonly objectAlias?: string;
}

/** options for `CsiSecretProvider.aws()`. */
export interface CsiAwsProviderOptions {
  /** the secrets to mount. */
  readonly objects: CsiAwsObject[];
  /**
   * The region.
   *
   * @default - the cluster's region
   */
  readonly region?: string;
}

/**
 * The provider plug-in of the Secrets Store CSI driver and its parameters. The pod's own
 * ServiceAccount authenticates (workload identity, or a projected token for Vault), so nothing
 * static is stored in the cluster.
 */
export class CsiSecretProvider {
  /**
   * The Vault CSI provider: logs in with the pod's ServiceAccount token (audience `audience`)
   * through Vault's Kubernetes auth method.
   *
   * @see https://developer.hashicorp.com/vault/docs/platform/k8s/csi/configurations
   */
  public static vault(options: CsiVaultProviderOptions): CsiSecretProvider {
    const address = new URL(options.address);
    if (address.protocol !== 'https:' || address.username !== '' || address.password !== '') {
      throw new Error(`vault address is ${JSON.stringify(options.address)}: use an https:// URL without credentials`);
    }
    if (typeof options.roleName !== 'string' || options.roleName.trim() === '') throw new Error('vault roleName is empty: name the Vault role');
    const objects = nonEmptyList('vault objects', options.objects).map((object, index) => {
      fileName(`vault objects[${index}].objectName`, object.objectName);
      return { objectName: object.objectName, secretPath: object.secretPath, secretKey: object.secretKey };
    });
    return new CsiSecretProvider('vault', {
      vaultAddress: options.address,
      roleName: options.roleName,
      audience: options.audience ?? 'vault',
      objects: stringify(objects),
    });
  }

  /**
   * The AWS provider (ASCP): the pod's ServiceAccount assumes its IRSA role.
   *
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/integrating_csi_driver.html
   */
  public static aws(options: CsiAwsProviderOptions): CsiSecretProvider {
    const objects = nonEmptyList('aws objects', options.objects).map((object, index) => {
      fileName(`aws objects[${index}].objectAlias`, object.objectAlias ?? object.objectName.split(/[:/]/).pop() ?? '');
      return {
        objectName: object.objectName,
        objectType: object.objectType ?? 'secretsmanager',
        ...(object.objectAlias !== undefined ? { objectAlias: object.objectAlias } : {}),
      };
    });
    return new CsiSecretProvider('aws', {
      ...(options.region !== undefined ? { region: options.region } : {}),
      objects: stringify(objects),
    });
  }

  /**
   * Any other provider plug-in (`azure`, `gcp`, ...) with its parameters as the plug-in
   * documents them.
   */
  public static of(provider: string, parameters: Record<string, string>): CsiSecretProvider {
    validateDnsLabel('provider', provider);
    for (const [key, value] of Object.entries(parameters ?? {})) {
      if (typeof value !== 'string') throw new Error(`parameters.${key} is ${JSON.stringify(value)}: SecretProviderClass parameters are strings`);
    }
    return new CsiSecretProvider(provider, { ...parameters });
  }

  private constructor(
    /** the provider plug-in's name: `vault`, `aws`, `azure`, `gcp`. */
    public readonly provider: string,
    /** the plug-in's parameters. */
    public readonly parameters: Readonly<Record<string, string>>,
  ) {}
}

/** props for `SecretProviderClass`. */
export interface SecretProviderClassProps {
  /**
   * The name.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace: the pods that mount it must run there.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** the provider plug-in and its parameters. */
  readonly provider: CsiSecretProvider;
}

/**
 * A Secrets Store CSI driver `SecretProviderClass` (`secrets-store.csi.x-k8s.io/v1`): secrets
 * fetched by the driver at pod start and mounted as read-only files, never stored in etcd.
 * Mount it with `HardenedWorkload.mountSecretProviderClass()` (a `csi` volume, allowed by Pod
 * Security `restricted`).
 *
 * Syncing into a Kubernetes Secret (`secretObjects`) is not offered: it exists to feed env
 * variables, which the library keeps secrets out of, and the synced Secret lives only while a
 * pod mounts the class. Installing the driver and its provider plug-in (a privileged DaemonSet)
 * is out of the library's scope; enable `--enable-secret-rotation` on the driver for rotation.
 *
 * @see https://secrets-store-csi-driver.sigs.k8s.io/concepts
 */
export class SecretProviderClass extends Construct {
  /** the underlying object. */
  public readonly resource: ApiObject;
  /** the name pods reference in `volumeAttributes.secretProviderClass`. */
  public readonly secretProviderClassName: string;
  /** the namespace, when known. */
  public readonly namespaceName?: string;

  constructor(scope: Construct, id: string, props: SecretProviderClassProps) {
    super(scope, id);
    recordObjectPaths(this);
    if (!(props?.provider instanceof CsiSecretProvider)) {
      throw new Error('provider is missing: pass CsiSecretProvider.vault(), aws() or of()');
    }
    this.secretProviderClassName = validateDnsLabel('name', props.name ?? id);
    this.namespaceName = namespaceOf(this, props.namespace);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: SECRET_PROVIDER_CLASS_API_VERSION,
      kind: 'SecretProviderClass',
      metadata: {
        name: this.secretProviderClassName,
        namespace: this.namespaceName,
        labels: { [Labels.MANAGED_BY]: MANAGED_BY_VALUE },
      },
      spec: { provider: props.provider.provider, parameters: { ...props.provider.parameters } },
    });
  }

  /**
   * A read-only `csi` volume of this class, for pods of the same namespace. A hardened workload's
   * `mountSecretProviderClass()` builds and mounts it.
   */
  public volume(scope: Construct, id: string, name: string): kplus.Volume {
    return kplus.Volume.fromCsi(scope, id, SECRETS_STORE_CSI_DRIVER, {
      name,
      readOnly: true,
      attributes: { secretProviderClass: this.secretProviderClassName },
    });
  }
}

function nonEmptyList<T>(prop: string, list: T[]): T[] {
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${prop} is empty: list at least one secret to mount`);
  return list;
}

function fileName(prop: string, value: string): void {
  if (typeof value !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(value) || value === '.' || value === '..') {
    throw new Error(`${prop} is ${JSON.stringify(value)}: it becomes a file name in the mount; use letters, digits, '-', '_' and '.'`);
  }
}
