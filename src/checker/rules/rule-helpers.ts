import { asArray, asRecord, containersOf, ContainerLocation, podSpecOf, PodSpecLocation } from '../pod-spec';
import type { KubeObject } from '../types';

/** a string value, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** the strings of a list, ignoring entries of other types. */
export function stringsOf(value: unknown): string[] {
  return asArray(value).filter((item): item is string => typeof item === 'string');
}

/** `parent.key`, or `parent["key"]` when the key is not a plain identifier (label keys, annotations). */
export function fieldPath(parent: string, key: string): string {
  const segment = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  if (!parent) return segment.startsWith('.') ? segment.slice(1) : segment;
  return parent + segment;
}

/** the object's `metadata.namespace`, when it is a non-empty string. */
export function namespaceOf(object: KubeObject): string | undefined {
  const namespace = asRecord(object.metadata)?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

/** the object's `metadata.name`, or an empty string. */
export function nameOf(object: KubeObject): string {
  return asString(asRecord(object.metadata)?.name) ?? '';
}

/** a container of a workload, with its path from the object root. */
export interface WorkloadContainer extends ContainerLocation {
  /** dotted path from the object root: `spec.template.spec.containers[0]`. */
  readonly fullPath: string;
  readonly pod: PodSpecLocation;
}

/**
 * The containers of a Pod or pod-template kind whose list is one of `lists`, with full paths.
 */
export function workloadContainers(
  object: KubeObject,
  lists: readonly ContainerLocation['list'][] = ['containers', 'initContainers', 'ephemeralContainers'],
): WorkloadContainer[] {
  const pod = podSpecOf(object);
  if (!pod) return [];
  return containersOf(pod.spec)
    .filter((location) => lists.includes(location.list))
    .map((location) => ({ ...location, fullPath: `${pod.path}.${location.path}`, pod }));
}

/** how a container is named in messages: `container "app"`, `init container "setup"`. */
export function describeContainer(location: ContainerLocation): string {
  const prefix = location.list === 'initContainers' ? 'init container' : location.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${prefix} ${JSON.stringify(location.name)}`;
}
