import { asArray, asRecord } from '../../pod-spec';
import type { CheckContext, KubeObject, Violation } from '../../types';
import { effectivePolicyTypes, PolicyDirection, selectsAllPods } from '../network/network-policy-helpers';
import { nameOf } from '../rule-helpers';

/**
 * True when the policy is a default deny for `direction`: it selects every pod, isolates that
 * direction and allows nothing in it (no rules, or an empty list).
 */
export function isDefaultDeny(policy: KubeObject, direction: PolicyDirection): boolean {
  if (!selectsAllPods(policy)) return false;
  if (!effectivePolicyTypes(policy).includes(direction)) return false;
  const rules = asRecord(policy.spec)?.[direction === 'Ingress' ? 'ingress' : 'egress'];
  return rules === undefined || rules === null || (Array.isArray(rules) && asArray(rules).length === 0);
}

/** the violation for a Namespace with no default-deny policy in `direction`, if it has none. */
export function checkDefaultDeny(namespace: KubeObject, context: CheckContext, direction: PolicyDirection): Violation[] {
  const name = nameOf(namespace);
  if (!name) return [];
  const policies = context.objectsOf('NetworkPolicy', name);
  if (policies.some((policy) => isDefaultDeny(policy, direction))) return [];
  const field = direction === 'Ingress' ? 'ingress' : 'egress';
  return [{
    message: `namespace ${JSON.stringify(name)} has no NetworkPolicy that selects every pod (podSelector: {}), lists ${direction} in policyTypes and allows no ${field}`
      + ` (${policies.length === 0 ? 'no NetworkPolicy' : policies.length === 1 ? '1 NetworkPolicy' : `${policies.length} NetworkPolicies`} in the input for it)`,
    path: 'metadata.name',
  }];
}
