import { grants, policyRulesOf, ROLE_KINDS } from './rbac-helpers';
import { DANGEROUS_GRANTS } from '../../../rbac-catalogue';
import { RuleIds } from '../../../rule-ids';
import type { Rule } from '../../types';

const [APPROVAL, SIGNERS] = DANGEROUS_GRANTS.csrApproval;

/**
 * Flags a ClusterRole that can approve CertificateSigningRequests: update or patch on
 * certificatesigningrequests/approval together with approve on signers. Either half alone
 * approves nothing, so the rule needs both somewhere in the role.
 */
export const rbacCsrApprovalRule: Rule = {
  id: RuleIds.RBAC_CSR_APPROVAL,
  title: 'RBAC can approve certificate requests',
  description: 'Indicates when a ClusterRole grants update or patch on certificatesigningrequests/approval and approve on signers, which approves client certificates for any user or group the signer allows (system:masters included, for the kube-apiserver-client signer).',
  severity: 'error',
  remediation: 'Leave CSR approval to the kube-controller-manager approvers; if a controller must approve, limit approve on signers with resourceNames to the one custom signer it owns.',
  references: {
    cis: ['5.1.11'],
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    if (object.kind === 'Role') return [];
    const rules = policyRulesOf(object);
    const approval = rules.find((rule) => APPROVAL.verbs.some((verb) => grants(rule, verb, APPROVAL.apiGroup, APPROVAL.resources[0])));
    const signers = rules.find((rule) => grants(rule, SIGNERS.verbs[0], SIGNERS.apiGroup, SIGNERS.resources[0]));
    if (!approval || !signers) return [];
    const names = Array.isArray(signers.raw.resourceNames) && signers.raw.resourceNames.length > 0
      ? `signers ${JSON.stringify(signers.raw.resourceNames)}` : 'every signer';
    return [{
      message: `rule ${approval.index} grants update on certificatesigningrequests/approval and rule ${signers.index} grants approve on ${names}: the holder approves certificates it requests itself`,
      path: approval.path,
    }];
  },
};
