import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule } from '../../types';

/**
 * Flags a Service with externalIPs. Severity is error: kube-proxy sends traffic for those
 * addresses to the Service from every pod and node, so whoever sets them can intercept traffic
 * meant for any IP (CVE-2020-8554), and a manifest has no safe use for it.
 */
export const serviceExternalIpsRule: Rule = {
  id: RuleIds.SERVICE_EXTERNAL_IPS,
  title: 'Service with externalIPs',
  description: 'Indicates when a Service sets spec.externalIPs, which lets it capture cluster traffic meant for those addresses (CVE-2020-8554).',
  severity: 'error',
  remediation: 'Remove spec.externalIPs; expose the Service through a LoadBalancer, Ingress or Gateway, and enable the DenyServiceExternalIPs admission plugin.',
  references: {
    links: [
      'https://github.com/kubernetes/kubernetes/issues/97076',
      'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#denyserviceexternalips',
    ],
  },
  kinds: ['Service'],
  check(object) {
    const externalIps = asRecord(object.spec)?.externalIPs;
    if (externalIps === undefined || externalIps === null) return [];
    if (Array.isArray(externalIps) && asArray(externalIps).length === 0) return [];
    return [{
      message: `Service sets externalIPs ${JSON.stringify(externalIps)}, which captures traffic to those addresses from every pod and node`,
      path: 'spec.externalIPs',
    }];
  },
};
