/**
 * Small builders for the CEL the twins are written in. They emit only core CEL (1.28-safe), so the
 * twins read like the checker's logic without hand-written guard chains.
 */

/** a CEL string literal. */
export function celString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, '\\\'')}'`;
}

/** a CEL list of string literals (homogeneous, as the API server requires). */
export function celStrings(values: readonly string[]): string {
  return `[${values.map(celString).join(', ')}]`;
}

/**
 * `!has(a.b) || (type(a.b) == map && (!has(a.b.c) || test(a.b.c)))`: holds when the field is unset
 * or passes `test`. Guards from the top down, because `has()` of a field whose parent is absent is
 * an error, and requires every parent to be a map, so a wrong-typed parent fails the same way in
 * every CEL implementation (the checker reports what it cannot verify).
 */
export function unsetOr(base: string, path: readonly string[], test: (value: string) => string): string {
  const field = `${base}.${path[0]}`;
  if (path.length === 1) return `(!has(${field}) || ${test(field)})`;
  return `(!has(${field}) || (type(${field}) == map && ${unsetOr(field, path.slice(1), test)}))`;
}

/** `has(a.b) && type(a.b) == map && has(a.b.c) && test(a.b.c)`: holds when the field is set and passes `test`. */
export function setAnd(base: string, path: readonly string[], test: (value: string) => string): string {
  const field = `${base}.${path[0]}`;
  if (path.length === 1) return `(has(${field}) && ${test(field)})`;
  return `(has(${field}) && type(${field}) == map && ${setAnd(field, path.slice(1), test)})`;
}

/** the field is set (every parent a map). */
export function isSet(base: string, path: readonly string[]): string {
  const field = `${base}.${path[0]}`;
  if (path.length === 1) return `has(${field})`;
  return `(has(${field}) && type(${field}) == map && ${isSet(field, path.slice(1))})`;
}

/** the names of the containers of `list` for which `ok` does not hold, for messages. */
export function failingContainers(list: string, ok: string): string {
  return `${list}.filter(c, !${ok}).map(c, c.name)`;
}
