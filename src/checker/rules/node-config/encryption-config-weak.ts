import { nodeConfigOf } from './node-config-helpers';
import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';

const providerOf = (value: unknown) => Object.keys(asRecord(value) ?? {})[0] ?? '(none)';
const coversSecrets = (resources: unknown[]) => resources.some((resource) => ['secrets', '*.', '*.*'].includes(String(resource)));

/**
 * Flags an EncryptionConfiguration that leaves Secrets readable in etcd: no entry for them,
 * `identity` (plaintext) first, `aesgcm` (unsafe without automated rotation), KMS v1 (an empty
 * `apiVersion` means v1), or a last entry whose first provider is not one CIS accepts (kube-bench's
 * 1.2.29 reads exactly that line).
 */
export const encryptionConfigWeakRule: Rule = {
  id: RuleIds.ENCRYPTION_CONFIG_WEAK,
  title: 'Secrets not encrypted at rest',
  description: 'Indicates when an EncryptionConfiguration does not encrypt Secrets, writes them in plaintext (identity first), uses aesgcm or KMS v1, or ends with an entry whose first provider is not kms, secretbox or aescbc.',
  severity: 'error',
  remediation: 'Encrypt secrets with a KMS v2 provider (apiVersion: v2) or secretbox first, keep identity only last for reading old data, and put plaintext exemptions before the encrypted entry.',
  references: {
    cis: ['1.2.29'],
    links: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'],
  },
  kinds: ['EncryptionConfiguration'],
  check(object) {
    if (!nodeConfigOf(object, 'EncryptionConfiguration')) return [];
    const violations: Violation[] = [];
    const entries = asArray(object.resources).map((entry) => asRecord(entry) ?? {});
    const secretsAt = entries.findIndex((entry) => coversSecrets(asArray(entry.resources)));
    if (secretsAt < 0) violations.push({ message: 'no entry covers secrets: Secrets are stored in plaintext', path: 'resources' });
    entries.forEach((entry, index) => {
      const providers = asArray(entry.providers);
      const first = providerOf(providers[0]);
      if (index === secretsAt && first === 'identity') {
        violations.push({ message: 'the entry for secrets writes with identity first: new Secrets are stored in plaintext', path: `resources[${index}].providers[0]` });
      }
      providers.forEach((provider, at) => {
        const type = providerOf(provider);
        if (type === 'aesgcm') violations.push({ message: 'aesgcm must be rotated every 200,000 writes and is rejected by CIS 1.2.29: use kms (v2) or secretbox', path: `resources[${index}].providers[${at}]` });
        if (type === 'kms' && asRecord(asRecord(provider)?.kms)?.apiVersion !== 'v2') {
          violations.push({ message: 'kms without apiVersion: v2 is KMS v1, deprecated in 1.28 and off by default from 1.29', path: `resources[${index}].providers[${at}].kms.apiVersion` });
        }
      });
    });
    const last = entries.length - 1;
    if (last >= 0 && secretsAt >= 0) {
      const first = providerOf(asArray(entries[last].providers)[0]);
      if (!['kms', 'secretbox', 'aescbc'].includes(first)) {
        violations.push({ message: `the last entry starts with ${first}: CIS 1.2.29 reads only that provider, put plaintext exemptions before the encrypted entry`, path: `resources[${last}].providers[0]` });
      }
    }
    return violations;
  },
};
