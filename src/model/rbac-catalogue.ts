/**
 * What the Kubernetes v1.28 API authorizes, as data shared by the checker's RBAC rules and the
 * `MinimalServiceAccount` construct: the real spelling of verbs and resources, which resources
 * are cluster-scoped, and the grants that are escalation paths. Model code: imports nothing.
 */

/** the verbs the RBAC authorizer checks for resource requests (lowercase, as the API spells them). */
export const RBAC_VERBS: readonly string[] = [
  'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection',
  // special verbs: RBAC (bind, escalate), impersonation, certificate signers, admission policies.
  'bind', 'escalate', 'impersonate', 'approve', 'sign', 'attest', 'use',
];

/** one resource of a built-in API group. */
export interface ApiResourceInfo {
  /** false for cluster-scoped resources, which a namespaced Role cannot grant. */
  readonly namespaced: boolean;
  /** the subresources the API serves (`exec` for `pods/exec`). */
  readonly subresources: readonly string[];
}

const ns = (...subresources: string[]): ApiResourceInfo => ({ namespaced: true, subresources });
const cluster = (...subresources: string[]): ApiResourceInfo => ({ namespaced: false, subresources });

/**
 * The resources of the built-in API groups of Kubernetes v1.28 (`kubectl api-resources`), by
 * group (`''` is the core group). Groups not listed here are custom (CRDs, aggregated APIs).
 */
export const BUILT_IN_API_RESOURCES: Readonly<Record<string, Readonly<Record<string, ApiResourceInfo>>>> = {
  '': {
    bindings: ns(),
    componentstatuses: cluster(),
    configmaps: ns(),
    endpoints: ns(),
    events: ns(),
    // impersonation targets: not object kinds, checked as `impersonate` on these names.
    groups: cluster(),
    users: cluster(),
    limitranges: ns(),
    namespaces: cluster('finalize', 'status'),
    nodes: cluster('proxy', 'status'),
    persistentvolumeclaims: ns('status'),
    persistentvolumes: cluster('status'),
    pods: ns('attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'status'),
    podtemplates: ns(),
    replicationcontrollers: ns('scale', 'status'),
    resourcequotas: ns('status'),
    secrets: ns(),
    serviceaccounts: ns('token'),
    services: ns('proxy', 'status'),
  },
  'admissionregistration.k8s.io': {
    mutatingwebhookconfigurations: cluster(),
    validatingadmissionpolicies: cluster('status'),
    validatingadmissionpolicybindings: cluster(),
    validatingwebhookconfigurations: cluster(),
  },
  'apiextensions.k8s.io': { customresourcedefinitions: cluster('status') },
  'apiregistration.k8s.io': { apiservices: cluster('status') },
  'apps': {
    controllerrevisions: ns(),
    daemonsets: ns('status'),
    deployments: ns('scale', 'status'),
    replicasets: ns('scale', 'status'),
    statefulsets: ns('scale', 'status'),
  },
  'authentication.k8s.io': { selfsubjectreviews: cluster(), tokenreviews: cluster(), uids: cluster(), userextras: cluster('scopes') },
  'authorization.k8s.io': {
    localsubjectaccessreviews: ns(),
    selfsubjectaccessreviews: cluster(),
    selfsubjectrulesreviews: cluster(),
    subjectaccessreviews: cluster(),
  },
  'autoscaling': { horizontalpodautoscalers: ns('status') },
  'batch': { cronjobs: ns('status'), jobs: ns('status') },
  'certificates.k8s.io': {
    certificatesigningrequests: cluster('approval', 'status'),
    // not an object kind: the authorizer checks `approve`/`sign` on signers named after signerName.
    signers: cluster(),
  },
  'coordination.k8s.io': { leases: ns() },
  'discovery.k8s.io': { endpointslices: ns() },
  'events.k8s.io': { events: ns() },
  'flowcontrol.apiserver.k8s.io': { flowschemas: cluster('status'), prioritylevelconfigurations: cluster('status') },
  'networking.k8s.io': { ingressclasses: cluster(), ingresses: ns('status'), networkpolicies: ns() },
  'node.k8s.io': { runtimeclasses: cluster() },
  'policy': { poddisruptionbudgets: ns('status') },
  'rbac.authorization.k8s.io': {
    clusterrolebindings: cluster(),
    clusterroles: cluster(),
    rolebindings: ns(),
    roles: ns(),
  },
  'scheduling.k8s.io': { priorityclasses: cluster() },
  'storage.k8s.io': {
    csidrivers: cluster(),
    csinodes: cluster(),
    csistoragecapacities: ns(),
    storageclasses: cluster(),
    volumeattachments: cluster('status'),
  },
};

/** true when `group` is one of the built-in API groups the catalogue lists. */
export function isBuiltInApiGroup(group: string): boolean {
  return Object.prototype.hasOwnProperty.call(BUILT_IN_API_RESOURCES, group);
}

/** the catalogue entry of a built-in resource (`pods`, not `pods/exec`), or undefined. */
export function builtInResource(group: string, resource: string): ApiResourceInfo | undefined {
  const resources = BUILT_IN_API_RESOURCES[group];
  return resources && Object.prototype.hasOwnProperty.call(resources, resource) ? resources[resource] : undefined;
}

/**
 * One grant that is an escalation path: any of `verbs` on any of `resources` in `apiGroup`.
 * `clusterScoped` grants only matter in a ClusterRole (a Role cannot reach cluster-scoped objects).
 */
export interface DangerousGrant {
  readonly apiGroup: string;
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly clusterScoped: boolean;
}

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * The grants that lead from a namespace-level foothold to more power, by the rule that flags
 * them. Both the checker's rules and `MinimalServiceAccount` read this one list.
 */
export const DANGEROUS_GRANTS = {
  /** the kubelet API: exec into, and read the logs and env of, every pod on the node. */
  nodesProxy: [{ apiGroup: '', resources: ['nodes/proxy'], verbs: ['get', 'create', 'update', 'patch', 'delete'], clusterScoped: true }],
  /** mint tokens for any ServiceAccount in scope (TokenRequest). */
  tokenRequest: [{ apiGroup: '', resources: ['serviceaccounts/token'], verbs: ['create'], clusterScoped: false }],
  /** add a debug container to a running pod: exec by another name, with the pod's identity. */
  ephemeralContainers: [{ apiGroup: '', resources: ['pods/ephemeralcontainers'], verbs: ['update', 'patch'], clusterScoped: false }],
  /** tunnel to any pod's ports from outside, around every NetworkPolicy. */
  portForward: [{ apiGroup: '', resources: ['pods/portforward'], verbs: ['create', 'get'], clusterScoped: false }],
  /** rewrite another workload's pod template: its image, ServiceAccount and mounted Secrets. */
  workloadRewrite: [
    { apiGroup: '', resources: ['pods', 'replicationcontrollers', 'podtemplates'], verbs: ['update', 'patch'], clusterScoped: false },
    { apiGroup: 'apps', resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], verbs: ['update', 'patch'], clusterScoped: false },
    { apiGroup: 'batch', resources: ['jobs', 'cronjobs'], verbs: ['update', 'patch'], clusterScoped: false },
  ],
  /** approve certificate requests, which issues client certificates for any user or group. */
  csrApproval: [
    { apiGroup: 'certificates.k8s.io', resources: ['certificatesigningrequests/approval'], verbs: ['update', 'patch'], clusterScoped: true },
    { apiGroup: 'certificates.k8s.io', resources: ['signers'], verbs: ['approve'], clusterScoped: true },
  ],
  /** write the admission configuration that enforces every other guardrail. */
  admissionConfig: [{
    apiGroup: 'admissionregistration.k8s.io',
    resources: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'],
    verbs: WRITE_VERBS,
    clusterScoped: true,
  }],
  /** create a hostPath PersistentVolume and mount any node directory through a claim. */
  createPersistentVolumes: [{ apiGroup: '', resources: ['persistentvolumes'], verbs: ['create'], clusterScoped: true }],
  /** set a Service's status.loadBalancer.ingress IPs and intercept cluster traffic (CVE-2020-8554). */
  serviceStatus: [{ apiGroup: '', resources: ['services/status'], verbs: ['update', 'patch'], clusterScoped: false }],
} as const satisfies Record<string, readonly DangerousGrant[]>;

/** the label that aggregates a ClusterRole's rules into a built-in user-facing role. */
export const AGGREGATE_TO_LABEL_PREFIX = 'rbac.authorization.k8s.io/aggregate-to-';

/** groups Kubernetes puts every (or every unauthenticated) caller in. */
export const BROAD_SYSTEM_GROUPS: readonly string[] = [
  'system:anonymous', 'system:unauthenticated', 'system:authenticated', 'system:masters',
  'system:serviceaccounts', 'system:nodes', 'system:bootstrappers',
];
