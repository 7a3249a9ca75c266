/**
 * What rules derive from the object under check (its pod spec, its containers with their paths),
 * computed once per object and shared by every rule that asks.
 *
 * The engine runs every rule of one object before the next object, so one slot per memo is enough:
 * it holds the derived value of the last object asked about. A slot costs nothing to look up and,
 * unlike a WeakMap over every object of the input, nothing to the garbage collector. A rule asking
 * about another object (through the context) only replaces the slot. Objects under check are never
 * modified; `clearObjectMemos` empties every slot when a check starts, so a caller that changes an
 * object between two checks gets fresh views.
 */
export class ObjectMemo<K extends object, T> {
  private key: K | undefined;
  private value: T | undefined;

  constructor(private readonly build: (key: K) => T) {
    MEMOS.push(this);
  }

  /** the derived value of `key`, built on the first call for it. */
  get(key: K): T {
    if (key !== this.key) {
      this.value = this.build(key);
      this.key = key;
    }
    return this.value as T;
  }

  clear(): void {
    this.key = undefined;
    this.value = undefined;
  }
}

/** every memo, to be emptied together. */
const MEMOS: { clear(): void }[] = [];

/** empties every memo: the engine calls it when a check starts. */
export function clearObjectMemos(): void {
  for (const memo of MEMOS) memo.clear();
}
