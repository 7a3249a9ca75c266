import { RuleIds } from '../../../model/rule-ids';
import { POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule } from '../../types';
import { namespaceOf } from '../rule-helpers';

/** the built-in namespaced kinds an application ships (cluster-scoped kinds have no namespace). */
const NAMESPACED_KINDS = [
  ...POD_SPEC_KINDS, 'Service', 'ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'NetworkPolicy',
  'Ingress', 'PersistentVolumeClaim', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Endpoints', 'EndpointSlice',
  'LimitRange', 'ResourceQuota', 'Lease',
];

/**
 * Flags an object whose `metadata.namespace` is `default`. An object without a namespace is left
 * alone: it goes wherever `kubectl -n`, kustomize or helm puts it, which the manifest cannot tell.
 */
export const defaultNamespaceRule: Rule = {
  id: RuleIds.DEFAULT_NAMESPACE,
  title: 'Object in the default namespace',
  description: 'Indicates when a namespaced object sets metadata.namespace to default, which has no Pod Security labels, no default-deny policies and no owner unless someone adds them, and is where every kubectl command lands by mistake.',
  severity: 'warning',
  remediation: 'Put the object in a namespace of its own with Pod Security labels and default-deny NetworkPolicies (HardenedNamespace).',
  references: {
    cis: ['5.7.1', '5.7.4'],
    links: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces'],
  },
  kinds: NAMESPACED_KINDS,
  check(object) {
    if (namespaceOf(object) !== 'default') return [];
    return [{ message: `${String(object.kind)} is in the default namespace`, path: 'metadata.namespace' }];
  },
};
