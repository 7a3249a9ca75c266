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

/** the pod spec of a Pod or pod-template kind; undefined when the object carries none. */
export function podSpecOf(object: KubeObject): PodSpecLocation | undefined {
  const kind = object.kind;
  let specPath: string[];
  switch (kind) {
    case 'Pod': specPath = ['spec']; break;
    case 'PodTemplate': specPath = ['template', 'spec']; break;
    case 'CronJob': specPath = ['spec', 'jobTemplate', 'spec', 'template', 'spec']; break;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'ReplicationController': case 'Job':
      specPath = ['spec', 'template', 'spec']; break;
    default: return undefined;
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
