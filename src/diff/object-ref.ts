import { asRecord } from '../checker/pod-spec';
import type { KubeObject } from '../checker/types';

/** names one object in a diff: namespace (absent for cluster-scoped or unset), kind and name. */
export interface ObjectRef {
  readonly namespace?: string;
  readonly kind: string;
  readonly name: string;
}

/** the reference of a manifest object. */
export function refOf(object: KubeObject): ObjectRef {
  const metadata = asRecord(object.metadata);
  const namespace = typeof metadata?.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  return { ...(namespace ? { namespace } : {}), kind: typeof object.kind === 'string' ? object.kind : '', name: typeof metadata?.name === 'string' ? metadata.name : '' };
}

/** `namespace/Kind/name`, or `Kind/name` without a namespace. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.namespace ? `${ref.namespace}/` : ''}${ref.kind}/${ref.name}`;
}

/** a key for matching across trees and sorting. */
export function refKey(ref: ObjectRef): string {
  return `${ref.namespace ?? ''}\u0000${ref.kind}\u0000${ref.name}`;
}

/** byte-order comparison, so output order never depends on the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
