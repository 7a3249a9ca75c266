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
  DEFAULT_NAMESPACE: 'default-namespace',

  // network
  NETPOL_METADATA_REACHABLE: 'netpol-metadata-reachable',
  NETPOL_EGRESS_NO_DESTINATION: 'netpol-egress-no-destination',
  NETPOL_DNS_ANY_DESTINATION: 'netpol-dns-any-destination',
  NETPOL_ALLOW_ALL_INGRESS: 'netpol-allow-all-ingress',
  NETPOL_INGRESS_FROM_ANYWHERE: 'netpol-ingress-from-anywhere',
  NETPOL_EGRESS_ALL_PODS: 'netpol-egress-all-pods',
  NETPOL_EGRESS_NON_PUBLIC_RANGES: 'netpol-egress-non-public-ranges',

  // identity and RBAC
  WORKLOAD_TOKEN_AUTOMOUNT: 'workload-token-automount',
  WORKLOAD_DEFAULT_SERVICE_ACCOUNT: 'workload-default-service-account',
  RBAC_CLUSTER_ADMIN_BINDING: 'rbac-cluster-admin-binding',
  RBAC_WILDCARD: 'rbac-wildcard',
  RBAC_ESCALATION_VERBS: 'rbac-escalation-verbs',
  RBAC_CREATE_PODS: 'rbac-create-pods',
  RBAC_READ_SECRETS: 'rbac-read-secrets',
  RBAC_PODS_EXEC: 'rbac-pods-exec',
  RBAC_NODES_PROXY: 'rbac-nodes-proxy',
  RBAC_TOKEN_REQUEST: 'rbac-token-request',
  RBAC_EPHEMERAL_CONTAINERS: 'rbac-ephemeral-containers',
  RBAC_PORT_FORWARD: 'rbac-port-forward',
  RBAC_WORKLOAD_REWRITE: 'rbac-workload-rewrite',
  RBAC_CSR_APPROVAL: 'rbac-csr-approval',
  RBAC_ADMISSION_CONFIG_WRITE: 'rbac-admission-config-write',
  RBAC_SERVICE_STATUS: 'rbac-service-status',
  RBAC_CREATE_PERSISTENT_VOLUMES: 'rbac-create-persistent-volumes',
  RBAC_AGGREGATE_TO_BUILT_IN: 'rbac-aggregate-to-built-in',
  RBAC_BINDING_ESCALATION: 'rbac-binding-escalation',
  RBAC_SYSTEM_GROUP_BINDING: 'rbac-system-group-binding',
  RBAC_DEFAULT_SERVICE_ACCOUNT_BINDING: 'rbac-default-service-account-binding',

  // exposure
  SERVICE_LOAD_BALANCER: 'service-load-balancer',
  INGRESS_TLS_MISSING: 'ingress-tls-missing',
  INGRESS_NGINX_SNIPPET: 'ingress-nginx-snippet',

  // storage and secrets
  PV_HOST_PATH: 'pv-host-path',
  SECRET_IN_ENV: 'secret-in-env',
  SECRET_COMMITTED_DATA: 'secret-committed-data',
  SECRET_LITERAL_IN_ENV: 'secret-literal-in-env',
  SECRET_LITERAL_IN_CONFIG_MAP: 'secret-literal-in-config-map',
  SECRET_STORE_STATIC_CREDENTIALS: 'secret-store-static-credentials',
  CLUSTER_SECRET_STORE_UNRESTRICTED: 'cluster-secret-store-unrestricted',

  // supply chain
  IMAGE_DIGEST_MISSING: 'image-digest-missing',
  IMAGE_TAG_LATEST: 'image-tag-latest',
  IMAGE_REGISTRY_NOT_ALLOWED: 'image-registry-not-allowed',

  // hygiene
  CONTAINER_WRITABLE_ROOT: 'container-writable-root',
  CONTAINER_ROOT_GROUP: 'container-root-group',
  CONTAINER_MEMORY_LIMIT: 'container-memory-limit',
  CONTAINER_REQUESTS: 'container-requests',
  CONTAINER_PROBES: 'container-probes',
  HOST_PATH_CRI_SOCKET: 'host-path-cri-socket',
  SERVICE_NODE_PORT: 'service-node-port',
  SERVICE_EXTERNAL_IPS: 'service-external-ips',

  // control-plane and node configuration files (kubelet, kubeadm, encryption, audit, authentication)
  KUBELET_CONFIG_INSECURE: 'kubelet-config-insecure',
  KUBELET_CONFIG_WEAK: 'kubelet-config-weak',
  KUBEADM_CONTROL_PLANE_INSECURE: 'kubeadm-control-plane-insecure',
  ENCRYPTION_CONFIG_WEAK: 'encryption-config-weak',
  AUDIT_POLICY_GAPS: 'audit-policy-gaps',
  AUTHENTICATION_ANONYMOUS_UNRESTRICTED: 'authentication-anonymous-unrestricted',

  // checker meta findings: no rule file, the engine reports them (see META_RULE_IDS)
  RULE_ERROR: 'rule-error',
  SUPPRESSION_INVALID: 'suppression-invalid',
  SUPPRESSION_EXPIRED: 'suppression-expired',
  SUPPRESSION_UNUSED: 'suppression-unused',
  POD_SPEC_UNCHECKED: 'pod-spec-unchecked',
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
  RuleIds.RULE_ERROR, RuleIds.SUPPRESSION_INVALID, RuleIds.SUPPRESSION_EXPIRED, RuleIds.SUPPRESSION_UNUSED, RuleIds.POD_SPEC_UNCHECKED,
];
