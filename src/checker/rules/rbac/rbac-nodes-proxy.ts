import { dangerousGrantViolations } from './dangerous-grant-helpers';
import { ROLE_KINDS } from './rbac-helpers';
import { DANGEROUS_GRANTS } from '../../../model/rbac-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule } from '../../types';

/** flags a ClusterRole that can use the kubelet API through nodes/proxy. */
export const rbacNodesProxyRule: Rule = {
  id: RuleIds.RBAC_NODES_PROXY,
  title: 'RBAC can reach the kubelet API',
  description: 'Indicates when a ClusterRole grants get, create or another verb on nodes/proxy, which reaches the kubelet API of every node: exec into, and read the environment and logs of, every pod on it, bypassing admission and audit of the exec.',
  severity: 'error',
  remediation: 'Remove nodes/proxy from the role; monitoring agents need nodes/metrics or nodes/stats, not nodes/proxy.',
  references: {
    cis: ['5.1.10'],
    links: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes',
      'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/',
    ],
  },
  kinds: ROLE_KINDS,
  check(object) {
    return dangerousGrantViolations(object, DANGEROUS_GRANTS.nodesProxy, 'the kubelet API runs commands in every pod of a node');
  },
};
