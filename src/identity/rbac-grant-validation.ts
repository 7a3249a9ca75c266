import { BUILT_IN_API_RESOURCES, builtInResource, isBuiltInApiGroup, RBAC_VERBS } from '../model/rbac-catalogue';

/** a grant's spelling as the RBAC authorizer compares it: exact, case-sensitive strings. */
export interface GrantSpelling {
  readonly apiGroup: string;
  readonly resource: string;
  readonly verbs: readonly string[];
}

// lowercase DNS subdomain (a CRD group) and a lowercase plural resource with an optional subresource.
const CUSTOM_GROUP = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const CUSTOM_RESOURCE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/;

function groupLabel(group: string): string {
  return group === '' ? 'the core group ("")' : `group "${group}"`;
}

/** the built-in groups that serve `resource`, for "did you mean" hints. */
function groupsServing(resource: string): string[] {
  return Object.entries(BUILT_IN_API_RESOURCES)
    .filter(([, resources]) => Object.prototype.hasOwnProperty.call(resources, resource))
    .map(([group]) => group);
}

/**
 * Throws when a grant of a namespaced Role would grant nothing: a verb, group, resource or
 * subresource the API does not spell that way (RBAC compares strings exactly, so `Secrets` or
 * `GET` match no request), a resource in the wrong group, or a cluster-scoped resource, which a
 * namespaced Role cannot reach. Wildcards are left to the caller's wildcard exception.
 *
 * @param at the prop path of the grant, named in messages (`grants[0]`)
 */
export function validateGrantSpelling(at: string, grant: GrantSpelling): void {
  grant.verbs.forEach((verb, index) => {
    if (verb === '*' || RBAC_VERBS.includes(verb)) return;
    const hint = RBAC_VERBS.find((known) => known === verb.toLowerCase().trim());
    throw new Error(`${at}.verbs[${index}] is ${JSON.stringify(verb)}, which is not a Kubernetes verb and grants nothing: ${hint ? `use "${hint}" (verbs are lowercase)` : `use one of ${RBAC_VERBS.join(', ')}`}`);
  });
  const { apiGroup, resource } = grant;
  if (apiGroup === '*' || resource.includes('*')) return;
  const [base, subresource, extra] = resource.split('/');
  if (extra !== undefined || base === '' || subresource === '') {
    throw new Error(`${at}.resource is ${JSON.stringify(resource)}: write a plural resource ("configmaps") or resource/subresource ("pods/log")`);
  }
  if (!isBuiltInApiGroup(apiGroup)) {
    const builtIn = Object.keys(BUILT_IN_API_RESOURCES).find((group) => group === apiGroup.toLowerCase().trim());
    if (builtIn !== undefined) throw new Error(`${at}.apiGroup is ${JSON.stringify(apiGroup)}, which matches no API group: use "${builtIn}" (groups are lowercase)`);
    const serving = groupsServing(base);
    if (serving.length > 0 && !CUSTOM_GROUP.test(apiGroup)) {
      throw new Error(`${at}.apiGroup is ${JSON.stringify(apiGroup)}, which is not an API group: ${base} is served by ${serving.map(groupLabel).join(', ')}`);
    }
    if (!CUSTOM_GROUP.test(apiGroup)) {
      throw new Error(`${at}.apiGroup is ${JSON.stringify(apiGroup)}, which is neither a built-in API group nor a custom one (a lowercase DNS name such as "example.com"): fix the group, it grants nothing as written`);
    }
    if (!CUSTOM_RESOURCE.test(resource)) {
      throw new Error(`${at}.resource is ${JSON.stringify(resource)}: resources of ${groupLabel(apiGroup)} are lowercase plurals such as "widgets", as the CRD's spec.names.plural spells them`);
    }
    return;
  }
  const info = builtInResource(apiGroup, base);
  if (!info) {
    const lower = builtInResource(apiGroup, base.toLowerCase()) ? base.toLowerCase() : undefined;
    if (lower) throw new Error(`${at}.resource is ${JSON.stringify(resource)}, which grants nothing: use "${[lower, subresource].filter((part) => part !== undefined).join('/')}" (resources are lowercase plurals)`);
    const serving = groupsServing(base.toLowerCase());
    const hint = serving.length > 0 ? `${base.toLowerCase()} is served by ${serving.map(groupLabel).join(', ')}; set apiGroup accordingly` : `${groupLabel(apiGroup)} serves ${Object.keys(BUILT_IN_API_RESOURCES[apiGroup]).join(', ')}`;
    throw new Error(`${at}.resource is ${JSON.stringify(resource)}, which ${groupLabel(apiGroup)} does not serve, so it grants nothing: ${hint}`);
  }
  if (subresource !== undefined && !info.subresources.includes(subresource)) {
    throw new Error(`${at}.resource is ${JSON.stringify(resource)}, which grants nothing: ${base} has ${info.subresources.length > 0 ? `the subresources ${info.subresources.join(', ')}` : 'no subresources'}`);
  }
  if (!info.namespaced) {
    throw new Error(`${at}.resource is ${JSON.stringify(resource)}, which is cluster-scoped: a namespaced Role cannot grant it, so it grants nothing; bind a ClusterRole of your own instead, outside this construct`);
  }
}
