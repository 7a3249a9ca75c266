import { RuleIds } from '../../../model/rule-ids';
import { findSecretLiterals } from '../../../model/secret-literals';
import { asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { fieldPath } from '../rule-helpers';

/**
 * Flags a ConfigMap value that looks like a credential, by the same test as
 * `secret-literal-in-env`: a ConfigMap is readable by anyone who may read configuration, is
 * never encrypted at rest and is printed by `kubectl describe`.
 */
export const secretLiteralInConfigMapRule: Rule = {
  id: RuleIds.SECRET_LITERAL_IN_CONFIG_MAP,
  title: 'Credential written into a ConfigMap',
  description: 'Indicates when a ConfigMap\'s data holds what looks like a credential, by the same test as secret-literal-in-env (known key formats, a URL with a password, a PEM private key, a long high-entropy token); ConfigMaps are not encrypted at rest, are shown by kubectl describe, and are readable by every role that may read configuration. binaryData is not scanned.',
  severity: 'error',
  remediation: 'Move the value into a secret store (ExternalSecret or SecretProviderClass) and mount it as a read-only file; keep only non-secret configuration in the ConfigMap, and rotate the exposed credential.',
  references: {
    links: [
      'https://kubernetes.io/docs/concepts/configuration/configmap/',
      'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
    ],
  },
  kinds: ['ConfigMap'],
  check(object) {
    const data = asRecord(object.data);
    if (!data) return [];
    const name = JSON.stringify(asRecord(object.metadata)?.name ?? '');
    const violations: Violation[] = [];
    for (const key of Object.keys(data).sort()) {
      const value = data[key];
      if (typeof value !== 'string') continue;
      const [match] = findSecretLiterals(value);
      if (!match) continue;
      violations.push({
        message: `ConfigMap ${name} holds a literal ${match.kind} (${match.preview}) in key ${JSON.stringify(key)}`,
        path: fieldPath('data', key),
      });
    }
    return violations;
  },
};
