import type { TwinTarget } from './twin';
import { POD_SPEC_KINDS } from '../checker/pod-spec';

/** one `resourceRules` entry of a policy's matchConstraints. */
export interface ResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly string[];
}

const WRITES = ['CREATE', 'UPDATE'];

/**
 * What each target matches. Pod-spec twins also match `pods/ephemeralcontainers`, which
 * `kubectl debug` writes through, and every controller kind, so a bad template is refused when it
 * is applied rather than when its first pod is.
 */
export const TARGET_RESOURCES: Record<TwinTarget, readonly ResourceRule[]> = {
  'pod-spec': [
    { apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'pods/ephemeralcontainers', 'podtemplates', 'replicationcontrollers'], operations: WRITES },
    { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], operations: WRITES },
    { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['cronjobs', 'jobs'], operations: WRITES },
  ],
  'role': [{ apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['v1'], resources: ['clusterroles', 'roles'], operations: WRITES }],
  'binding': [{ apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['v1'], resources: ['clusterrolebindings', 'rolebindings'], operations: WRITES }],
  'service': [{ apiGroups: [''], apiVersions: ['v1'], resources: ['services'], operations: WRITES }],
  'namespace': [{ apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: WRITES }],
  'network-policy': [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], resources: ['networkpolicies'], operations: WRITES }],
  'ingress': [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], resources: ['ingresses'], operations: WRITES }],
  'storage': [
    { apiGroups: [''], apiVersions: ['v1'], resources: ['persistentvolumes'], operations: WRITES },
    { apiGroups: ['storage.k8s.io'], apiVersions: ['v1'], resources: ['storageclasses'], operations: WRITES },
  ],
  // a policy on resources a cluster does not serve (no External Secrets Operator) matches nothing.
  'secret-store': [{ apiGroups: ['external-secrets.io'], apiVersions: ['v1'], resources: ['clustersecretstores', 'secretstores'], operations: WRITES }],
};

/** the kinds each target's policies see as `object.kind`, for tests and docs. */
export const TARGET_KINDS: Record<TwinTarget, readonly string[]> = {
  'pod-spec': POD_SPEC_KINDS,
  'role': ['Role', 'ClusterRole'],
  'binding': ['RoleBinding', 'ClusterRoleBinding'],
  'service': ['Service'],
  'namespace': ['Namespace'],
  'network-policy': ['NetworkPolicy'],
  'ingress': ['Ingress'],
  'storage': ['PersistentVolume', 'StorageClass'],
  'secret-store': ['SecretStore', 'ClusterSecretStore'],
};

/** where the pod template's metadata sits, per kind, guarded top-down; `{}` when absent. */
function templateMetadata(templatePath: string): string {
  const steps = templatePath.split('.');
  const guards = steps.map((_, index) => `has(object.${steps.slice(0, index + 1).join('.')})`);
  return `(${[...guards, `has(object.${templatePath}.metadata)`].join(' && ')} ? object.${templatePath}.metadata : {})`;
}

const CONTROLLER_TEMPLATE = 'spec.template';
const CRONJOB_TEMPLATE = 'spec.jobTemplate.spec.template';
const PODTEMPLATE_TEMPLATE = 'template';

/** CEL for the pod spec of any pod-spec kind, as the checker's `podSpecOf` finds it. */
export const POD_SPEC_EXPRESSION = 'object.kind == \'Pod\' ? object.spec'
  + ` : object.kind == 'CronJob' ? object.${CRONJOB_TEMPLATE}.spec`
  + ` : object.kind == 'PodTemplate' ? object.${PODTEMPLATE_TEMPLATE}.spec`
  + ` : object.${CONTROLLER_TEMPLATE}.spec`;

/** CEL for the pod's metadata (the template's for controllers), `{}` when a template has none. */
export const POD_METADATA_EXPRESSION = 'object.kind == \'Pod\' ? object.metadata'
  + ` : object.kind == 'CronJob' ? ${templateMetadata(CRONJOB_TEMPLATE)}`
  + ` : object.kind == 'PodTemplate' ? ${templateMetadata(PODTEMPLATE_TEMPLATE)}`
  + ` : ${templateMetadata(CONTROLLER_TEMPLATE)}`;

const listOf = (field: string) => `(has(variables.podSpec.${field}) ? variables.podSpec.${field} : [])`;

/** the variables every pod-spec twin may read, in definition order. */
export const POD_SPEC_VARIABLES: readonly { readonly name: string; readonly expression: string }[] = [
  { name: 'podSpec', expression: POD_SPEC_EXPRESSION },
  { name: 'podMetadata', expression: POD_METADATA_EXPRESSION },
  { name: 'containers', expression: `${listOf('containers')} + ${listOf('initContainers')} + ${listOf('ephemeralContainers')}` },
  { name: 'regularContainers', expression: listOf('containers') },
  { name: 'resourceContainers', expression: `${listOf('containers')} + ${listOf('initContainers')}` },
  { name: 'volumes', expression: listOf('volumes') },
  { name: 'isWindows', expression: 'has(variables.podSpec.os) && has(variables.podSpec.os.name) && variables.podSpec.os.name == \'windows\'' },
];

/**
 * CEL for the annotation maps a suppression may sit in, as the checker reads them: the object's
 * own, and for controllers the pod template's.
 */
export function annotationSourceExpressions(target: TwinTarget): string[] {
  const own = '(has(object.metadata) && has(object.metadata.annotations) ? object.metadata.annotations : {})';
  if (target !== 'pod-spec') return [own];
  const annotationsOf = (metadata: string) => `(has(${metadata}.annotations) ? ${metadata}.annotations : {})`;
  const template = 'object.kind == \'Pod\' ? {}'
    + ` : object.kind == 'CronJob' ? ${annotationsOf(templateMetadata(CRONJOB_TEMPLATE))}`
    + ` : object.kind == 'PodTemplate' ? ${annotationsOf(templateMetadata(PODTEMPLATE_TEMPLATE))}`
    + ` : ${annotationsOf(templateMetadata(CONTROLLER_TEMPLATE))}`;
  return [own, `(${template})`];
}
