/**
 * Every checker rule id, in one place, so constructs that write suppression annotations and
 * the rules themselves cannot drift apart. Ids are permanent: never renamed or reused.
 * Each id is also the file name of its rule under `src/checker/rules/`.
 */
export const RuleIds = {
  // pod security standards v1.28, one rule per PSA check
  PSS_HOST_NAMESPACES: 'pss-host-namespaces',
  PSS_PRIVILEGED: 'pss-privileged',
  PSS_CAPABILITIES_BASELINE: 'pss-capabilities-baseline',
  PSS_HOST_PATH_VOLUMES: 'pss-host-path-volumes',
  PSS_HOST_PORTS: 'pss-host-ports',
  PSS_APP_ARMOR_PROFILE: 'pss-app-armor-profile',
  PSS_SE_LINUX_OPTIONS: 'pss-se-linux-options',
  PSS_PROC_MOUNT: 'pss-proc-mount',
  PSS_SECCOMP_PROFILE_BASELINE: 'pss-seccomp-profile-baseline',
  PSS_SYSCTLS: 'pss-sysctls',
  PSS_WINDOWS_HOST_PROCESS: 'pss-windows-host-process',
  PSS_RESTRICTED_VOLUMES: 'pss-restricted-volumes',
  PSS_ALLOW_PRIVILEGE_ESCALATION: 'pss-allow-privilege-escalation',
  PSS_RUN_AS_NON_ROOT: 'pss-run-as-non-root',
  PSS_RUN_AS_USER: 'pss-run-as-user',
  PSS_SECCOMP_PROFILE_RESTRICTED: 'pss-seccomp-profile-restricted',
  PSS_CAPABILITIES_RESTRICTED: 'pss-capabilities-restricted',

  // namespace posture
  NAMESPACE_PSA_LABELS: 'namespace-psa-labels',
  NAMESPACE_DEFAULT_DENY_INGRESS: 'namespace-default-deny-ingress',
  NAMESPACE_DEFAULT_DENY_EGRESS: 'namespace-default-deny-egress',
  NAMESPACE_DEFAULT_SERVICE_ACCOUNT_AUTOMOUNT: 'namespace-default-service-account-automount',

  // network
  NETPOL_METADATA_REACHABLE: 'netpol-metadata-reachable',
  NETPOL_EGRESS_NO_DESTINATION: 'netpol-egress-no-destination',
  NETPOL_DNS_ANY_DESTINATION: 'netpol-dns-any-destination',

  // identity and RBAC
  WORKLOAD_TOKEN_AUTOMOUNT: 'workload-token-automount',
  WORKLOAD_DEFAULT_SERVICE_ACCOUNT: 'workload-default-service-account',
  RBAC_CLUSTER_ADMIN_BINDING: 'rbac-cluster-admin-binding',
  RBAC_WILDCARD: 'rbac-wildcard',
  RBAC_ESCALATION_VERBS: 'rbac-escalation-verbs',
  RBAC_CREATE_PODS: 'rbac-create-pods',
  RBAC_READ_SECRETS: 'rbac-read-secrets',
  RBAC_PODS_EXEC: 'rbac-pods-exec',

  // supply chain
  IMAGE_DIGEST_MISSING: 'image-digest-missing',
  IMAGE_TAG_LATEST: 'image-tag-latest',

  // hygiene
  CONTAINER_WRITABLE_ROOT: 'container-writable-root',
  CONTAINER_ROOT_GROUP: 'container-root-group',
  CONTAINER_MEMORY_LIMIT: 'container-memory-limit',
  CONTAINER_REQUESTS: 'container-requests',
  CONTAINER_PROBES: 'container-probes',
  HOST_PATH_CRI_SOCKET: 'host-path-cri-socket',
  SERVICE_NODE_PORT: 'service-node-port',
  SERVICE_EXTERNAL_IPS: 'service-external-ips',

  // checker meta findings: no rule file, the engine reports them (see META_RULE_IDS)
  RULE_ERROR: 'rule-error',
  SUPPRESSION_INVALID: 'suppression-invalid',
  SUPPRESSION_EXPIRED: 'suppression-expired',
  SUPPRESSION_UNUSED: 'suppression-unused',
} as const;

/** one of the checker's rule ids. */
export type RuleId = typeof RuleIds[keyof typeof RuleIds];

/**
 * Ids the checker engine reports about itself rather than about a rule's subject: a rule that
 * threw (`rule-error`), a suppression annotation that cannot apply (`suppression-invalid`: reason
 * under 10 characters, malformed expiry date, expiry without a reason, unknown rule id) and an
 * expired suppression (`suppression-expired`), and a suppression that suppressed nothing
 * (`suppression-unused`, info). They have no rule file and cannot be suppressed.
 */
export const META_RULE_IDS: readonly RuleId[] = [
  RuleIds.RULE_ERROR, RuleIds.SUPPRESSION_INVALID, RuleIds.SUPPRESSION_EXPIRED, RuleIds.SUPPRESSION_UNUSED,
];
