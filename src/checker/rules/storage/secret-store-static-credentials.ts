import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { fieldPath } from '../rule-helpers';

/** the kinds of External Secrets Operator that authenticate to a provider. */
export const SECRET_STORE_KINDS = ['SecretStore', 'ClusterSecretStore'] as const;

/** a field that points at a Kubernetes Secret holding a credential: `secretRef`, `tokenSecretRef`, `accessKeyIDSecretRef`, `authSecretRef`... */
const CREDENTIAL_REFERENCE = /secretref$/i;

/** the credential references under `node`, outermost first; a matched field is not searched further. */
function credentialReferences(node: unknown, path: string, depth: number, found: string[]): void {
  if (depth > 10) return;
  if (Array.isArray(node)) {
    node.forEach((item, index) => credentialReferences(item, `${path}[${index}]`, depth + 1, found));
    return;
  }
  const record = asRecord(node);
  if (!record) return;
  for (const key of Object.keys(record).sort()) {
    const child = fieldPath(path, key);
    if (CREDENTIAL_REFERENCE.test(key) && (asRecord(record[key]) || asArray(record[key]).length > 0)) found.push(child);
    else credentialReferences(record[key], child, depth + 1, found);
  }
}

/**
 * Flags a SecretStore or ClusterSecretStore that authenticates to its provider with a credential
 * read from a Kubernetes Secret (static access keys, a Vault token, a client secret, a legacy
 * ServiceAccount token Secret) instead of the workload identity or a projected ServiceAccount
 * token (`serviceAccountRef`).
 */
export const secretStoreStaticCredentialsRule: Rule = {
  id: RuleIds.SECRET_STORE_STATIC_CREDENTIALS,
  title: 'Secret store authenticated with static credentials',
  description: 'Indicates when an External Secrets SecretStore or ClusterSecretStore reads its provider credential from a Kubernetes Secret (any *SecretRef field under spec.provider: AWS access keys, a Vault token or AppRole secret, an Azure client secret, a GCP key file): a long-lived key that does not rotate, sits in etcd and opens every secret the store can read.',
  severity: 'error',
  remediation: 'Authenticate with a ServiceAccount: serviceAccountRef for Vault kubernetes or JWT auth and AWS (IRSA), workloadIdentity for GCP, authType WorkloadIdentity for Azure, so the controller requests a short-lived, audience-bound token.',
  references: {
    links: [
      'https://external-secrets.io/latest/guides/security-best-practices/',
      'https://external-secrets.io/latest/provider/aws-secrets-manager/',
      'https://external-secrets.io/latest/provider/hashicorp-vault/',
    ],
  },
  kinds: SECRET_STORE_KINDS,
  check(object) {
    const found: string[] = [];
    credentialReferences(asRecord(asRecord(object.spec)?.provider), 'spec.provider', 0, found);
    const kind = String(object.kind);
    const name = JSON.stringify(asRecord(object.metadata)?.name ?? '');
    return found.map((path): Violation => ({
      message: `${kind} ${name} authenticates with a credential from a Kubernetes Secret (${path.split('.').slice(-1)[0]}) instead of a ServiceAccount token`,
      path,
    }));
  },
};
