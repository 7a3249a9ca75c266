/**
 * The secure control-plane and node settings, as data: one entry per flag or config field, each with
 * the CIS Kubernetes Benchmark recommendations it satisfies (ids are benchmark-version-specific, so
 * every id names its benchmark) and the Kubernetes versions it applies to. The cluster-config
 * builders emit these, the checker rules audit existing files against them, and the docs table is
 * generated from them, so the three cannot drift apart.
 */

/** a CIS Kubernetes Benchmark version, as kube-bench names its definition folders. */
export type CisBenchmark = 'cis-1.8' | 'cis-1.10' | 'cis-1.12';

/** one CIS recommendation: its id within one benchmark version. */
export interface CisRef {
  readonly benchmark: CisBenchmark;
  readonly id: string;
}

/**
 * Kubernetes minor versions a setting applies to: from `since` (inclusive) up to `until`
 * (exclusive: the version that removed or replaced it). Both are `1.<minor>`.
 */
export interface KubernetesVersionRange {
  readonly since?: string;
  readonly until?: string;
}

/** a control-plane component that kubeadm runs as a static pod. */
export type ControlPlaneComponent = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';

/** one secure command-line flag of a control-plane component. */
export interface SecureFlag {
  readonly component: ControlPlaneComponent;
  /** the flag without its leading dashes. */
  readonly flag: string;
  /** the secure value; for list flags, the element that must be present. */
  readonly value: string;
  /**
   * How an existing configuration is judged: `equals` the value, `contains` it in a comma-separated
   * list, is a number `atLeast` it, names only `subsetOf` its comma-separated elements, or is merely
   * `present` (a path the node supplies).
   */
  readonly match: 'equals' | 'contains' | 'atLeast' | 'subsetOf' | 'present';
  /** what the component runs with when a kubeadm file does not set the flag (kubeadm's value, else the component's default), if any. */
  readonly kubeadmDefault?: string;
  readonly cis: readonly CisRef[];
  readonly kubernetes: KubernetesVersionRange;
  /** why, in one sentence. */
  readonly why: string;
}

/** one secure field of a KubeletConfiguration (`kubelet.config.k8s.io/v1beta1`). */
export interface SecureKubeletField {
  /** dotted path in the KubeletConfiguration. */
  readonly path: string;
  readonly value: string | number | boolean;
  /** the default `kubelet.config.k8s.io/v1beta1` applies when the field is absent in the file (not the flag's default). */
  readonly kubeletDefault?: string | number | boolean;
  readonly cis: readonly CisRef[];
  readonly kubernetes: KubernetesVersionRange;
  readonly why: string;
}

/** `1.<minor>` of a Kubernetes version such as `1.28`, `v1.28.3` or `1.30.0-rc.1`; throws on anything else. */
export function kubernetesMinor(version: string): number {
  const match = /^v?1\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(String(version).trim());
  if (!match) throw new Error(`kubernetesVersion is ${JSON.stringify(version)}: give a Kubernetes version such as "1.28" or "v1.30.2"`);
  return Number(match[1]);
}

/** whether a setting with `range` applies to Kubernetes `version`. */
export function appliesTo(range: KubernetesVersionRange, version: string): boolean {
  const minor = kubernetesMinor(version);
  if (range.since !== undefined && minor < kubernetesMinor(range.since)) return false;
  if (range.until !== undefined && minor >= kubernetesMinor(range.until)) return false;
  return true;
}

/** `cis-1.8 1.2.16` style label of a recommendation. */
export function cisLabel(ref: CisRef): string {
  return `${ref.benchmark} ${ref.id}`;
}

/**
 * The API server ids of CIS 1.8 and of 1.10 differ from 1.2.12 on: 1.10 dropped SecurityContextDeny
 * (1.8's 1.2.12), so every later id moved down by one.
 */
function apiServer(id18: string): CisRef[] {
  const [, , last] = id18.split('.').map(Number);
  const id110 = last > 12 ? `1.2.${last - 1}` : id18;
  return [{ benchmark: 'cis-1.8', id: id18 }, { benchmark: 'cis-1.10', id: id110 }];
}

/** ids that are the same in CIS 1.8 and 1.10. */
function same(id: string): CisRef[] {
  return [{ benchmark: 'cis-1.8', id }, { benchmark: 'cis-1.10', id }];
}

/** TLS cipher suites both CIS lists accept (API server 1.2.30 and kubelet 4.2.12), forward-secret AEAD only. */
export const STRONG_TLS_CIPHER_SUITES: readonly string[] = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
];

/** Kubernetes paths the generated files and flags use (kubeadm's layout plus one folder per file kind). */
export const CONTROL_PLANE_PATHS = {
  encryptionConfiguration: '/etc/kubernetes/encryption/encryption-configuration.yaml',
  auditPolicy: '/etc/kubernetes/audit/audit-policy.yaml',
  auditLog: '/var/log/kubernetes/audit/audit.log',
  authenticationConfiguration: '/etc/kubernetes/authentication/authentication-configuration.yaml',
  admissionConfiguration: '/etc/kubernetes/admission/pod-security.yaml',
  kubeletConfiguration: '/var/lib/kubelet/config.yaml',
  kubeadmPatches: '/etc/kubernetes/kubeadm-patches',
  kmsSocketDirectory: '/var/run/kmsplugin',
  caCertificate: '/etc/kubernetes/pki/ca.crt',
  serviceAccountPublicKey: '/etc/kubernetes/pki/sa.pub',
  serviceAccountPrivateKey: '/etc/kubernetes/pki/sa.key',
} as const;

/**
 * The secure flags, in a stable order (by component, then CIS id). Flags kubeadm already sets
 * securely carry `kubeadmDefault`; the builders emit every flag explicitly anyway, so the file states
 * what the node runs.
 */
export const SECURE_FLAGS: readonly SecureFlag[] = [
  // kube-apiserver
  { component: 'kube-apiserver', flag: 'anonymous-auth', value: 'false', match: 'equals', cis: apiServer('1.2.1'), kubernetes: { until: '1.32' }, why: 'unauthenticated requests are rejected; from 1.32 the AuthenticationConfiguration allows anonymous access to the health endpoints only, and the flag must then be absent' },
  { component: 'kube-apiserver', flag: 'enable-admission-plugins', value: 'DenyServiceExternalIPs', match: 'contains', cis: apiServer('1.2.3'), kubernetes: { since: '1.21' }, why: 'Services cannot claim external IPs and intercept traffic (CVE-2020-8554)' },
  { component: 'kube-apiserver', flag: 'kubelet-certificate-authority', value: CONTROL_PLANE_PATHS.caCertificate, match: 'present', cis: apiServer('1.2.5'), kubernetes: {}, why: 'the API server verifies kubelet serving certificates (kubelets get them signed through serverTLSBootstrap)' },
  { component: 'kube-apiserver', flag: 'authorization-mode', value: 'Node', match: 'contains', kubeadmDefault: 'Node,RBAC', cis: apiServer('1.2.7'), kubernetes: {}, why: 'kubelets may only read the objects of their own pods' },
  { component: 'kube-apiserver', flag: 'authorization-mode', value: 'RBAC', match: 'contains', kubeadmDefault: 'Node,RBAC', cis: apiServer('1.2.8'), kubernetes: {}, why: 'access is granted by Roles and bindings, never AlwaysAllow' },
  { component: 'kube-apiserver', flag: 'enable-admission-plugins', value: 'NodeRestriction', match: 'contains', kubeadmDefault: 'NodeRestriction', cis: apiServer('1.2.15'), kubernetes: {}, why: 'a kubelet may only modify its own Node and its own pods' },
  { component: 'kube-apiserver', flag: 'profiling', value: 'false', match: 'equals', cis: apiServer('1.2.16'), kubernetes: {}, why: 'no pprof endpoints on the API server' },
  { component: 'kube-apiserver', flag: 'audit-log-path', value: CONTROL_PLANE_PATHS.auditLog, match: 'present', cis: apiServer('1.2.17'), kubernetes: {}, why: 'requests are written to an audit log' },
  { component: 'kube-apiserver', flag: 'audit-log-maxage', value: '30', match: 'atLeast', cis: apiServer('1.2.18'), kubernetes: {}, why: 'audit logs are kept 30 days' },
  { component: 'kube-apiserver', flag: 'audit-log-maxbackup', value: '10', match: 'atLeast', cis: apiServer('1.2.19'), kubernetes: {}, why: 'ten rotated audit files are kept' },
  { component: 'kube-apiserver', flag: 'audit-log-maxsize', value: '100', match: 'atLeast', cis: apiServer('1.2.20'), kubernetes: {}, why: 'audit files rotate at 100 MB' },
  { component: 'kube-apiserver', flag: 'service-account-lookup', value: 'true', match: 'equals', kubeadmDefault: 'true', cis: apiServer('1.2.22'), kubernetes: {}, why: 'tokens of deleted ServiceAccounts stop working' },
  { component: 'kube-apiserver', flag: 'service-account-extend-token-expiration', value: 'false', match: 'equals', cis: [{ benchmark: 'cis-1.12', id: '1.2.30' }], kubernetes: { since: '1.20' }, why: 'projected ServiceAccount tokens expire when requested (an hour by default) instead of being silently extended to a year' },
  { component: 'kube-apiserver', flag: 'service-account-key-file', value: CONTROL_PLANE_PATHS.serviceAccountPublicKey, match: 'present', kubeadmDefault: CONTROL_PLANE_PATHS.serviceAccountPublicKey, cis: apiServer('1.2.23'), kubernetes: {}, why: 'ServiceAccount tokens are verified against a dedicated key' },
  { component: 'kube-apiserver', flag: 'encryption-provider-config', value: CONTROL_PLANE_PATHS.encryptionConfiguration, match: 'present', cis: apiServer('1.2.28'), kubernetes: {}, why: 'Secrets are encrypted at rest' },
  { component: 'kube-apiserver', flag: 'tls-min-version', value: 'VersionTLS12', match: 'equals', cis: [], kubernetes: {}, why: 'no TLS 1.0 or 1.1' },
  { component: 'kube-apiserver', flag: 'tls-cipher-suites', value: STRONG_TLS_CIPHER_SUITES.join(','), match: 'subsetOf', cis: apiServer('1.2.30'), kubernetes: {}, why: 'forward-secret AEAD cipher suites only' },
  { component: 'kube-apiserver', flag: 'audit-policy-file', value: CONTROL_PLANE_PATHS.auditPolicy, match: 'present', cis: same('3.2.1'), kubernetes: {}, why: 'the audit policy records who did what without logging secret values' },
  // kube-controller-manager
  { component: 'kube-controller-manager', flag: 'terminated-pod-gc-threshold', value: '1000', match: 'present', cis: same('1.3.1'), kubernetes: {}, why: 'terminated pods are garbage-collected well before the default of 12500' },
  { component: 'kube-controller-manager', flag: 'profiling', value: 'false', match: 'equals', cis: same('1.3.2'), kubernetes: {}, why: 'no pprof endpoints on the controller manager' },
  { component: 'kube-controller-manager', flag: 'use-service-account-credentials', value: 'true', match: 'equals', kubeadmDefault: 'true', cis: same('1.3.3'), kubernetes: {}, why: 'each controller acts with its own, minimal ServiceAccount' },
  { component: 'kube-controller-manager', flag: 'bind-address', value: '127.0.0.1', match: 'equals', kubeadmDefault: '127.0.0.1', cis: same('1.3.7'), kubernetes: {}, why: 'the controller manager listens on loopback only' },
  // kube-scheduler
  { component: 'kube-scheduler', flag: 'profiling', value: 'false', match: 'equals', cis: same('1.4.1'), kubernetes: {}, why: 'no pprof endpoints on the scheduler' },
  { component: 'kube-scheduler', flag: 'bind-address', value: '127.0.0.1', match: 'equals', kubeadmDefault: '127.0.0.1', cis: same('1.4.2'), kubernetes: {}, why: 'the scheduler listens on loopback only' },
  // etcd
  { component: 'etcd', flag: 'client-cert-auth', value: 'true', match: 'equals', kubeadmDefault: 'true', cis: same('2.2'), kubernetes: {}, why: 'etcd clients must present a certificate' },
  { component: 'etcd', flag: 'auto-tls', value: 'false', match: 'equals', kubeadmDefault: 'false', cis: same('2.3'), kubernetes: {}, why: 'no self-signed client certificates' },
  { component: 'etcd', flag: 'peer-client-cert-auth', value: 'true', match: 'equals', kubeadmDefault: 'true', cis: same('2.5'), kubernetes: {}, why: 'etcd peers must present a certificate' },
  { component: 'etcd', flag: 'peer-auto-tls', value: 'false', match: 'equals', kubeadmDefault: 'false', cis: same('2.6'), kubernetes: {}, why: 'no self-signed peer certificates' },
];

/** a flag that must never be set. */
export interface ForbiddenFlag {
  readonly component: ControlPlaneComponent;
  readonly flag: string;
  readonly cis: readonly CisRef[];
  readonly why: string;
}

/** flags that must never be set, with the recommendation that forbids them. */
export const FORBIDDEN_FLAGS: readonly ForbiddenFlag[] = [
  { component: 'kube-apiserver', flag: 'token-auth-file', cis: same('1.2.2'), why: 'static tokens never expire and cannot be revoked without a restart' },
];

/** the secure KubeletConfiguration fields, in a stable order. */
export const SECURE_KUBELET_FIELDS: readonly SecureKubeletField[] = [
  { path: 'authentication.anonymous.enabled', value: false, kubeletDefault: false, cis: same('4.2.1'), kubernetes: {}, why: 'the kubelet API rejects unauthenticated requests' },
  { path: 'authentication.webhook.enabled', value: true, kubeletDefault: true, cis: [], kubernetes: {}, why: 'bearer tokens are checked with the API server' },
  { path: 'authorization.mode', value: 'Webhook', kubeletDefault: 'Webhook', cis: same('4.2.2'), kubernetes: {}, why: 'each kubelet API call is authorized by the API server (SubjectAccessReview)' },
  { path: 'authentication.x509.clientCAFile', value: CONTROL_PLANE_PATHS.caCertificate, cis: same('4.2.3'), kubernetes: {}, why: 'client certificates are verified against the cluster CA' },
  { path: 'readOnlyPort', value: 0, kubeletDefault: 0, cis: same('4.2.4'), kubernetes: {}, why: 'no unauthenticated read-only port' },
  { path: 'streamingConnectionIdleTimeout', value: '5m0s', cis: same('4.2.5'), kubernetes: {}, why: 'idle exec and port-forward streams are closed after five minutes' },
  { path: 'makeIPTablesUtilChains', value: true, kubeletDefault: true, cis: same('4.2.6'), kubernetes: {}, why: 'the kubelet manages its iptables chains' },
  { path: 'eventRecordQPS', value: 50, kubeletDefault: 50, cis: same('4.2.8'), kubernetes: {}, why: 'events are rate-limited but not dropped wholesale (0 means unlimited)' },
  { path: 'rotateCertificates', value: true, kubeletDefault: false, cis: same('4.2.10'), kubernetes: {}, why: 'the client certificate is renewed before it expires' },
  { path: 'serverTLSBootstrap', value: true, kubeletDefault: false, cis: same('4.2.11'), kubernetes: {}, why: 'the serving certificate is signed by the cluster CA (so the API server can verify it) and rotated' },
  { path: 'tlsCipherSuites', value: STRONG_TLS_CIPHER_SUITES.join(','), cis: same('4.2.12'), kubernetes: {}, why: 'forward-secret AEAD cipher suites only' },
  { path: 'podPidsLimit', value: 4096, kubeletDefault: -1, cis: same('4.2.13'), kubernetes: {}, why: 'a fork bomb in one pod cannot exhaust the node\'s PIDs' },
  { path: 'protectKernelDefaults', value: true, kubeletDefault: false, cis: [], kubernetes: {}, why: 'the kubelet refuses to start when kernel tunables differ from what it needs, instead of changing them' },
  { path: 'seccompDefault', value: true, kubeletDefault: false, cis: [], kubernetes: { since: '1.25' }, why: 'containers without a seccomp profile get RuntimeDefault' },
  { path: 'tlsMinVersion', value: 'VersionTLS12', cis: [], kubernetes: {}, why: 'no TLS 1.0 or 1.1' },
];

/**
 * CIS recommendations the library deliberately does not follow by default, with the reason. The
 * benchmark evaluator still reports them as failing (it knows no ids); the report adds the reason.
 */
export const CIS_DEVIATIONS: readonly { readonly cis: readonly CisRef[]; readonly reason: string }[] = [
  { cis: [{ benchmark: 'cis-1.8', id: '1.2.1' }, { benchmark: 'cis-1.10', id: '1.2.1' }, { benchmark: 'cis-1.12', id: '1.2.1' }], reason: 'from Kubernetes 1.32 the AuthenticationConfiguration allows anonymous requests to /livez, /readyz and /healthz only; the API server refuses --anonymous-auth together with it, so the flag test cannot pass there (before 1.32 the flag is set)' },
  { cis: [...apiServer('1.2.9'), { benchmark: 'cis-1.12', id: '1.2.9' }], reason: 'EventRateLimit needs its own admission configuration with limits sized for the cluster, and a wrong size drops events; opt in when sized (manual recommendation)' },
  { cis: [...apiServer('1.2.11'), { benchmark: 'cis-1.12', id: '1.2.11' }], reason: 'AlwaysPullImages makes every pod start depend on the registry; KubeadmConfiguration enables it with alwaysPullImages: true (manual recommendation)' },
  { cis: [{ benchmark: 'cis-1.8', id: '1.2.12' }], reason: 'SecurityContextDeny is superseded by the PodSecurity admission configuration (restricted by default) and was removed in Kubernetes 1.30; CIS 1.10 dropped it' },
  { cis: [{ benchmark: 'cis-1.8', id: '4.2.9' }, { benchmark: 'cis-1.10', id: '4.2.9' }, { benchmark: 'cis-1.12', id: '4.2.9' }], reason: 'serverTLSBootstrap has the kubelet serving certificate signed by the cluster CA through the CSR API and rotated; a static tlsCertFile would replace it with a certificate nobody rotates (manual recommendation)' },
];

/** a configuration file kind that lives on a node, recognised by apiVersion and kind. */
export interface NodeConfigKind {
  readonly apiVersions: readonly string[];
  readonly kind: string;
}

/**
 * The configuration files of control-plane nodes and kubelets that `check` audits. They are not API
 * objects: they have no `metadata.name` and never belong in `dist/`.
 */
export const NODE_CONFIG_KINDS: readonly NodeConfigKind[] = [
  { apiVersions: ['kubelet.config.k8s.io/v1beta1'], kind: 'KubeletConfiguration' },
  { apiVersions: ['kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta4'], kind: 'ClusterConfiguration' },
  { apiVersions: ['kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta4'], kind: 'InitConfiguration' },
  { apiVersions: ['kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta4'], kind: 'JoinConfiguration' },
  { apiVersions: ['apiserver.config.k8s.io/v1'], kind: 'EncryptionConfiguration' },
  { apiVersions: ['audit.k8s.io/v1'], kind: 'Policy' },
  { apiVersions: ['apiserver.config.k8s.io/v1alpha1', 'apiserver.config.k8s.io/v1beta1', 'apiserver.config.k8s.io/v1'], kind: 'AuthenticationConfiguration' },
  { apiVersions: ['apiserver.config.k8s.io/v1', 'apiserver.k8s.io/v1alpha1'], kind: 'AdmissionConfiguration' },
];

/** whether an object is one of the node configuration files (by apiVersion and kind). */
export function isNodeConfig(object: { readonly apiVersion?: unknown; readonly kind?: unknown }): boolean {
  return NODE_CONFIG_KINDS.some((entry) => entry.kind === object.kind && entry.apiVersions.includes(String(object.apiVersion)));
}
