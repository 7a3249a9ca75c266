import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { EXTERNAL_SECRETS_API_VERSION, ISecretStore, SecretStoreExceptions, storeAnnotations } from './secret-store';
import { SecretStoreProvider, serviceAccountNamespaceOf } from './secret-store-provider';
import { recordObjectPaths } from '../construct-helpers/construct-paths';
import { validateDnsLabel } from '../construct-helpers/names';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import { keepClusterScoped } from '../network/policy-helpers';

/** props for `ClusterSecretStore`. */
export interface ClusterSecretStoreProps {
  /**
   * The store's name.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /** the secret manager and how the controller authenticates to it. */
  readonly provider: SecretStoreProvider;
  /**
   * The namespaces whose ExternalSecrets may use the store, written as the store's `conditions`.
   * Required: an unconditioned ClusterSecretStore hands every secret it can read to every
   * namespace.
   */
  readonly namespaces: string[];
  /**
   * The namespace of the provider's ServiceAccount.
   *
   * @default - the account's own namespace (a `MinimalServiceAccount` knows it)
   */
  readonly serviceAccountNamespace?: string;
  /**
   * Reasoned exceptions.
   *
   * @default - none
   */
  readonly exceptions?: SecretStoreExceptions;
}

/**
 * An External Secrets Operator `ClusterSecretStore` (`external-secrets.io/v1`), always limited
 * to a list of namespaces through `conditions` (ESO's security guidance). Prefer a namespaced
 * `SecretStore`; use this when one identity serves several namespaces.
 *
 * @see https://external-secrets.io/latest/api/clustersecretstore/
 */
export class ClusterSecretStore extends Construct implements ISecretStore {
  /** the underlying object. */
  public readonly resource: ApiObject;
  public readonly storeName: string;
  public readonly storeKind = 'ClusterSecretStore';
  public readonly allowedNamespaces: readonly string[];

  constructor(scope: Construct, id: string, props: ClusterSecretStoreProps) {
    super(scope, id);
    recordObjectPaths(this);
    if (!(props?.provider instanceof SecretStoreProvider)) {
      throw new Error('provider is missing: pass one of SecretStoreProvider.vault(), awsSecretsManager(), gcpSecretManager() or azureKeyVault()');
    }
    if (!Array.isArray(props.namespaces) || props.namespaces.length === 0) {
      throw new Error(`namespaces is ${JSON.stringify(props.namespaces)}: list the namespaces that may use the store; without conditions a ClusterSecretStore serves every namespace`);
    }
    const namespaces = [...new Set(props.namespaces.map((namespace, index) => validateDnsLabel(`namespaces[${index}]`, namespace)))].sort();
    this.allowedNamespaces = namespaces;
    this.storeName = validateDnsLabel('name', props.name ?? id);
    const annotations = storeAnnotations(props.provider, props.exceptions ?? {});
    const account = props.provider.serviceAccount;
    let accountNamespace: string | undefined;
    if (account) {
      accountNamespace = props.serviceAccountNamespace !== undefined
        ? validateDnsLabel('serviceAccountNamespace', props.serviceAccountNamespace)
        : serviceAccountNamespaceOf(account);
      if (accountNamespace === undefined) {
        throw new Error(`serviceAccountNamespace is unset and ServiceAccount "${account.name}" has no namespace: a ClusterSecretStore must name the account's namespace; set serviceAccountNamespace`);
      }
    }
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'ClusterSecretStore',
      metadata: {
        name: this.storeName,
        labels: { [Labels.MANAGED_BY]: MANAGED_BY_VALUE },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: {
        provider: props.provider.toProviderSpec(accountNamespace),
        conditions: [{ namespaces }],
      },
    });
    keepClusterScoped(this.resource);
  }
}
