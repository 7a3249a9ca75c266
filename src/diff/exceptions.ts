import { compareText, ObjectRef, refKey, refOf } from './object-ref';
import { asRecord, podSpecOf } from '../checker/pod-spec';
import type { KubeObject } from '../checker/types';
import { SUPPRESSION_ANNOTATION_PREFIX, SUPPRESSION_EXPIRY_ANNOTATION_PREFIX } from '../model/exceptions';

/** one suppression annotation: a rule the object is excused from, why, and until when. */
export interface ExceptionEntry {
  readonly object: ObjectRef;
  readonly ruleId: string;
  readonly reason: string;
  /** `YYYY-MM-DD`, when the exception has one. */
  readonly expires?: string;
}

/** an exception present in both trees whose reason or expiry changed. */
export interface ExceptionChange {
  readonly object: ObjectRef;
  readonly ruleId: string;
  readonly before: { readonly reason: string; readonly expires?: string };
  readonly after: { readonly reason: string; readonly expires?: string };
}

export interface ExceptionsDiff {
  readonly added: ExceptionEntry[];
  readonly removed: ExceptionEntry[];
  readonly changed: ExceptionChange[];
  /** exceptions added or changed here that expire within `EXPIRY_WINDOW_DAYS` (or already have). */
  readonly expiringSoon: ExceptionEntry[];
}

/** how far ahead an expiry is called soon. */
export const EXPIRY_WINDOW_DAYS = 30;

/**
 * Every suppression annotation of the tree, as written (valid or not: a reason too short to hold is
 * still a change a reviewer should see). Annotations on a pod template count as the object's own,
 * as `check` reads them.
 */
export function exceptionsOf(objects: readonly KubeObject[]): Map<string, ExceptionEntry> {
  const found = new Map<string, ExceptionEntry>();
  for (const object of objects) {
    const sources = [asRecord(asRecord(object.metadata)?.annotations)];
    const pod = podSpecOf(object);
    if (pod && object.kind !== 'Pod') sources.push(asRecord(pod.metadata.annotations));
    const ref = refOf(object);
    for (const annotations of sources) {
      for (const [key, value] of Object.entries(annotations ?? {})) {
        if (!key.startsWith(SUPPRESSION_ANNOTATION_PREFIX)) continue;
        const ruleId = key.slice(SUPPRESSION_ANNOTATION_PREFIX.length);
        const id = `${refKey(ref)}\u0000${ruleId}`;
        if (found.has(id)) continue;
        const expires = annotations?.[SUPPRESSION_EXPIRY_ANNOTATION_PREFIX + ruleId];
        found.set(id, {
          object: ref,
          ruleId,
          reason: typeof value === 'string' ? value.trim() : JSON.stringify(value) ?? '',
          ...(expires !== undefined ? { expires: typeof expires === 'string' ? expires : JSON.stringify(expires) } : {}),
        });
      }
    }
  }
  return found;
}

/** the exceptions added, removed or changed from `base` to `head`; `now` dates the expiry window. */
export function compareExceptions(base: readonly KubeObject[], head: readonly KubeObject[], now: Date): ExceptionsDiff {
  const before = exceptionsOf(base);
  const after = exceptionsOf(head);
  const added: ExceptionEntry[] = [];
  const removed: ExceptionEntry[] = [];
  const changed: ExceptionChange[] = [];
  const expiringSoon: ExceptionEntry[] = [];
  const horizon = new Date(now.getTime() + EXPIRY_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
  const soon = (entry: ExceptionEntry) => entry.expires !== undefined && entry.expires <= horizon;
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort(compareText)) {
    const was = before.get(id);
    const is = after.get(id);
    if (!was && is) {
      added.push(is);
      if (soon(is)) expiringSoon.push(is);
    } else if (was && !is) {
      removed.push(was);
    } else if (was && is && (was.reason !== is.reason || was.expires !== is.expires)) {
      const side = (entry: ExceptionEntry) => ({ reason: entry.reason, ...(entry.expires !== undefined ? { expires: entry.expires } : {}) });
      changed.push({ object: is.object, ruleId: is.ruleId, before: side(was), after: side(is) });
      if (soon(is)) expiringSoon.push(is);
    }
  }
  return { added, removed, changed, expiringSoon };
}
