/*
 * Manifests written as JSON (`kubectl get -o json`, jsonnet output; often a whole `List` per
 * file): read with `JSON.parse` when that gives exactly what js-yaml gives, and located by a scan
 * that skips what it does not need instead of building a tree of the whole file.
 */

/** characters js-yaml refuses as non-printable (JSON.parse accepts them inside strings), and lone surrogates. */
const JS_YAML_NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
/** the same characters and every surrogate: one character class, several times faster; most texts have none. */
const MAYBE_NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** a JSON number or literal. */
const JSON_SCALAR = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)$/;

/** a character of a JSON number or literal: a lowercase letter, a digit, `-`, `+`, `.` or `E`. */
function isScalarCharacter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2b || code === 0x2e || code === 0x45;
}

/** a run of characters `collectionEnd` passes over: all but quotes, brackets and `#&*'!` (sticky, so `test` moves `lastIndex` to the run's end). */
const UNINTERESTING = /[^"{}[\]#&*'!]*/y;

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(text: string, at: number): number {
  while (isJsonSpace(text.charCodeAt(at))) at++;
  return at;
}

/** the offset of the quote that closes the string whose opening quote is at `at`; -1 when it does not close. */
function stringEnd(text: string, at: number): number {
  let end = text.indexOf('"', at + 1);
  for (;;) {
    if (end === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

/** a run of characters `outlineJson` passes over: all but quotes, brackets and commas (sticky). */
const BETWEEN_TOKENS = /[^"{}[\],]*/y;

/** what one pass over a text that is valid JSON finds. */
interface JsonOutline {
  /** object keys written (strings followed by a colon), duplicates included. */
  readonly keys: number;
  /** the offsets of the items of each array directly under the root object (a `List`'s `items`), by the array's offset. */
  readonly arrays: Map<number, number[]>;
}

/**
 * Counts the keys of a text `JSON.parse` accepted and, in the same pass, notes where the items of
 * the root object's arrays start: the line of a finding in a `List` then starts from its item
 * instead of a second scan of the whole file.
 */
function outlineJson(text: string): JsonOutline {
  let keys = 0;
  const arrays = new Map<number, number[]>();
  let depth = 0;
  // the items of the array being recorded (an array opened at depth 1), else undefined.
  let items: number[] | undefined;
  let at = 0;
  for (;;) {
    BETWEEN_TOKENS.lastIndex = at;
    BETWEEN_TOKENS.test(text);
    at = BETWEEN_TOKENS.lastIndex;
    if (at >= text.length) break;
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const end = stringEnd(text, at);
      // unreachable for a text JSON.parse accepted; never loop on one.
      if (end === -1) break;
      at = skipSpace(text, end + 1);
      if (text.charCodeAt(at) === COLON) {
        keys++;
        at++;
      }
      continue;
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      if (code === OPEN_BRACKET && depth === 2) {
        items = [];
        arrays.set(at, items);
        const first = skipSpace(text, at + 1);
        if (text.charCodeAt(first) !== CLOSE_BRACKET) items.push(first);
      }
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (depth === 2) items = undefined;
      depth--;
    } else if (items !== undefined && depth === 2) {
      // a comma between two items of the recorded array.
      items.push(skipSpace(text, at + 1));
    }
    at++;
  }
  return { keys, arrays };
}

/** the number of properties of every object in a parsed JSON value. */
function countProperties(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += countProperties(item);
    return count;
  }
  for (const key of Object.keys(value)) count += 1 + countProperties((value as Record<string, unknown>)[key]);
  return count;
}

/** true when a text JSON.parse accepted holds a character js-yaml rejects. */
function hasNonPrintable(text: string): boolean {
  // valid JSON has no raw control character (outside the blanks between tokens): an ASCII text can only hold DEL.
  if (Buffer.byteLength(text, 'utf8') === text.length) return text.includes('\x7f');
  return MAYBE_NON_PRINTABLE.test(text) && JS_YAML_NON_PRINTABLE.test(text);
}

/**
 * The documents js-yaml's `loadAll` reads from `text` with the Kubernetes schema, when the text is
 * one strict JSON object (what kubectl decodes as JSON); `undefined` otherwise, and js-yaml reads
 * it. JSON's numbers, strings and literals mean the same to js-yaml's YAML 1.1 schema; what
 * differs is refused: a duplicate key (JSON.parse keeps the last, js-yaml rejects the text, as the
 * checker does) and characters js-yaml rejects as non-printable.
 *
 * @param onItems given, when the text is read, the offsets of the items of the root object's arrays (`JsonLocator`'s `knownItems`)
 */
export function readJsonManifest(text: string, onItems?: (arrays: ReadonlyMap<number, readonly number[]>) => void): unknown[] | undefined {
  if (text.charCodeAt(skipSpace(text, 0)) !== OPEN_BRACE) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (hasNonPrintable(text)) return undefined;
  // JSON.parse folds a duplicate key into one property: fewer properties than keys written.
  const outline = outlineJson(text);
  if (countProperties(value) !== outline.keys) return undefined;
  onItems?.(outline.arrays);
  return [value];
}

/** thrown when the text is not strict JSON where the locator reads it. */
const NOT_JSON = Symbol('not JSON');

function notJson(): never {
  throw NOT_JSON;
}

/**
 * Finds where a path into a JSON document starts, reading only what lies on the way: values
 * before the wanted key or item are skipped, not parsed. The items of each array it enters are
 * indexed once, so every lookup into a long `List` jumps to its item.
 */
export class JsonLocator {
  /** the start offsets of the items of each array entered, by the array's offset. */
  private readonly arrays = new Map<number, readonly number[]>();
  /**
   * The keys read so far of each object entered, by the object's offset, and where reading goes
   * on: at `next` (-1: the object's end), after skipping the value there first when `skipFirst`.
   */
  private readonly objects = new Map<number, { readonly keys: Map<string, [number, number]>; next: number; skipFirst: boolean }>();

  /**
   * @param text the file's text
   * @param start where the JSON value of the document starts
   * @param knownItems the item offsets of arrays, by the array's offset, already found (`readJsonManifest`)
   */
  constructor(private readonly text: string, private readonly start: number, knownItems?: ReadonlyMap<number, readonly number[]>) {
    if (knownItems) for (const [array, items] of knownItems) this.arrays.set(array, items);
  }

  /**
   * The offset of the deepest node along `segments` (a property at its key's quote, an item at its
   * value), or undefined when the text on the way is not strict JSON.
   */
  offsetOf(segments: readonly (string | number)[]): number | undefined {
    try {
      let at = this.start;
      let offset = at;
      for (const segment of segments) {
        const code = this.text.charCodeAt(at);
        let found: [number, number] | undefined;
        if (code === OPEN_BRACE) found = this.property(at, String(segment));
        else if (code === OPEN_BRACKET && typeof segment === 'number') found = this.item(at, segment);
        if (!found) break;
        [offset, at] = found;
      }
      return offset;
    } catch (error) {
      if (error === NOT_JSON) return undefined;
      throw error;
    }
  }

  /**
   * The key offset and value offset of property `name` of the object at `at`. Each object is read
   * once, lazily: the keys passed on the way are kept, and the next lookup goes on from there, so
   * many findings in one object never skip the same values twice.
   */
  private property(at: number, name: string): [number, number] | undefined {
    let object = this.objects.get(at);
    if (!object) {
      object = { keys: new Map(), next: skipSpace(this.text, at + 1), skipFirst: false };
      this.objects.set(at, object);
    }
    const known = object.keys.get(name);
    if (known) return known;
    const text = this.text;
    while (object.next !== -1) {
      let next = object.next;
      if (object.skipFirst) {
        // the value of the key found last: skipped only now that a later key is wanted.
        object.skipFirst = false;
        next = skipSpace(text, this.valueEnd(next));
        const code = text.charCodeAt(next);
        if (code === CLOSE_BRACE) {
          object.next = -1;
          break;
        }
        if (code !== COMMA) notJson();
        next = object.next = skipSpace(text, next + 1);
      } else if (object.keys.size === 0 && text.charCodeAt(next) === CLOSE_BRACE) {
        object.next = -1;
        break;
      }
      if (text.charCodeAt(next) !== QUOTE) notJson();
      const keyEnd = stringEnd(text, next);
      if (keyEnd === -1) notJson();
      const raw = text.slice(next + 1, keyEnd);
      const key = raw.includes('\\') ? JSON.parse(`"${raw}"`) as string : raw;
      const colon = skipSpace(text, keyEnd + 1);
      if (text.charCodeAt(colon) !== COLON) notJson();
      const value = skipSpace(text, colon + 1);
      const found: [number, number] = [next, value];
      // the first of duplicate keys, as before (JSON read with JSON.parse has none).
      if (!object.keys.has(key)) object.keys.set(key, found);
      if (key === name) {
        object.next = value;
        object.skipFirst = true;
        return found;
      }
      next = skipSpace(text, this.valueEnd(value));
      const code = text.charCodeAt(next);
      if (code === CLOSE_BRACE) object.next = -1;
      else if (code === COMMA) object.next = skipSpace(text, next + 1);
      else notJson();
    }
    return undefined;
  }

  /** the offset of item `index` of the array at `at`, as both the node's offset and its value's. */
  private item(at: number, index: number): [number, number] | undefined {
    const items = this.arrayItems(at);
    return index < items.length ? [items[index], items[index]] : undefined;
  }

  private arrayItems(at: number): readonly number[] {
    const known = this.arrays.get(at);
    if (known) return known;
    const text = this.text;
    const items: number[] = [];
    let next = skipSpace(text, at + 1);
    if (text.charCodeAt(next) !== CLOSE_BRACKET) {
      for (;;) {
        items.push(next);
        next = skipSpace(text, this.valueEnd(next));
        const code = text.charCodeAt(next);
        if (code === CLOSE_BRACKET) break;
        if (code !== COMMA) notJson();
        next = skipSpace(text, next + 1);
      }
    }
    this.arrays.set(at, items);
    return items;
  }

  /** the offset just after the JSON value at `at`. */
  private valueEnd(at: number): number {
    const text = this.text;
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const end = stringEnd(text, at);
      if (end === -1) notJson();
      return end + 1;
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) return this.collectionEnd(at);
    // a number or a literal: the characters JSON allows in them.
    let end = at;
    while (isScalarCharacter(text.charCodeAt(end))) end++;
    if (end === at || !JSON_SCALAR.test(text.slice(at, end))) notJson();
    return end;
  }

  /** the offset after the object or array at `at`: strings skipped whole, brackets counted. */
  private collectionEnd(at: number): number {
    const text = this.text;
    let depth = 0;
    let i = at;
    for (;;) {
      // the regex engine skips runs of indentation, digits and punctuation far faster than a loop.
      UNINTERESTING.lastIndex = i;
      UNINTERESTING.test(text);
      i = UNINTERESTING.lastIndex;
      const code = text.charCodeAt(i);
      if (code === QUOTE) {
        const end = stringEnd(text, i);
        if (end === -1) notJson();
        i = end + 1;
        continue;
      }
      if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        depth++;
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        if (--depth === 0) return i + 1;
      } else {
        // the text's end, or `#&*'!`: comments, anchors, aliases, quotes, tags are flow YAML, not JSON.
        notJson();
      }
      i++;
    }
  }
}
