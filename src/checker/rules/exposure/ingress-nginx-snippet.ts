import { RuleIds } from '../../../model/rule-ids';
import { asRecord } from '../../pod-spec';
import type { Rule, Violation } from '../../types';
import { fieldPath } from '../rule-helpers';

// ingress-nginx reads `<prefix>/<name>-snippet` (the prefix is configurable with --annotations-prefix,
// `ingress.kubernetes.io` in old releases); the NGINX Inc. controller reads `nginx.org/<name>-snippets`.
const SNIPPET_ANNOTATION = /^[^/]+\/[a-z-]+-snippets?$/;
const CONTROLLER_PREFIX = /nginx|ingress/;

/**
 * Flags the ingress-nginx snippet annotations on an Ingress (`*-snippet`: raw nginx
 * configuration injected into the controller, which runs with a ServiceAccount that reads every
 * Secret of the cluster; CVE-2021-25742, CVE-2023-5044), and a controller ConfigMap that turns
 * them on (`allow-snippet-annotations: "true"`).
 */
export const ingressNginxSnippetRule: Rule = {
  id: RuleIds.INGRESS_NGINX_SNIPPET,
  title: 'ingress-nginx snippet annotation',
  description: 'Indicates when an Ingress carries an ingress-nginx *-snippet annotation (configuration-snippet, server-snippet, auth-snippet, ...) or a ConfigMap sets allow-snippet-annotations: "true"; snippets inject nginx configuration into the controller, which can read its token and every Secret it can see.',
  severity: 'error',
  remediation: 'Remove the snippet annotation and use the controller\'s dedicated annotations instead; keep allow-snippet-annotations false in the controller ConfigMap.',
  references: {
    nsa: ['C-0059'],
    cves: ['CVE-2021-25742', 'CVE-2023-5044'],
    links: ['https://github.com/kubernetes/ingress-nginx/issues/7837', 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#allow-snippet-annotations'],
  },
  kinds: ['Ingress', 'ConfigMap'],
  check(object) {
    const violations: Violation[] = [];
    if (object.kind === 'ConfigMap') {
      const value = asRecord(object.data)?.['allow-snippet-annotations'];
      if (typeof value === 'string' && value.trim().toLowerCase() === 'true') {
        violations.push({ message: 'ConfigMap sets allow-snippet-annotations: "true", which lets every Ingress author inject nginx configuration into the controller', path: 'data["allow-snippet-annotations"]' });
      }
      return violations;
    }
    const annotations = asRecord(asRecord(object.metadata)?.annotations) ?? {};
    for (const key of Object.keys(annotations).sort()) {
      if (!SNIPPET_ANNOTATION.test(key) || !CONTROLLER_PREFIX.test(key.split('/')[0])) continue;
      violations.push({ message: `annotation ${key} injects raw nginx configuration into the ingress controller`, path: fieldPath('metadata.annotations', key) });
    }
    return violations;
  },
};
