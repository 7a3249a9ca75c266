import { cisLabel, CisRef, isNodeConfig, SECURE_KUBELET_FIELDS } from '../../../model/control-plane-settings';
import { asRecord } from '../../pod-spec';
import type { KubeObject } from '../../types';

/** the object when it is a node configuration file of `kind` (by apiVersion too), else undefined. */
export function nodeConfigOf(object: KubeObject, kind: string): KubeObject | undefined {
  return object.kind === kind && isNodeConfig(object) ? object : undefined;
}

/** the value at a dotted path, or undefined. */
export function valueAt(object: KubeObject, dotted: string): unknown {
  let node: unknown = object;
  for (const part of dotted.split('.')) node = asRecord(node)?.[part];
  return node;
}

/** `(CIS cis-1.8 4.2.1, cis-1.10 4.2.1)`, or '' when no recommendation names it. */
export function cisSuffix(refs: readonly CisRef[]): string {
  return refs.length > 0 ? ` (CIS ${refs.map(cisLabel).join(', ')})` : '';
}

/** the CIS references of a KubeletConfiguration field. */
export function kubeletCis(path: string): readonly CisRef[] {
  return SECURE_KUBELET_FIELDS.find((field) => field.path === path)?.cis ?? [];
}

/** a `kubelet.config.k8s.io/v1beta1` field, or its documented default when absent. */
export function kubeletValue(object: KubeObject, path: string): unknown {
  const value = valueAt(object, path);
  if (value !== undefined && value !== null) return value;
  return SECURE_KUBELET_FIELDS.find((field) => field.path === path)?.kubeletDefault;
}
