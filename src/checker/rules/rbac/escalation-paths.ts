import { rbacAdmissionConfigWriteRule } from './rbac-admission-config-write';
import { rbacCreatePersistentVolumesRule } from './rbac-create-persistent-volumes';
import { rbacCreatePodsRule } from './rbac-create-pods';
import { rbacCsrApprovalRule } from './rbac-csr-approval';
import { rbacEphemeralContainersRule } from './rbac-ephemeral-containers';
import { rbacEscalationVerbsRule } from './rbac-escalation-verbs';
import { rbacNodesProxyRule } from './rbac-nodes-proxy';
import { rbacPodsExecRule } from './rbac-pods-exec';
import { rbacPortForwardRule } from './rbac-port-forward';
import { rbacReadSecretsRule } from './rbac-read-secrets';
import { rbacServiceStatusRule } from './rbac-service-status';
import { rbacTokenRequestRule } from './rbac-token-request';
import { rbacWildcardRule } from './rbac-wildcard';
import { rbacWorkloadRewriteRule } from './rbac-workload-rewrite';
import type { Rule } from '../../types';

/** the role rules whose findings make a binding an escalation path, each with a few words for the message. */
export const ESCALATION_RULES: readonly (readonly [Rule, string])[] = [
  [rbacWildcardRule, 'wildcards'],
  [rbacEscalationVerbsRule, 'escalate/bind/impersonate'],
  [rbacReadSecretsRule, 'reading secrets'],
  [rbacPodsExecRule, 'pods/exec and attach'],
  [rbacCreatePodsRule, 'creating pods'],
  [rbacWorkloadRewriteRule, 'rewriting workloads'],
  [rbacTokenRequestRule, 'minting ServiceAccount tokens'],
  [rbacEphemeralContainersRule, 'ephemeral containers'],
  [rbacPortForwardRule, 'port-forward'],
  [rbacNodesProxyRule, 'the kubelet API (nodes/proxy)'],
  [rbacCsrApprovalRule, 'approving certificates'],
  [rbacAdmissionConfigWriteRule, 'changing admission control'],
  [rbacServiceStatusRule, 'writing services/status'],
  [rbacCreatePersistentVolumesRule, 'creating PersistentVolumes'],
];

/** the escalation paths a role object grants, as `words (rule-id)`. */
export function escalationPaths(role: Record<string, unknown>, context: Parameters<Rule['check']>[1]): string[] {
  return ESCALATION_RULES
    .filter(([rule]) => rule.check(role, context).length > 0)
    .map(([rule, words]) => `${words} (${rule.id})`);
}
