import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { SecretStoreProvider, serviceAccountNamespaceOf } from './secret-store-provider';
import { recordObjectPaths } from '../construct-helpers/construct-paths';
import { namespaceOf, validateDnsLabel } from '../construct-helpers/names';
import { exceptionAnnotations, SecurityException } from '../model/exceptions';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import { RuleIds } from '../model/rule-ids';

/** the External Secrets Operator API this library emits: `v1` only (`v1beta1` is no longer served since ESO 0.17). */
export const EXTERNAL_SECRETS_API_VERSION = 'external-secrets.io/v1';

/** what an `ExternalSecret` needs to know about the store it reads from. */
export interface ISecretStore {
  /** the store's name. */
  readonly storeName: string;
  /** `SecretStore` or `ClusterSecretStore`. */
  readonly storeKind: string;
  /** the namespace of a SecretStore; undefined for a ClusterSecretStore. */
  readonly namespaceName?: string;
  /** the namespaces a ClusterSecretStore serves; undefined for a SecretStore. */
  readonly allowedNamespaces?: readonly string[];
}

/** reasoned exceptions of a secret store. */
export interface SecretStoreExceptions {
  /**
   * Authenticate with a credential read from a Kubernetes Secret
   * (`SecretStoreProvider.vaultToken`, `SecretStoreProvider.awsAccessKeys`).
   *
   * @default - static credentials throw
   */
  readonly staticCredentials?: SecurityException;
}

/** props for `SecretStore`. */
export interface SecretStoreProps {
  /**
   * The store's name.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace; the store serves ExternalSecrets of this namespace only.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** the secret manager and how the controller authenticates to it. */
  readonly provider: SecretStoreProvider;
  /**
   * Reasoned exceptions.
   *
   * @default - none
   */
  readonly exceptions?: SecretStoreExceptions;
}

/** checks the static-credential exception against the provider; returns the store's annotations. */
export function storeAnnotations(provider: SecretStoreProvider, exceptions: SecretStoreExceptions): Record<string, string> {
  if (provider.staticCredentials !== undefined && exceptions.staticCredentials === undefined) {
    throw new Error(`provider reads ${provider.staticCredentials}, a long-lived credential that never rotates: authenticate as a ServiceAccount (SecretStoreProvider.vault, awsSecretsManager, gcpSecretManager or azureKeyVault), or add exceptions.staticCredentials with a reason`);
  }
  if (provider.staticCredentials === undefined && exceptions.staticCredentials !== undefined) {
    throw new Error(`exceptions.staticCredentials is set but the ${provider.name} provider authenticates as ServiceAccount "${provider.serviceAccount?.name}": drop the exception`);
  }
  return exceptions.staticCredentials
    ? exceptionAnnotations('exceptions.staticCredentials', exceptions.staticCredentials, [RuleIds.SECRET_STORE_STATIC_CREDENTIALS])
    : {};
}

/**
 * An External Secrets Operator `SecretStore` (`external-secrets.io/v1`): how the controller
 * reaches one secret manager for the ExternalSecrets of one namespace.
 *
 * By default it authenticates as a ServiceAccount of the same namespace: Vault's Kubernetes auth
 * with an audience-bound token the controller requests for that account, or the cloud's workload
 * identity (EKS IRSA, GKE Workload Identity, Azure Workload Identity) written on the account by
 * `MinimalServiceAccount`. Static credentials need a reasoned exception, recorded as an
 * annotation. Installing the operator itself is out of the library's scope.
 *
 * @see https://external-secrets.io/latest/api/secretstore/
 */
export class SecretStore extends Construct implements ISecretStore {
  /** the underlying object. */
  public readonly resource: ApiObject;
  public readonly storeName: string;
  public readonly storeKind = 'SecretStore';
  public readonly namespaceName?: string;
  /** the provider. */
  public readonly provider: SecretStoreProvider;

  constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id);
    recordObjectPaths(this);
    if (!(props?.provider instanceof SecretStoreProvider)) {
      throw new Error('provider is missing: pass one of SecretStoreProvider.vault(), awsSecretsManager(), gcpSecretManager() or azureKeyVault()');
    }
    this.storeName = validateDnsLabel('name', props.name ?? id);
    this.namespaceName = namespaceOf(this, props.namespace);
    this.provider = props.provider;
    const annotations = storeAnnotations(props.provider, props.exceptions ?? {});
    const account = props.provider.serviceAccount;
    const accountNamespace = account ? serviceAccountNamespaceOf(account) : undefined;
    if (account && accountNamespace !== undefined && this.namespaceName !== undefined && accountNamespace !== this.namespaceName) {
      throw new Error(`provider serviceAccount "${account.name}" is in namespace "${accountNamespace}" but the SecretStore is in "${this.namespaceName}": a SecretStore authenticates only as an account of its own namespace; create the account there, or use a ClusterSecretStore`);
    }
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'SecretStore',
      metadata: {
        name: this.storeName,
        namespace: this.namespaceName,
        labels: { [Labels.MANAGED_BY]: MANAGED_BY_VALUE },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: { provider: props.provider.toProviderSpec() },
    });
  }
}
