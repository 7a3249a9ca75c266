import { checkEachContainer, malformedViolation, pssRule, readField, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Violation } from '../../types';

/** SELinux types a pod or container may set (v1.28; `container_engine_t` only arrives in v1.31). */
export const ALLOWED_SE_LINUX_TYPES: readonly string[] = ['', 'container_t', 'container_init_t', 'container_kvm_t'];

/** the seLinuxOptions findings of one security context (pod or container). */
function seLinuxViolations(owner: string, holder: Record<string, unknown>, basePath: string): Violation[] {
  const read = readField(holder, ['securityContext', 'seLinuxOptions'], basePath);
  if (read.state === 'absent') return [];
  if (read.state === 'malformed') return [malformedViolation(owner, read)];
  const options = read.value;
  if (typeof options !== 'object' || Array.isArray(options)) {
    return [malformedViolation(owner, { path: read.path, key: 'seLinuxOptions' })];
  }
  const record = options as Record<string, unknown>;
  const violations: Violation[] = [];
  const type = record.type;
  if (type !== undefined && type !== null && !(typeof type === 'string' && ALLOWED_SE_LINUX_TYPES.includes(type))) {
    violations.push({ message: `${owner} sets seLinuxOptions.type ${show(type)}, which is not container_t, container_init_t or container_kvm_t`, path: `${read.path}.type` });
  }
  for (const field of ['user', 'role'] as const) {
    const value = record[field];
    if (value === undefined || value === null || value === '') continue;
    violations.push({ message: `${owner} sets seLinuxOptions.${field} ${show(value)}`, path: `${read.path}.${field}` });
  }
  return violations;
}

/** PSS baseline: custom SELinux user or role and non-container SELinux types are forbidden. */
export const pssSeLinuxOptions = pssRule({
  id: RuleIds.PSS_SE_LINUX_OPTIONS,
  title: 'SELinux options',
  description: 'Indicates when a pod or container sets an SELinux type other than container_t, container_init_t or container_kvm_t, or sets a custom SELinux user or role.',
  remediation: 'Remove seLinuxOptions.user and seLinuxOptions.role, and leave seLinuxOptions.type unset or use container_t, container_init_t or container_kvm_t.',
  level: 'baseline',
  check: 'seLinuxOptions',
  nsa: ['C-0055'],
  evaluate: (pod) => [
    ...seLinuxViolations('pod', pod.spec, pod.specPath),
    ...checkEachContainer(pod, (container) => seLinuxViolations(container.label, container.container, container.fullPath)),
  ],
});
