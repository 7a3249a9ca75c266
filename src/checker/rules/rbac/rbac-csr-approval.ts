import { grants, policyRulesOf, ROLE_KINDS } from './rbac-helpers';
import { DANGEROUS_GRANTS } from '../../../model/rbac-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

const [APPROVAL, SIGNERS] = DANGEROUS_GRANTS.csrApproval;

/**
 * Flags a ClusterRole that can approve CertificateSigningRequests: update or patch on
 * certificatesigningrequests/approval (CIS 5.1.11). Approval also takes approve on the signer;
 * the message says whether the same role grants it, since that half may come from another
 * binding (`rbac-binding-escalation` finds such pairs in the input).
 */
export const rbacCsrApprovalRule: Rule = {
  id: RuleIds.RBAC_CSR_APPROVAL,
  title: 'RBAC can approve certificate requests',
  description: 'Indicates when a ClusterRole grants update or patch on certificatesigningrequests/approval, which, with approve on a signer (in the same role or another binding), approves client certificates for any user or group the signer allows (system:masters included, for the kube-apiserver-client signer).',
  severity: 'error',
  remediation: 'Leave CSR approval to the kube-controller-manager approvers; if a controller must approve, grant it only with approve on signers limited by resourceNames to the one custom signer it owns.',
  references: {
    cis: ['5.1.11'],
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    // certificatesigningrequests are cluster-scoped: a Role cannot reach them.
    if (object.kind === 'Role') return [];
    const rules = policyRulesOf(object);
    const signers = rules.find((rule) => grants(rule, SIGNERS.verbs[0], SIGNERS.apiGroup, SIGNERS.resources[0]));
    const signerText = !signers
      ? 'approve on a signer, held through another binding, completes it'
      : Array.isArray(signers.raw.resourceNames) && signers.raw.resourceNames.length > 0
        ? `rule ${signers.index} adds approve on signers ${JSON.stringify(signers.raw.resourceNames)}`
        : `rule ${signers.index} adds approve on every signer`;
    const violations: Violation[] = [];
    for (const rule of rules) {
      const verbs = APPROVAL.verbs.filter((verb) => grants(rule, verb, APPROVAL.apiGroup, APPROVAL.resources[0]));
      if (verbs.length === 0) continue;
      violations.push({ message: `rule ${rule.index} grants ${verbs.join(', ')} on certificatesigningrequests/approval and ${signerText}: the holder approves certificates it requests itself`, path: rule.path });
    }
    return violations;
  },
};
