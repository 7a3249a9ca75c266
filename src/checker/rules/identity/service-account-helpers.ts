import type { PodSpecLocation } from '../../pod-spec';

/** the ServiceAccount a pod runs as, and the field that says so. */
export interface PodServiceAccount {
  readonly name: string;
  /** the field that named it, or `serviceAccountName` when none did. */
  readonly field: 'serviceAccountName' | 'serviceAccount';
  /** false when the pod names no ServiceAccount and Kubernetes uses `default`. */
  readonly explicit: boolean;
}

/** the pod's ServiceAccount: `serviceAccountName`, else the deprecated `serviceAccount`, else `default`. */
export function podServiceAccount(pod: PodSpecLocation): PodServiceAccount {
  for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
    const value = pod.spec[field];
    if (typeof value === 'string' && value !== '') return { name: value, field, explicit: true };
  }
  return { name: 'default', field: 'serviceAccountName', explicit: false };
}
