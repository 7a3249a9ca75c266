import { cisSuffix, kubeletCis, kubeletValue, nodeConfigOf, valueAt } from './node-config-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule, Violation } from '../../types';

/**
 * Flags a KubeletConfiguration whose API answers callers it should not: anonymous requests,
 * AlwaysAllow authorization, the unauthenticated read-only port, no webhook token authentication
 * or no client CA. Absent fields take the `kubelet.config.k8s.io/v1beta1` defaults.
 */
export const kubeletConfigInsecureRule: Rule = {
  id: RuleIds.KUBELET_CONFIG_INSECURE,
  title: 'Kubelet API open to unauthenticated or unauthorized callers',
  description: 'Indicates when a KubeletConfiguration allows anonymous requests, authorizes everything, opens the read-only port, or cannot verify client certificates or tokens.',
  severity: 'error',
  remediation: 'Set authentication.anonymous.enabled: false, authentication.webhook.enabled: true, authentication.x509.clientCAFile, authorization.mode: Webhook and readOnlyPort: 0.',
  references: {
    cis: ['4.2.1', '4.2.2', '4.2.3', '4.2.4'],
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/'],
  },
  kinds: ['KubeletConfiguration'],
  check(object) {
    if (!nodeConfigOf(object, 'KubeletConfiguration')) return [];
    const violations: Violation[] = [];
    const anonymous = kubeletValue(object, 'authentication.anonymous.enabled');
    if (anonymous === true || String(anonymous).toLowerCase() === 'true') {
      violations.push({ message: `anonymous requests reach the kubelet API${cisSuffix(kubeletCis('authentication.anonymous.enabled'))}`, path: 'authentication.anonymous.enabled' });
    }
    if (kubeletValue(object, 'authentication.webhook.enabled') === false) {
      violations.push({ message: 'bearer tokens are not checked with the API server (authentication.webhook.enabled is false)', path: 'authentication.webhook.enabled' });
    }
    const mode = String(kubeletValue(object, 'authorization.mode'));
    if (mode !== 'Webhook') {
      violations.push({ message: `authorization.mode is ${JSON.stringify(mode)}: every authenticated caller may do anything${cisSuffix(kubeletCis('authorization.mode'))}`, path: 'authorization.mode' });
    }
    const clientCa = valueAt(object, 'authentication.x509.clientCAFile');
    if (typeof clientCa !== 'string' || clientCa.trim() === '') {
      violations.push({ message: `no client CA: client certificates are not verified${cisSuffix(kubeletCis('authentication.x509.clientCAFile'))}`, path: 'authentication.x509.clientCAFile' });
    }
    const readOnlyPort = Number(kubeletValue(object, 'readOnlyPort'));
    if (readOnlyPort !== 0) {
      violations.push({ message: `readOnlyPort ${readOnlyPort} serves pod and node data without authentication${cisSuffix(kubeletCis('readOnlyPort'))}`, path: 'readOnlyPort' });
    }
    return violations;
  },
};
