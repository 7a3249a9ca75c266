import { RuleIds } from '../../../model/rule-ids';
import { asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { fieldPath } from '../rule-helpers';

/** a SOPS-encrypted value: `ENC[AES256_GCM,data:...,type:str]`. */
const SOPS_VALUE = /^ENC\[[A-Z0-9_]+,data:.*\]$/s;
/** a value that is only a `${VAR}` / `$(VAR)` placeholder, filled in at deploy time (Flux post-build substitution, envsubst). */
const PLACEHOLDER = /^\s*(?:\$\{[A-Za-z_][A-Za-z0-9_.:-]*\}|\$\([A-Za-z_][A-Za-z0-9_.-]*\))\s*$/;

/** true when a committed value holds a secret: non-empty, not encrypted by SOPS, not a deploy-time placeholder. */
function holdsValue(value: unknown): boolean {
  if (typeof value !== 'string') return value !== null && value !== undefined;
  return value.trim() !== '' && !SOPS_VALUE.test(value) && !PLACEHOLDER.test(value);
}

/**
 * Flags a Secret whose manifest carries values in `data` or `stringData`: the repository then
 * holds the credential in clear text (base64 is an encoding), readable by everyone who can read
 * the repository and kept in its history after rotation.
 */
export const secretCommittedDataRule: Rule = {
  id: RuleIds.SECRET_COMMITTED_DATA,
  title: 'Secret values committed with the manifests',
  description: 'Indicates when a Secret carries values in data or stringData, so the credential sits in clear text (base64 is only an encoding) in the repository and its history; Secrets of a type that is filled in-cluster (a ServiceAccount token) or written empty are not flagged, nor are SOPS-encrypted values (ENC[...] or a top-level sops block) and values that are only a ${VAR} placeholder filled at deploy time.',
  severity: 'error',
  remediation: 'Keep the value in a secret store and sync it with an ExternalSecret (or mount it with a SecretProviderClass), or commit it encrypted (SealedSecret, SOPS); then rotate the exposed credential, since git history keeps it.',
  references: {
    cis: ['5.4.2'],
    links: [
      'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
      'https://external-secrets.io/latest/api/externalsecret/',
      'https://secrets-store-csi-driver.sigs.k8s.io/concepts',
    ],
  },
  kinds: ['Secret'],
  check(object) {
    // a SOPS-encrypted file: the values are ciphertext, decrypted only by the deploying controller.
    if (asRecord(object.sops)) return [];
    const name = JSON.stringify(asRecord(object.metadata)?.name ?? '');
    const violations: Violation[] = [];
    for (const field of ['data', 'stringData'] as const) {
      const values = asRecord(object[field]);
      if (!values) continue;
      for (const key of Object.keys(values).sort()) {
        if (!holdsValue(values[key])) continue;
        violations.push({
          message: `Secret ${name} carries the value of key ${JSON.stringify(key)} in ${field}, in clear text in the repository`,
          path: fieldPath(field, key),
        });
      }
    }
    return violations;
  },
};
