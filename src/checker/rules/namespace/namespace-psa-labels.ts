import { RuleIds } from '../../../model/rule-ids';
import { asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { fieldPath } from '../rule-helpers';

export const PSA_LABEL_MODES = ['enforce', 'audit', 'warn'] as const;
export const PSA_LABEL_LEVEL = 'restricted';
// a pinned minor version such as v1.28; `latest` moves with every cluster upgrade.
export const PINNED_VERSION = /^v1\.\d+$/;

/** flags a Namespace that does not enforce, audit and warn at Pod Security `restricted` with pinned versions. */
export const namespacePsaLabelsRule: Rule = {
  id: RuleIds.NAMESPACE_PSA_LABELS,
  title: 'Namespace without pinned restricted Pod Security labels',
  description: 'Indicates when a Namespace does not set pod-security.kubernetes.io/enforce, audit and warn to restricted, each with a pinned version such as v1.28.',
  severity: 'error',
  remediation: 'Label the Namespace with pod-security.kubernetes.io/enforce, audit and warn set to restricted, and the matching -version labels set to a pinned version such as v1.28.',
  references: {
    cis: ['5.2.1'],
    links: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/'],
  },
  kinds: ['Namespace'],
  check(object) {
    const labels = asRecord(asRecord(object.metadata)?.labels) ?? {};
    const violations: Violation[] = [];
    for (const mode of PSA_LABEL_MODES) {
      const levelKey = `pod-security.kubernetes.io/${mode}`;
      const versionKey = `${levelKey}-version`;
      const level = labels[levelKey];
      if (level !== PSA_LABEL_LEVEL) {
        violations.push({
          message: level === undefined
            ? `label "${levelKey}" is missing; set it to "${PSA_LABEL_LEVEL}"`
            : `label "${levelKey}" is ${JSON.stringify(level)}; set it to "${PSA_LABEL_LEVEL}"`,
          path: fieldPath('metadata.labels', levelKey),
        });
      }
      const version = labels[versionKey];
      if (typeof version !== 'string' || !PINNED_VERSION.test(version)) {
        violations.push({
          message: version === undefined
            ? `label "${versionKey}" is missing, so the policy follows "latest"; pin it to a version such as "v1.28"`
            : `label "${versionKey}" is ${JSON.stringify(version)}; pin it to a version such as "v1.28"`,
          path: fieldPath('metadata.labels', versionKey),
        });
      }
    }
    return violations;
  },
};
