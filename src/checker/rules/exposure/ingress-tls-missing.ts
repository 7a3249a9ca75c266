import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { asString, stringsOf } from '../rule-helpers';

/** true when a TLS host pattern (`*.example.com` covers one label) covers `host`. */
function covers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
}

/**
 * Flags an Ingress without `spec.tls`, and each rule host that no `spec.tls` entry covers: the
 * controller serves those over plain HTTP, credentials and session cookies included.
 */
export const ingressTlsMissingRule: Rule = {
  id: RuleIds.INGRESS_TLS_MISSING,
  title: 'Ingress without TLS',
  description: 'Indicates when an Ingress has no spec.tls, or a rule host that no spec.tls entry lists, so the controller serves it over plain HTTP.',
  severity: 'error',
  remediation: 'Add a spec.tls entry with a certificate Secret for every host of the Ingress (cert-manager can issue it).',
  references: {
    links: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#tls'],
  },
  kinds: ['Ingress'],
  check(object) {
    const spec = asRecord(object.spec) ?? {};
    const tls = asArray(spec.tls).map(asRecord).filter((entry): entry is Record<string, unknown> => entry !== undefined);
    if (tls.length === 0) return [{ message: 'Ingress has no spec.tls, so it is served over plain HTTP', path: 'spec' }];
    // a tls entry without hosts applies to the default server: every host the rules name.
    if (tls.some((entry) => asArray(entry.hosts).length === 0)) return [];
    const tlsHosts = tls.flatMap((entry) => stringsOf(entry.hosts));
    const violations: Violation[] = [];
    asArray(spec.rules).forEach((item, index) => {
      const host = asString(asRecord(item)?.host);
      if (host === undefined || tlsHosts.some((pattern) => covers(pattern, host))) return;
      violations.push({ message: `host ${JSON.stringify(host)} of rule ${index} is in no spec.tls entry, so it is served over plain HTTP`, path: `spec.rules[${index}].host` });
    });
    return violations;
  },
};
