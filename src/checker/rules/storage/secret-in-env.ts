import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord, POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { asString, describeContainer, workloadContainers } from '../rule-helpers';

/** flags Secrets exposed to a container as environment variables. */
export const secretInEnvRule: Rule = {
  id: RuleIds.SECRET_IN_ENV,
  title: 'Secret in environment variables',
  description: 'Indicates when a container reads a Secret through env[].valueFrom.secretKeyRef or envFrom[].secretRef: environment variables are inherited by every child process, readable in /proc/<pid>/environ, and end up in crash dumps and debug output, where a mounted file does not.',
  severity: 'warning',
  remediation: 'Mount the Secret as a read-only volume (or a projected volume) and have the application read the file.',
  references: {
    cis: ['5.4.1'],
    nsa: ['C-0012'],
    links: ['https://kubernetes.io/docs/concepts/security/secrets-good-practices/', 'https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod'],
  },
  kinds: POD_SPEC_KINDS,
  check(object) {
    const violations: Violation[] = [];
    for (const container of workloadContainers(object)) {
      const spec = container.container;
      asArray(spec.env).forEach((item, index) => {
        const ref = asRecord(asRecord(asRecord(item)?.valueFrom)?.secretKeyRef);
        if (!ref) return;
        violations.push({
          message: `${describeContainer(container)} reads key ${JSON.stringify(asString(ref.key) ?? '')} of Secret ${JSON.stringify(asString(ref.name) ?? '')} into env ${JSON.stringify(asString(asRecord(item)?.name) ?? '')}`,
          path: `${container.fullPath}.env[${index}].valueFrom.secretKeyRef`,
        });
      });
      asArray(spec.envFrom).forEach((item, index) => {
        const ref = asRecord(asRecord(item)?.secretRef);
        if (!ref) return;
        violations.push({
          message: `${describeContainer(container)} loads every key of Secret ${JSON.stringify(asString(ref.name) ?? '')} into its environment`,
          path: `${container.fullPath}.envFrom[${index}].secretRef`,
        });
      });
    }
    return violations;
  },
};
