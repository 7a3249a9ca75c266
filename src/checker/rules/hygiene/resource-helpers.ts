import { asRecord } from '../../pod-spec';

/** true when a resource quantity is present: a non-empty string or a number. */
export function hasQuantity(value: unknown): boolean {
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}

/** the container's `resources.limits` or `resources.requests`, tolerating wrong types. */
export function resourceList(container: Record<string, unknown>, list: 'limits' | 'requests'): Record<string, unknown> {
  return asRecord(asRecord(container.resources)?.[list]) ?? {};
}
