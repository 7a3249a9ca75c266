import type { TwinTarget } from './twin';
import { admissionTwinOf } from './twins';
import { ALL_RULES } from '../checker/rules';

const TARGET_LABELS: Record<TwinTarget, string> = {
  'pod-spec': 'Pods (and pods/ephemeralcontainers), Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, PodTemplates',
  'role': 'Roles, ClusterRoles',
  'binding': 'RoleBindings, ClusterRoleBindings',
  'service': 'Services',
  'namespace': 'Namespaces',
  'network-policy': 'NetworkPolicies',
  'ingress': 'Ingresses',
  'storage': 'PersistentVolumes, StorageClasses',
  'secret-store': 'SecretStores, ClusterSecretStores (external-secrets.io/v1)',
};

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** the "Admission twins" section of docs/RULES.md: every rule's twin, partial twin or reason for none. */
export function renderAdmissionTwinsSection(): string[] {
  const rows = ALL_RULES.map((rule) => {
    const twin = admissionTwinOf(rule.id);
    if (!twin) return `| \`${rule.id}\` | **undeclared** | | add an entry to \`src/admission/twins/\` |`;
    if (twin.twin === 'none') return `| \`${rule.id}\` | none | | ${cell(twin.reason)} |`;
    if (twin.twin === 'settings') return `| \`${rule.id}\` | full, from settings | ${TARGET_LABELS[twin.target]} | ${cell(`generated from ${twin.needs}; none without them`)} |`;
    return `| \`${rule.id}\` | ${twin.partial ? 'partial' : 'full'} | ${TARGET_LABELS[twin.target]} | ${cell(twin.partial ?? 'decides exactly what the rule decides')} |`;
  });
  return [
    '## Admission twins',
    '',
    'Each rule that one object decides has a ValidatingAdmissionPolicy twin, generated from the same registry and tested to give the checker\'s verdict on every checker fixture and the official PSA fixtures (see [admission.md](admission.md)). A partial twin never denies what the checker allows; what it cannot decide stays pre-merge only. Rules with no twin need other objects or CEL a 1.28 API server cannot compile.',
    '',
    '| Rule | Twin | Matches | Note |',
    '|---|---|---|---|',
    ...rows,
    '',
  ];
}
