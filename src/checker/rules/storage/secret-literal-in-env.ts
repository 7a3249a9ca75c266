import { RuleIds } from '../../../model/rule-ids';
import { findSecretLiterals, HIGH_ENTROPY } from '../../../model/secret-literals';
import { asArray, asRecord, POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { asString, describeContainer, workloadContainers } from '../rule-helpers';

/**
 * Flags an environment variable whose literal `value` looks like a credential: a known key
 * format, a URL with a password, a private key, or a long high-entropy string.
 */
export const secretLiteralInEnvRule: Rule = {
  id: RuleIds.SECRET_LITERAL_IN_ENV,
  title: 'Credential written into an env value',
  description: `Indicates when a container's env[].value holds what looks like a credential: a known key format (AWS AKIA/ASIA key ids, GitHub ghp_/github_pat_, GitLab glpat-, Slack xox*- tokens and webhooks, Stripe sk_live_/sk_test_, Google AIza keys, npm tokens, PEM private keys), a URL with a password, or a token of at least ${HIGH_ENTROPY.MIN_LENGTH} base64 characters mixing upper case, lower case and digits whose entropy is at the level of random data (${HIGH_ENTROPY.BASE_BITS} bits per character at ${HIGH_ENTROPY.MIN_LENGTH} characters, rising to ${HIGH_ENTROPY.MAX_BITS}); $(VAR) references, paths and URLs without a password are skipped.`,
  severity: 'error',
  remediation: 'Move the value into a secret store (ExternalSecret or SecretProviderClass), mount it as a read-only file and point the application at the file; rotate the exposed credential, since the repository history keeps it.',
  references: {
    cis: ['5.4.1'],
    links: [
      'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
      'https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml',
    ],
  },
  kinds: POD_SPEC_KINDS,
  check(object) {
    const violations: Violation[] = [];
    for (const container of workloadContainers(object)) {
      asArray(container.container.env).forEach((item, index) => {
        const value = asString(asRecord(item)?.value);
        if (value === undefined) return;
        const [match] = findSecretLiterals(value);
        if (!match) return;
        violations.push({
          message: `${describeContainer(container)} sets env ${JSON.stringify(asString(asRecord(item)?.name) ?? '')} to a literal ${match.kind} (${match.preview})`,
          path: `${container.fullPath}.env[${index}].value`,
        });
      });
    }
    return violations;
  },
};
