import { ObjectMemo } from '../object-memo';
import { asArray, asRecord, containersOf, ContainerLocation, podSpecUnderCheck, PodSpecLocation } from '../pod-spec';
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

/** every container list, the default of `workloadContainers`. */
const ALL_LISTS: readonly ContainerLocation['list'][] = ['containers', 'initContainers', 'ephemeralContainers'];

/**
 * The containers of the object under check, by the lists asked for (`containers`, or
 * `containers,initContainers`...): built once per object and shared by every rule that asks,
 * instead of every rule enumerating the same containers again.
 */
const WORKLOAD_CONTAINERS = new ObjectMemo<KubeObject, Map<string, readonly WorkloadContainer[]>>(() => new Map());
const NO_CONTAINERS: readonly WorkloadContainer[] = Object.freeze([]);
const ALL_KEY = ALL_LISTS.join(',');

/**
 * The containers of a Pod or pod-template kind whose list is one of `lists`, with full paths.
 * The result is shared between callers: never modify it.
 */
export function workloadContainers(
  object: KubeObject,
  lists: readonly ContainerLocation['list'][] = ALL_LISTS,
): readonly WorkloadContainer[] {
  const byLists = WORKLOAD_CONTAINERS.get(object);
  const key = lists === ALL_LISTS ? ALL_KEY : lists.join(',');
  const cached = byLists.get(key);
  if (cached) return cached;
  let all = byLists.get(ALL_KEY);
  if (!all) {
    const pod = podSpecUnderCheck(object);
    // built key by key, not spread and frozen: the readonly types keep rules from changing them.
    all = pod ? containersOf(pod.spec).map((location): WorkloadContainer => ({
      container: location.container, path: location.path, list: location.list, name: location.name, fullPath: `${pod.path}.${location.path}`, pod,
    })) : NO_CONTAINERS;
    byLists.set(ALL_KEY, all);
  }
  const selected = key === ALL_KEY ? all : all.filter((location) => lists.includes(location.list));
  byLists.set(key, selected);
  return selected;
}

/** how a container is named in messages: `container "app"`, `init container "setup"`. */
export function describeContainer(location: ContainerLocation): string {
  const prefix = location.list === 'initContainers' ? 'init container' : location.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${prefix} ${JSON.stringify(location.name)}`;
}
