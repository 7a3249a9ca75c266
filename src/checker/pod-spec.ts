import { ObjectMemo } from './object-memo';
import type { KubeObject } from './types';

/** every kind that carries a pod spec, directly or in a template. */
export const POD_SPEC_KINDS = [
  'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'PodTemplate',
] as const;

/** a pod spec found inside an object, with the dotted path that leads to it. */
export interface PodSpecLocation {
  /** the pod spec; may hold fields of any type (user data is not trusted). */
  readonly spec: Record<string, unknown>;
  /** dotted path of the spec: `spec`, `spec.template.spec`, `spec.jobTemplate.spec.template.spec`, `template.spec`. */
  readonly path: string;
  /** the pod's metadata (template metadata for controllers). */
  readonly metadata: Record<string, unknown>;
}

/** the container lists PSA evaluates, in its order. */
export const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** a container found in a pod spec, with its dotted path. */
export interface ContainerLocation {
  readonly container: Record<string, unknown>;
  /** `containers[0]`, relative to the pod spec. */
  readonly path: string;
  readonly list: typeof CONTAINER_LISTS[number];
  readonly name: string;
}

/** a plain object (not an array, not null), else undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

/** an array, else an empty one. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** where a custom resource carries one pod spec: its API group, kind and the dotted path of the spec. */
export interface CustomPodSpecPath {
  /** the API group of `apiVersion` (`argoproj.io`); undefined matches any group. */
  readonly group?: string;
  readonly kind: string;
  /** dotted path of the pod spec: `spec.template.spec`. */
  readonly path: string;
}

/** custom resources of well-known projects that run one pod template, checked like Deployments. */
export const WELL_KNOWN_POD_SPEC_PATHS: readonly CustomPodSpecPath[] = [
  // Argo Rollouts: a Deployment replacement.
  { group: 'argoproj.io', kind: 'Rollout', path: 'spec.template.spec' },
  // Knative Serving: a Service or Configuration stamps out Revisions from its template.
  { group: 'serving.knative.dev', kind: 'Service', path: 'spec.template.spec' },
  { group: 'serving.knative.dev', kind: 'Configuration', path: 'spec.template.spec' },
  { group: 'serving.knative.dev', kind: 'Revision', path: 'spec' },
  // KEDA: a ScaledJob creates Jobs from its job target's template.
  { group: 'keda.sh', kind: 'ScaledJob', path: 'spec.jobTargetRef.template.spec' },
];

/** the API group of an object (`''` for the core group). */
export function apiGroupOf(object: KubeObject): string {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** the custom pod-spec path declared for an object's group and kind, if any. */
export function customPodSpecPath(object: KubeObject, paths: readonly CustomPodSpecPath[]): CustomPodSpecPath | undefined {
  const group = apiGroupOf(object);
  return paths.find((entry) => entry.kind === object.kind && (entry.group === undefined || entry.group === group));
}

/** pod specs the engine found for one check (Argo templates, declared paths), by object. */
const REGISTERED = new WeakMap<KubeObject, PodSpecLocation>();

/**
 * Makes `podSpecOf(object)` return `location`: the engine registers the pod specs of objects it
 * builds for one check (a copy per Argo Workflows template, objects of kinds declared with
 * `--pod-spec-path`), so that every pod rule examines them.
 */
export function registerPodSpec(object: KubeObject, location: PodSpecLocation): void {
  REGISTERED.set(object, location);
}

/** the pod spec at a dotted path of an object, with the metadata beside it. */
export function podSpecAt(object: KubeObject, dottedPath: string): PodSpecLocation | undefined {
  const specPath = dottedPath.split('.');
  let current: unknown = object;
  let parent: Record<string, unknown> | undefined;
  for (const key of specPath) {
    parent = asRecord(current);
    current = parent?.[key];
  }
  const spec = asRecord(current);
  if (!spec) return undefined;
  const metadata = specPath.length === 1 ? asRecord(object.metadata) : asRecord(parent?.metadata);
  return { spec, path: dottedPath, metadata: metadata ?? {} };
}

/**
 * The pod spec of a Pod, a pod-template kind, or a well-known custom resource (Argo Rollout,
 * Knative Service/Configuration/Revision, KEDA ScaledJob); undefined when the object carries none.
 */
export function podSpecOf(object: KubeObject): PodSpecLocation | undefined {
  const registered = REGISTERED.get(object);
  if (registered) return registered;
  const kind = object.kind;
  let specPath: string[];
  switch (kind) {
    case 'Pod': specPath = ['spec']; break;
    case 'PodTemplate': specPath = ['template', 'spec']; break;
    case 'CronJob': specPath = ['spec', 'jobTemplate', 'spec', 'template', 'spec']; break;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'ReplicationController': case 'Job':
      specPath = ['spec', 'template', 'spec']; break;
    default: {
      const custom = apiGroupOf(object) === '' ? undefined : customPodSpecPath(object, WELL_KNOWN_POD_SPEC_PATHS);
      return custom ? podSpecAt(object, custom.path) : undefined;
    }
  }
  let current: unknown = object;
  let parent: Record<string, unknown> | undefined;
  for (const key of specPath) {
    parent = asRecord(current);
    current = parent?.[key];
  }
  const spec = asRecord(current);
  if (!spec) return undefined;
  const metadata = kind === 'Pod' ? asRecord(object.metadata) : asRecord(parent?.metadata);
  return { spec, path: specPath.join('.'), metadata: metadata ?? {} };
}

const POD_SPECS = new ObjectMemo<KubeObject, PodSpecLocation | undefined>((object) => podSpecOf(object));

/**
 * `podSpecOf` for the object under check: every rule of a workload asks for its pod spec, so the
 * engine's rules share one lookup per object (see `ObjectMemo`: objects are not modified during a
 * check). Code outside a check calls `podSpecOf`.
 */
export function podSpecUnderCheck(object: KubeObject): PodSpecLocation | undefined {
  return POD_SPECS.get(object);
}

/** every container of a pod spec: containers, initContainers and ephemeralContainers. */
export function containersOf(spec: Record<string, unknown>): ContainerLocation[] {
  const result: ContainerLocation[] = [];
  for (const list of CONTAINER_LISTS) {
    asArray(spec[list]).forEach((item, index) => {
      const container = asRecord(item);
      if (!container) return;
      const name = typeof container.name === 'string' ? container.name : `${list}[${index}]`;
      result.push({ container, path: `${list}[${index}]`, list, name });
    });
  }
  return result;
}
