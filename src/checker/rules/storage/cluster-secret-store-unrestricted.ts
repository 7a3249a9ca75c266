import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';

/** true when a label selector has no requirement, so it selects every namespace. */
function selectsEverything(selector: Record<string, unknown>): boolean {
  const labels = asRecord(selector.matchLabels);
  const expressions = selector.matchExpressions;
  return !(labels && Object.keys(labels).length > 0) && !(Array.isArray(expressions) && expressions.length > 0);
}

/**
 * Flags a ClusterSecretStore that every namespace may use: no `conditions` at all, or a condition
 * whose `namespaceSelector` is empty. Any ExternalSecret in any namespace can then read every
 * secret the store's identity reaches.
 */
export const clusterSecretStoreUnrestrictedRule: Rule = {
  id: RuleIds.CLUSTER_SECRET_STORE_UNRESTRICTED,
  title: 'ClusterSecretStore open to every namespace',
  description: 'Indicates when an External Secrets ClusterSecretStore has no conditions, or a condition with an empty namespaceSelector, so an ExternalSecret in any namespace (one a tenant or a compromised CI job can write to) can read every secret the store\'s identity reaches. namespaceRegexes are not judged.',
  severity: 'error',
  remediation: 'List the namespaces that may use the store in spec.conditions (namespaces, or a namespaceSelector with labels only the platform sets), or use a namespaced SecretStore per namespace.',
  references: {
    links: [
      'https://external-secrets.io/latest/guides/security-best-practices/',
      'https://external-secrets.io/latest/api/clustersecretstore/',
    ],
  },
  kinds: ['ClusterSecretStore'],
  check(object) {
    const name = JSON.stringify(asRecord(object.metadata)?.name ?? '');
    const conditions = asRecord(object.spec)?.conditions;
    if (!Array.isArray(conditions) || conditions.length === 0) {
      return [{ message: `ClusterSecretStore ${name} has no conditions, so ExternalSecrets of every namespace may use it`, path: 'spec.conditions' }];
    }
    const violations: Violation[] = [];
    asArray(conditions).forEach((item, index) => {
      const selector = asRecord(asRecord(item)?.namespaceSelector);
      if (selector && selectsEverything(selector)) {
        violations.push({
          message: `ClusterSecretStore ${name} condition ${index} has an empty namespaceSelector, which selects every namespace`,
          path: `spec.conditions[${index}].namespaceSelector`,
        });
      }
    });
    return violations;
  },
};
