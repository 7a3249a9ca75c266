import { allowsVerb, matchesGroup, matchesResource, policyRulesOf } from './rbac-helpers';
import type { DangerousGrant } from '../../../model/rbac-catalogue';
import type { KubeObject, Violation } from '../../types';

/** `patch pods/ephemeralcontainers`, `get, create nodes/proxy`, with the group when not core. */
function describeGrant(verbs: readonly string[], group: string, resource: string): string {
  return `${verbs.join(', ')} on ${group ? `${resource} (${group})` : resource}`;
}

/**
 * The grants among `dangerous` that a role's rules give, one violation per PolicyRule. A
 * cluster-scoped grant is ignored in a Role: a namespaced Role cannot reach cluster-scoped objects.
 */
export function dangerousGrantViolations(role: KubeObject, dangerous: readonly DangerousGrant[], consequence: string): Violation[] {
  const applicable = dangerous.filter((grant) => !(grant.clusterScoped && role.kind === 'Role'));
  const violations: Violation[] = [];
  for (const rule of policyRulesOf(role)) {
    const found: string[] = [];
    for (const grant of applicable) {
      // group, then resource, then verbs: most rules name other groups and resources.
      if (!matchesGroup(rule, grant.apiGroup)) continue;
      for (const resource of grant.resources) {
        if (!matchesResource(rule, resource)) continue;
        const verbs = grant.verbs.filter((verb) => allowsVerb(rule, verb));
        if (verbs.length > 0) found.push(describeGrant(verbs, grant.apiGroup, resource));
      }
    }
    if (found.length > 0) violations.push({ message: `rule ${rule.index} grants ${found.join('; ')}: ${consequence}`, path: rule.path });
  }
  return violations;
}
