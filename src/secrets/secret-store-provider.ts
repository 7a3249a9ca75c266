import * as kplus from 'cdk8s-plus-28';
import { validateDnsLabel } from '../construct-helpers/names';
import { MinimalServiceAccount } from '../identity/minimal-service-account';

/** a key of a Kubernetes Secret in the store's namespace (for the static-credential providers). */
export interface SecretKeyReference {
  /** the Secret's name. */
  readonly name: string;
  /** the key inside the Secret. */
  readonly key: string;
}

/** the version of a Vault KV secrets engine. */
export enum VaultKvVersion {
  /** KV version 1. */
  V1 = 'v1',
  /** KV version 2 (versioned secrets). */
  V2 = 'v2',
}

/** options for `SecretStoreProvider.vault()`. */
export interface VaultProviderOptions {
  /** the Vault address; `https://` only, since the login exchanges a token. */
  readonly server: string;
  /** the mount path of the KV engine, e.g. `secret`. */
  readonly path: string;
  /**
   * The KV engine version.
   *
   * @default VaultKvVersion.V2
   */
  readonly version?: VaultKvVersion;
  /** the Vault role of the Kubernetes auth method that maps this ServiceAccount to policies. */
  readonly role: string;
  /**
   * The ServiceAccount the External Secrets controller requests a token for (TokenRequest) and
   * logs in to Vault with. It needs no token mounted anywhere.
   */
  readonly serviceAccount: kplus.IServiceAccount;
  /**
   * Where the Kubernetes auth method is mounted in Vault.
   *
   * @default 'kubernetes'
   */
  readonly mountPath?: string;
  /**
   * The audiences of the requested token; the Vault role should require the same
   * (`audience` on the role). Never empty: a token without an audience of its own is accepted by
   * the Kubernetes API server as well.
   *
   * @default ['vault']
   */
  readonly audiences?: string[];
  /**
   * The Vault Enterprise namespace.
   *
   * @default - none
   */
  readonly namespace?: string;
  /**
   * PEM CA bundle, base64-encoded, that signs the Vault server's certificate.
   *
   * @default - the controller's system trust store
   */
  readonly caBundle?: string;
}

/** options for `SecretStoreProvider.vaultToken()`: a static Vault token read from a Secret. */
export interface VaultTokenProviderOptions {
  /** the Vault address; `https://` only. */
  readonly server: string;
  /** the mount path of the KV engine. */
  readonly path: string;
  /** @default VaultKvVersion.V2 */
  readonly version?: VaultKvVersion;
  /** the Secret key that holds the token. */
  readonly tokenSecret: SecretKeyReference;
}

/** options for `SecretStoreProvider.awsSecretsManager()`. */
export interface AwsSecretsManagerProviderOptions {
  /** the AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * The ServiceAccount whose IRSA role (`WorkloadIdentity.eks`) the controller assumes with a
   * web identity token it requests for that account.
   */
  readonly serviceAccount: kplus.IServiceAccount;
  /**
   * A further IAM role to assume after the IRSA role.
   *
   * @default - the IRSA role itself
   */
  readonly role?: string;
}

/** options for `SecretStoreProvider.awsAccessKeys()`: static IAM user keys read from a Secret. */
export interface AwsAccessKeysProviderOptions {
  /** the AWS region. */
  readonly region: string;
  /** the Secret key that holds the access key id. */
  readonly accessKeyId: SecretKeyReference;
  /** the Secret key that holds the secret access key. */
  readonly secretAccessKey: SecretKeyReference;
}

/** options for `SecretStoreProvider.gcpSecretManager()`. */
export interface GcpSecretManagerProviderOptions {
  /** the Google Cloud project that holds the secrets. */
  readonly projectId: string;
  /** the ServiceAccount bound to a Google service account (`WorkloadIdentity.gke`). */
  readonly serviceAccount: kplus.IServiceAccount;
  /**
   * The cluster's location, for the workload identity token exchange.
   *
   * @default - detected by the controller from the GKE metadata server
   */
  readonly clusterLocation?: string;
  /**
   * The cluster's name.
   *
   * @default - detected by the controller from the GKE metadata server
   */
  readonly clusterName?: string;
  /**
   * The project the cluster runs in.
   *
   * @default - detected by the controller from the GKE metadata server
   */
  readonly clusterProjectId?: string;
}

/** options for `SecretStoreProvider.azureKeyVault()`. */
export interface AzureKeyVaultProviderOptions {
  /** the vault's URL, `https://<name>.vault.azure.net`. */
  readonly vaultUrl: string;
  /** the ServiceAccount federated with a managed identity (`WorkloadIdentity.azure`). */
  readonly serviceAccount: kplus.IServiceAccount;
  /**
   * The Entra tenant.
   *
   * @default - the tenant annotated on the ServiceAccount
   */
  readonly tenantId?: string;
}

/** what a store needs to know about its provider to render and check it. */
interface ProviderDefinition {
  readonly name: string;
  readonly serviceAccount?: kplus.IServiceAccount;
  readonly staticCredentials?: string;
  readonly spec: (serviceAccountRef: (audiences?: string[]) => Record<string, unknown>) => Record<string, unknown>;
}

const DEFAULT_VAULT_AUDIENCES = ['vault'];

/**
 * How a `SecretStore` or `ClusterSecretStore` authenticates to its secret manager. The default
 * factories authenticate as a Kubernetes ServiceAccount (a short-lived token the controller
 * requests, or the cloud's workload identity federation); the two static-credential factories
 * need `exceptions.staticCredentials` with a reason on the store.
 *
 * @see https://external-secrets.io/latest/api/secretstore/
 */
export class SecretStoreProvider {
  /**
   * HashiCorp Vault, logged in through the Kubernetes auth method with a token the controller
   * requests for `serviceAccount`, bound to the `audiences`.
   *
   * @see https://external-secrets.io/latest/provider/hashicorp-vault/
   */
  public static vault(options: VaultProviderOptions): SecretStoreProvider {
    const server = httpsUrl('vault server', options.server);
    const audiences = options.audiences ?? DEFAULT_VAULT_AUDIENCES;
    if (!Array.isArray(audiences) || audiences.length === 0 || audiences.some((audience) => typeof audience !== 'string' || audience.trim() === '')) {
      throw new Error(`vault audiences is ${JSON.stringify(options.audiences)}: name the audience the Vault role requires, e.g. ["vault"]; a token without one is accepted by the Kubernetes API server too`);
    }
    nonEmpty('vault role', options.role);
    nonEmpty('vault path', options.path);
    return new SecretStoreProvider({
      name: 'vault',
      serviceAccount: serviceAccountOf('vault', options.serviceAccount),
      spec: (serviceAccountRef) => ({
        vault: {
          server,
          path: options.path,
          version: options.version ?? VaultKvVersion.V2,
          ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
          ...(options.caBundle !== undefined ? { caBundle: options.caBundle } : {}),
          auth: {
            kubernetes: {
              mountPath: options.mountPath ?? 'kubernetes',
              role: options.role,
              serviceAccountRef: serviceAccountRef([...audiences]),
            },
          },
        },
      }),
    });
  }

  /**
   * HashiCorp Vault with a static token read from a Kubernetes Secret: a long-lived credential,
   * allowed only with `exceptions.staticCredentials` on the store.
   */
  public static vaultToken(options: VaultTokenProviderOptions): SecretStoreProvider {
    const server = httpsUrl('vault server', options.server);
    nonEmpty('vault path', options.path);
    const token = secretKey('tokenSecret', options.tokenSecret);
    return new SecretStoreProvider({
      name: 'vault',
      staticCredentials: `a Vault token from Secret "${token.name}"`,
      spec: () => ({
        vault: { server, path: options.path, version: options.version ?? VaultKvVersion.V2, auth: { tokenSecretRef: token } },
      }),
    });
  }

  /**
   * AWS Secrets Manager through IRSA: the controller requests a web identity token for
   * `serviceAccount`, whose `eks.amazonaws.com/role-arn` annotation names the role.
   *
   * @see https://external-secrets.io/latest/provider/aws-secrets-manager/
   */
  public static awsSecretsManager(options: AwsSecretsManagerProviderOptions): SecretStoreProvider {
    const region = awsRegion(options.region);
    const account = serviceAccountOf('awsSecretsManager', options.serviceAccount, 'eks', 'WorkloadIdentity.eks({ roleArn })');
    if (options.role !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(options.role)) {
      throw new Error(`awsSecretsManager role is ${JSON.stringify(options.role)}: use an IAM role ARN such as arn:aws:iam::123456789012:role/secrets-reader, or leave it out`);
    }
    return new SecretStoreProvider({
      name: 'aws',
      serviceAccount: account,
      spec: (serviceAccountRef) => ({
        aws: {
          service: 'SecretsManager',
          region,
          ...(options.role !== undefined ? { role: options.role } : {}),
          auth: { jwt: { serviceAccountRef: serviceAccountRef() } },
        },
      }),
    });
  }

  /**
   * AWS Secrets Manager with static IAM user keys read from a Kubernetes Secret: allowed only
   * with `exceptions.staticCredentials` on the store.
   */
  public static awsAccessKeys(options: AwsAccessKeysProviderOptions): SecretStoreProvider {
    const region = awsRegion(options.region);
    const accessKeyId = secretKey('accessKeyId', options.accessKeyId);
    const secretAccessKey = secretKey('secretAccessKey', options.secretAccessKey);
    return new SecretStoreProvider({
      name: 'aws',
      staticCredentials: `IAM access keys from Secret "${accessKeyId.name}"`,
      spec: () => ({
        aws: {
          service: 'SecretsManager',
          region,
          auth: { secretRef: { accessKeyIDSecretRef: accessKeyId, secretAccessKeySecretRef: secretAccessKey } },
        },
      }),
    });
  }

  /**
   * Google Secret Manager through GKE Workload Identity: `serviceAccount` carries the
   * `iam.gke.io/gcp-service-account` annotation.
   *
   * @see https://external-secrets.io/latest/provider/google-secrets-manager/
   */
  public static gcpSecretManager(options: GcpSecretManagerProviderOptions): SecretStoreProvider {
    if (typeof options.projectId !== 'string' || !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(options.projectId)) {
      throw new Error(`gcpSecretManager projectId is ${JSON.stringify(options.projectId)}: use a Google Cloud project id such as my-project-123`);
    }
    const account = serviceAccountOf('gcpSecretManager', options.serviceAccount, 'gke', 'WorkloadIdentity.gke({ serviceAccountEmail })');
    return new SecretStoreProvider({
      name: 'gcpsm',
      serviceAccount: account,
      spec: (serviceAccountRef) => ({
        gcpsm: {
          projectID: options.projectId,
          auth: {
            workloadIdentity: {
              ...(options.clusterLocation !== undefined ? { clusterLocation: options.clusterLocation } : {}),
              ...(options.clusterName !== undefined ? { clusterName: options.clusterName } : {}),
              ...(options.clusterProjectId !== undefined ? { clusterProjectID: options.clusterProjectId } : {}),
              serviceAccountRef: serviceAccountRef(),
            },
          },
        },
      }),
    });
  }

  /**
   * Azure Key Vault through Azure AD Workload Identity: `serviceAccount` carries the
   * `azure.workload.identity/client-id` annotation.
   *
   * @see https://external-secrets.io/latest/provider/azure-key-vault/
   */
  public static azureKeyVault(options: AzureKeyVaultProviderOptions): SecretStoreProvider {
    const vaultUrl = httpsUrl('azureKeyVault vaultUrl', options.vaultUrl);
    const account = serviceAccountOf('azureKeyVault', options.serviceAccount, 'azure', 'WorkloadIdentity.azure({ clientId })');
    return new SecretStoreProvider({
      name: 'azurekv',
      serviceAccount: account,
      spec: (serviceAccountRef) => ({
        azurekv: {
          authType: 'WorkloadIdentity',
          vaultUrl,
          ...(options.tenantId !== undefined ? { tenantId: options.tenantId } : {}),
          serviceAccountRef: serviceAccountRef(),
        },
      }),
    });
  }

  /** the provider's key under `spec.provider`: `vault`, `aws`, `gcpsm`, `azurekv`. */
  public readonly name: string;
  /** the ServiceAccount the store authenticates as; undefined for static credentials. */
  public readonly serviceAccount?: kplus.IServiceAccount;
  /** what static credential the provider reads, when it reads one; such a store needs `exceptions.staticCredentials`. */
  public readonly staticCredentials?: string;
  private readonly render: ProviderDefinition['spec'];

  private constructor(definition: ProviderDefinition) {
    this.name = definition.name;
    this.serviceAccount = definition.serviceAccount;
    this.staticCredentials = definition.staticCredentials;
    this.render = definition.spec;
  }

  /**
   * The `spec.provider` object. `serviceAccountNamespace` is written into `serviceAccountRef`
   * (a ClusterSecretStore needs it; a SecretStore always uses its own namespace).
   */
  public toProviderSpec(serviceAccountNamespace?: string): Record<string, unknown> {
    const name = this.serviceAccount?.name;
    return this.render((audiences) => ({
      name,
      ...(serviceAccountNamespace !== undefined ? { namespace: serviceAccountNamespace } : {}),
      ...(audiences !== undefined ? { audiences } : {}),
    }));
  }
}

/** the namespace of a ServiceAccount construct, when it can be told. */
export function serviceAccountNamespaceOf(account: kplus.IServiceAccount): string | undefined {
  if (account instanceof MinimalServiceAccount) return account.namespaceName;
  const namespace = (account as { metadata?: { namespace?: unknown } }).metadata?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

function serviceAccountOf(prop: string, account: kplus.IServiceAccount, cloud?: 'eks' | 'gke' | 'azure', fix?: string): kplus.IServiceAccount {
  if (!account || typeof account.name !== 'string') {
    throw new Error(`${prop} serviceAccount is missing: pass the MinimalServiceAccount the store authenticates as`);
  }
  validateDnsLabel(`${prop} serviceAccount name`, account.name);
  if (account.name === 'default') {
    throw new Error(`${prop} serviceAccount is "default": the namespace's default account is shared by every pod; give the store its own MinimalServiceAccount`);
  }
  if (cloud && account instanceof MinimalServiceAccount && account.workloadIdentity?.provider !== cloud) {
    const has = account.workloadIdentity ? `a ${account.workloadIdentity.provider} workload identity` : 'no workload identity';
    throw new Error(`${prop} serviceAccount "${account.name}" has ${has}: create it with workloadIdentity: ${fix}, so the controller can exchange its token for cloud credentials`);
  }
  return account;
}

function httpsUrl(prop: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.username !== '' || url.password !== '') {
    throw new Error(`${prop} is ${JSON.stringify(value)}: use an https:// URL without credentials, e.g. "https://vault.example.com:8200"`);
  }
  return value;
}

function awsRegion(region: string): string {
  if (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new Error(`region is ${JSON.stringify(region)}: use an AWS region such as eu-west-1`);
  }
  return region;
}

function nonEmpty(prop: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${prop} is ${JSON.stringify(value)}: it must not be empty`);
}

function secretKey(prop: string, reference: SecretKeyReference): SecretKeyReference {
  validateDnsLabel(`${prop}.name`, reference?.name);
  if (typeof reference.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(reference.key)) {
    throw new Error(`${prop}.key is ${JSON.stringify(reference.key)}: use a Secret key (letters, digits, '-', '_' and '.')`);
  }
  return { name: reference.name, key: reference.key };
}
