/**
 * Label keys the library puts on every workload and selects by.
 *
 * Selectors are built from these explicit labels, never from the construct path, so a
 * construct can move in the tree without changing an immutable Deployment selector.
 */
export const Labels = {
  /** the application name; selected by Deployments and NetworkPolicies. */
  NAME: 'app.kubernetes.io/name',
  /** the component within the application (web, api, worker); selected together with NAME. */
  COMPONENT: 'app.kubernetes.io/component',
  /** the larger system the application belongs to. */
  PART_OF: 'app.kubernetes.io/part-of',
  /** marks objects emitted by this library. */
  MANAGED_BY: 'app.kubernetes.io/managed-by',
  /**
   * Putting this label on a pod (any value) cuts it off in both directions, DNS included:
   * every allow policy the library emits excludes pods that carry it.
   */
  QUARANTINE: 'security.cdk8s-hardened.io/quarantine',
  /**
   * Marks a NetworkPolicyProbe pod; the value names the workload it stands in for. Probe pods
   * carry the source workload's labels too, so that workload's policies select them.
   */
  NETPOL_PROBE: 'security.cdk8s-hardened.io/netpol-probe',
  /** the namespace name label Kubernetes sets on every namespace. */
  NAMESPACE_NAME: 'kubernetes.io/metadata.name',
} as const;

/** value of `app.kubernetes.io/managed-by` on everything the library emits. */
export const MANAGED_BY_VALUE = 'cdk8s-hardened';
