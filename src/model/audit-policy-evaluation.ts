/**
 * The audit level an `audit.k8s.io/v1` Policy gives a request: the first rule that matches wins
 * (k8s.io/apiserver/pkg/audit/policy/checker.go). Used by the audit Policy builder's tests and by
 * the checker rule that audits existing policies.
 */

/** audit levels, from least to most recorded. */
export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;

/** an audit level. */
export type AuditLevel = typeof AUDIT_LEVELS[number];

/** one request as the audit policy sees it. */
export interface AuditRequest {
  readonly user?: string;
  readonly groups?: readonly string[];
  readonly verb: string;
  /** API group (`''` for core) and resource, with `/subresource` when there is one. */
  readonly group?: string;
  readonly resource?: string;
  readonly name?: string;
  readonly namespace?: string;
  /** for non-resource requests such as `/healthz`. */
  readonly path?: string;
}

type Record_ = Record<string, unknown>;

const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);

/** whether one policy `resources` entry ({group, resources, resourceNames}) matches the request. */
function matchesGroupResources(entry: Record_, request: AuditRequest): boolean {
  if ((entry.group ?? '') !== (request.group ?? '')) return false;
  const resources = strings(entry.resources);
  if (resources !== undefined && resources.length > 0) {
    const requested = request.resource ?? '';
    const [base] = requested.split('/');
    const hit = resources.some((resource) => resource === requested || resource === '*'
      || resource === `${base}/*` || (resource === '*/*' && requested.includes('/')) || (resource.startsWith('*/') && requested.endsWith(resource.slice(1))));
    if (!hit) return false;
  }
  const names = strings(entry.resourceNames);
  if (names !== undefined && names.length > 0 && !names.includes(request.name ?? '')) return false;
  return true;
}

/** whether a policy rule matches a request. */
export function auditRuleMatches(rule: Record_, request: AuditRequest): boolean {
  const users = strings(rule.users);
  if (users?.length && !users.includes(request.user ?? '')) return false;
  const groups = strings(rule.userGroups);
  if (groups?.length && !groups.some((group) => (request.groups ?? []).includes(group))) return false;
  const verbs = strings(rule.verbs);
  if (verbs?.length && !verbs.includes(request.verb)) return false;
  const nonResource = strings(rule.nonResourceURLs);
  const resourceRules = Array.isArray(rule.resources) ? rule.resources as Record_[] : undefined;
  const namespaces = strings(rule.namespaces);
  if (request.path !== undefined) {
    if (resourceRules?.length || namespaces?.length) return false;
    if (nonResource?.length) {
      return nonResource.some((url) => url === request.path || (url.endsWith('*') && request.path!.startsWith(url.slice(0, -1))));
    }
    return true;
  }
  if (nonResource?.length) return false;
  if (namespaces?.length && !namespaces.includes(request.namespace ?? '')) return false;
  if (resourceRules?.length && !resourceRules.some((entry) => matchesGroupResources(entry, request))) return false;
  return true;
}

/** the level of the first matching rule, or `None` when no rule matches (then nothing is logged). */
export function auditLevelOf(policy: Record_, request: AuditRequest): AuditLevel {
  const rules = Array.isArray(policy.rules) ? policy.rules as Record_[] : [];
  for (const rule of rules) {
    if (auditRuleMatches(rule, request)) {
      const level = String(rule.level);
      return (AUDIT_LEVELS as readonly string[]).includes(level) ? level as AuditLevel : 'None';
    }
  }
  return 'None';
}

/** whether level `a` records less than or as much as `b`. */
export function auditLevelAtMost(a: AuditLevel, b: AuditLevel): boolean {
  return AUDIT_LEVELS.indexOf(a) <= AUDIT_LEVELS.indexOf(b);
}

/** requests whose bodies carry secret values: they must never be logged above `Metadata`. */
export const AUDIT_SENSITIVE_REQUESTS: readonly AuditRequest[] = [
  { verb: 'get', group: '', resource: 'secrets', namespace: 'default', name: 'x' },
  { verb: 'list', group: '', resource: 'secrets', namespace: 'default' },
  { verb: 'create', group: '', resource: 'secrets', namespace: 'default' },
  { verb: 'update', group: '', resource: 'secrets', namespace: 'kube-system', name: 'x' },
  { verb: 'get', group: '', resource: 'configmaps', namespace: 'default', name: 'x' },
  { verb: 'create', group: '', resource: 'configmaps', namespace: 'default' },
  { verb: 'create', group: 'authentication.k8s.io', resource: 'tokenreviews' },
  { verb: 'create', group: '', resource: 'serviceaccounts/token', namespace: 'default', name: 'x' },
];

/** requests a security review needs in the log, at least at `Metadata`. */
export const AUDIT_REQUIRED_REQUESTS: readonly AuditRequest[] = [
  { verb: 'create', group: '', resource: 'pods/exec', namespace: 'default', name: 'x' },
  { verb: 'create', group: '', resource: 'pods/attach', namespace: 'default', name: 'x' },
  { verb: 'create', group: '', resource: 'pods/portforward', namespace: 'default', name: 'x' },
  { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
  { verb: 'update', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: 'default', name: 'x' },
  { verb: 'get', group: '', resource: 'secrets', namespace: 'default', name: 'x' },
  { verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'default', name: 'x' },
  { verb: 'create', group: '', resource: 'serviceaccounts/token', namespace: 'default', name: 'x' },
];
