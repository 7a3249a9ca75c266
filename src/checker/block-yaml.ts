import { loadAll } from 'js-yaml';
import { KUBERNETES_YAML_SCHEMA, resolvePlainScalar } from './yaml-schema';

/*
 * A reader for the block-style YAML that generators write (cdk8s, Helm, kustomize, `kubectl get
 * -o yaml`), about twice as fast as js-yaml on it, with js-yaml's answer or none:
 * `readBlockYaml(text)` returns exactly the documents `loadAll(text, { schema:
 * KUBERNETES_YAML_SCHEMA })` returns, or `undefined` for any text outside the subset it reads, and
 * the caller then parses with js-yaml (which also reports every error). It never guesses: each
 * construct below is either read the way js-yaml reads it or refused.
 *
 * Read: block mappings (keys are plain words: a letter or `_`, then letters, digits, `_ . / -`;
 * or one-line quoted scalars) and sequences, sequences at their key's indent, `- key: value`
 * entries, one-line plain scalars (resolved by the schema's own rules), one-line single- and
 * double-quoted scalars (every escape but `\U`), flow collections that close on their line,
 * literal block scalars `|` and `|-`, comments, `---` separators.
 *
 * Refused (js-yaml decides): tabs, carriage returns, control and non-BMP characters, directives,
 * `...`, anchors, aliases, tags, flow collections over several lines, folded and `|+` scalars,
 * indentation indicators, multi-line plain or quoted scalars, explicit `?` keys, numeric keys,
 * keys that resolve to something other than their own text (`yes`, `null`, `<<`), `__proto__`,
 * duplicate keys, and anything js-yaml would reject.
 */

/** sequences longer than this get their items' entries indexed on first use. */
const INDEXED_SEQUENCE = 32;

/**
 * Where the reader found each entry of the documents it read (js-yaml keeps no positions): an
 * entry is a mapping key or a sequence item, recorded in the order read, which is the order of
 * the objects' keys and items (keys JavaScript would reorder are refused). A finding's line is then
 * a walk down the parsed object, with no second read of the text (`entryOffset`).
 */
export class StreamPositions {
  /** per document: its value and its first entry; undefined for an empty document or one js-yaml read. */
  readonly documents: ({ readonly root: unknown; readonly firstEntry: number } | undefined)[] = [];
  /**
   * Per entry: the offset in the text where it starts (a key, or an item's node), -1 when unknown;
   * and how many entries its value holds (they follow it). Typed arrays, off the JS heap: a tree
   * holds millions of entries that the garbage collector then never copies.
   */
  private offsets = new Int32Array(1024);
  private sizes = new Int32Array(1024);
  private count = 0;
  /** the entries of the items of each long sequence looked into, by its first item's entry: a `List` is walked once. */
  private readonly itemEntries = new Map<number, Int32Array>();
  /** a file read as one JSON object: the item offsets of its root object's arrays (a `List`'s `items`), by the array's offset. */
  jsonItems?: ReadonlyMap<number, readonly number[]>;
  /** where each document js-yaml read alone stands in the text (its `---` line excluded), by document index. */
  private readonly handedOver = new Map<number, readonly [number, number]>();

  /** records that document `index`, read by js-yaml, is the text from `start` to `end`. */
  handOver(index: number, start: number, end: number): void {
    this.handedOver.set(index, [start, end]);
  }

  /** where document `index` stands in the text when js-yaml read it alone (no entries are known then). */
  handedOverText(index: number): readonly [number, number] | undefined {
    return this.handedOver.get(index);
  }

  /** how many entries are recorded. */
  get entries(): number {
    return this.count;
  }

  /** records an entry starting at `offset` (-1: unknown), before its value's entries; returns its index. */
  open(offset: number): number {
    if (this.count === this.offsets.length) {
      const offsets = new Int32Array(this.count * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const sizes = new Int32Array(this.count * 2);
      sizes.set(this.sizes);
      this.sizes = sizes;
    }
    this.offsets[this.count] = offset;
    this.sizes[this.count] = 0;
    return this.count++;
  }

  /** records that the value of `entry` holds every entry recorded since it. */
  close(entry: number): void {
    this.sizes[entry] = this.count - entry - 1;
  }

  /** forgets the entries from `count` on (a document handed to js-yaml). */
  truncate(count: number): void {
    this.count = count;
  }

  /**
   * The offset where the deepest entry along `segments` starts in document `index` (for the empty
   * path, its first key), as a parser's source positions give it; undefined when the reader did not
   * read that document or does not know where the entry starts.
   */
  entryOffset(index: number, segments: readonly (string | number)[]): number | undefined {
    const document = this.documents[index];
    if (!document) return undefined;
    let node = document.root;
    let childEntry = document.firstEntry;
    let offset = this.offsets[childEntry];
    for (const segment of segments) {
      if (node === null || typeof node !== 'object') break;
      let position = -1;
      if (Array.isArray(node)) {
        if (typeof segment === 'number' && segment < node.length) position = segment;
      } else {
        const name = String(segment);
        let i = 0;
        for (const key in node) {
          if (key === name) {
            position = i;
            break;
          }
          i++;
        }
      }
      if (position === -1) break;
      let entry = childEntry;
      if (Array.isArray(node) && node.length > INDEXED_SEQUENCE) {
        entry = this.sequenceEntries(childEntry, node.length)[position];
      } else {
        for (let skipped = 0; skipped < position; skipped++) entry += 1 + this.sizes[entry];
      }
      offset = this.offsets[entry];
      if (offset === -1) return undefined;
      node = Array.isArray(node) ? node[position] : (node as Record<string, unknown>)[String(segment)];
      childEntry = entry + 1;
    }
    return offset;
  }

  /** the entries of the `count` items of the sequence whose first item's entry is `first`. */
  private sequenceEntries(first: number, count: number): Int32Array {
    let entries = this.itemEntries.get(first);
    if (!entries) {
      entries = new Int32Array(count);
      for (let entry = first, item = 0; item < count; item++, entry += 1 + this.sizes[entry]) entries[item] = entry;
      this.itemEntries.set(first, entries);
    }
    return entries;
  }
}

/** thrown inside the reader when the text leaves the subset; never escapes `readBlockYaml`. */
const OUTSIDE_SUBSET = Symbol('outside the block YAML subset');

/** characters that send the whole text to js-yaml: tabs, CR, controls, BOM, unicode breaks, surrogates, non-characters. */
const REFUSED_CHARACTERS = /[\t\r\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;

/** blank and comment lines, then `---`: how a text starts that js-yaml reads differently at the start of its input. */
const LEADING_DASHES = /^(?: *(?:#[^\n]*)?\n)*---/;

/** a key JavaScript orders before the others in an object. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,9})$/;

/** slots in the key cache. */
const KEY_CACHE_SIZE = 1024;
/** a prime that keeps a key's running hash a small integer. */
const KEY_HASH_MODULUS = 1_000_003;
/** plain keys read, by a hash of their text (`keyText`), shared by every text read. */
const KEY_CACHE: (string | undefined)[] = new Array<string | undefined>(KEY_CACHE_SIZE).fill(undefined);

/** implicit keys longer than this are refused (YAML limits implicit keys to 1024 characters). */
const MAX_KEY_LENGTH = 1000;

const SPACE = 0x20;
const NEWLINE = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** js-yaml's one-character escapes in double-quoted scalars. */
const SIMPLE_ESCAPES = new Map<string, string>([
  ['0', '\x00'], ['a', '\x07'], ['b', '\x08'], ['t', '\t'], ['n', '\n'], ['v', '\x0B'], ['f', '\x0C'], ['r', '\r'],
  ['e', '\x1B'], [' ', ' '], ['"', '"'], ['/', '/'], ['\\', '\\'], ['N', '\x85'], ['_', '\xA0'], ['L', '\u2028'], ['P', '\u2029'],
]);
const HEX_DIGITS: Record<number, RegExp> = { 2: /^[0-9a-fA-F]{2}$/, 4: /^[0-9a-fA-F]{4}$/ };

function refuse(): never {
  throw OUTSIDE_SUBSET;
}

/** a letter or `_`: the first character of a key the reader accepts. */
function isKeyStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
}

/** a letter, digit, `_`, `.`, `/` or `-`. */
function isKeyPart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x2d && code <= 0x39) || code === 0x5f;
}

class BlockYamlReader {
  /** start of the first line not yet looked at. */
  private next = 0;
  /** the current content line (not blank, not a comment): its start, end (the newline or the text's end) and indent. */
  private lineStart = 0;
  private lineEnd = 0;
  private indent = 0;
  /** the current line is a `---` separator (column 0), or there is no line left. */
  private atSeparator = false;
  private atEnd = false;

  /** the text of the key `colonAt` last found. */
  private key = '';

  /** the content of the last quoted scalar read. */
  private quoted = '';

  /** where the last flow node read ends. */
  private flowEnd = 0;

  constructor(private readonly text: string, private readonly positions: StreamPositions | undefined) {}

  /** records an entry (a key or an item) starting at `offset`, before its value's entries. */
  private openEntry(offset: number): number {
    return this.positions ? this.positions.open(offset) : -1;
  }

  /** records how many entries the value of `entry` held. */
  private closeEntry(entry: number): void {
    if (entry !== -1) this.positions!.close(entry);
  }

  /**
   * The stream's documents. A document outside the subset goes to `fallback` (its text, from
   * after its `---` line to the next one), or refuses the whole text when there is none.
   */
  documents(fallback: ((text: string) => unknown[]) | undefined): unknown[] {
    const text = this.text;
    // js-yaml reads no document when nothing but leading spaces precede the last newline.
    let leading = 0;
    while (text.charCodeAt(leading) === SPACE) leading++;
    const length = text.length === 0 || text.charCodeAt(text.length - 1) === NEWLINE ? text.length : text.length + 1;
    const documents: unknown[] = [];
    if (leading >= length - 1) return documents;
    this.advance();
    for (;;) {
      if (this.atSeparator) this.separator();
      // the document's text runs from here (after its `---` line) to the next `---` line.
      const start = this.next;
      const firstEntry = this.positions?.entries ?? -1;
      try {
        const document = this.atEnd || this.atSeparator ? null : this.document();
        if (!this.atEnd && !this.atSeparator) refuse();
        documents.push(document);
        this.positions?.documents.push(document === null ? undefined : { root: document, firstEntry });
      } catch (error) {
        if (error !== OUTSIDE_SUBSET || !fallback) throw error;
        const end = nextSeparator(text, start);
        const slice = text.slice(start, end);
        // js-yaml takes `---` at the start of its input for a marker even when text follows it (`---x`).
        if (start > 0 && LEADING_DASHES.test(slice)) throw error;
        this.positions?.truncate(firstEntry);
        const handedOver = fallback(slice);
        // one document: line recovery can look at its text without splitting the file again.
        if (handedOver.length === 1) this.positions?.handOver(documents.length, start, end);
        for (const document of handedOver) {
          documents.push(document);
          this.positions?.documents.push(undefined);
        }
        this.next = end;
        this.advance();
      }
      if (this.atEnd) return documents;
    }
  }

  /** consumes a `---` line, which may only end in spaces or a comment. */
  private separator(): void {
    const text = this.text;
    let at = this.lineStart + 3;
    while (at < this.lineEnd && text.charCodeAt(at) === SPACE) at++;
    if (at < this.lineEnd && text.charCodeAt(at) !== HASH) refuse();
    this.consumeLine();
  }

  /** a document's content: a block mapping at the indent of its first line (anything else goes to js-yaml). */
  private document(): unknown {
    const keyAt = this.lineStart + this.indent;
    if (!this.isKeyAt(keyAt)) refuse();
    return this.mapping(this.indent, keyAt);
  }

  /** moves to the next content line from `next`, skipping blank and comment lines. */
  private advance(): void {
    const text = this.text;
    const length = text.length;
    let at = this.next;
    for (;;) {
      if (at >= length) {
        this.atEnd = true;
        this.atSeparator = false;
        this.lineStart = this.lineEnd = length;
        this.indent = -1;
        return;
      }
      let column = at;
      while (text.charCodeAt(column) === SPACE) column++;
      const code = text.charCodeAt(column);
      if (code === NEWLINE) {
        at = column + 1;
        continue;
      }
      let end = text.indexOf('\n', column);
      if (end === -1) end = length;
      if (code === HASH || column === length) {
        at = end + 1;
        continue;
      }
      this.lineStart = at;
      this.lineEnd = end;
      this.indent = column - at;
      this.atSeparator = false;
      if (column === at) {
        // column 0: document markers and directives end every block.
        if (code === DASH && text.startsWith('---', at) && this.isBlankOrEnd(at + 3)) {
          this.atSeparator = true;
          this.indent = -1;
        } else if ((code === 0x2e && text.startsWith('...', at)) || code === 0x25) {
          refuse();
        }
      }
      return;
    }
  }

  private consumeLine(): void {
    this.next = this.lineEnd + 1;
    this.advance();
  }

  /** true when `at` is a space, a newline or the end of the text. */
  private isBlankOrEnd(at: number): boolean {
    return at >= this.text.length || this.text.charCodeAt(at) === SPACE || this.text.charCodeAt(at) === NEWLINE;
  }

  /**
   * The offset of the colon after the key that starts at `at` on the current line, with the key's
   * text in `key`; -1 when no key the reader accepts starts there. Plain keys are words (and must
   * not resolve to anything but themselves); quoted keys are one-line scalars; the colon follows
   * the key directly and is followed by a space or the line's end.
   */
  private colonAt(at: number): number {
    const text = this.text;
    const code = text.charCodeAt(at);
    let end: number;
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const close = code === DOUBLE_QUOTE ? this.doubleQuoted(at, false) : this.singleQuoted(at, false);
      if (close === -1) return -1;
      this.key = this.quoted;
      // an array-index key (`"80"`) comes first in an object whatever its place in the text.
      if (ARRAY_INDEX.test(this.key)) refuse();
      end = close;
    } else {
      if (!isKeyStart(code)) return -1;
      let hash = code;
      end = at + 1;
      for (let part = text.charCodeAt(end); isKeyPart(part); part = text.charCodeAt(++end)) hash = (hash * 31 + part) % KEY_HASH_MODULUS;
      if (text.charCodeAt(end) !== COLON) return -1;
      this.key = this.keyText(at, end, hash);
    }
    if (text.charCodeAt(end) !== COLON || !this.isBlankOrEnd(end + 1)) return -1;
    if (end - at > MAX_KEY_LENGTH || this.key === '__proto__') refuse();
    return end;
  }

  /**
   * The text of the plain key from `at` to `end`. Manifests repeat a few hundred keys: a key seen
   * before is reused, not sliced again, so the same string is the property name every time.
   */
  private keyText(at: number, end: number, hash: number): string {
    const slot = hash % KEY_CACHE_SIZE;
    const cached = KEY_CACHE[slot];
    if (cached !== undefined && cached.length === end - at && this.sameText(cached, at)) return cached;
    const key = this.text.slice(at, end);
    // keys such as `yes` or `null` resolve to other JSON keys.
    if (key.length <= 5 && typeof resolvePlainScalar(key) !== 'string') refuse();
    KEY_CACHE[slot] = key;
    return key;
  }

  /** whether `key` is written at `at` (a loop: keys are short, and a call to `startsWith` costs more). */
  private sameText(key: string, at: number): boolean {
    const text = this.text;
    for (let i = 0; i < key.length; i++) {
      if (text.charCodeAt(at + i) !== key.charCodeAt(i)) return false;
    }
    return true;
  }

  private isKeyAt(at: number): boolean {
    return this.colonAt(at) !== -1;
  }

  /** true when the current line, at `at`, is a sequence entry (`-` then a space or the line's end). */
  private isEntryAt(at: number): boolean {
    return this.text.charCodeAt(at) === DASH && this.isBlankOrEnd(at + 1);
  }

  /** a block mapping whose keys sit at column `indent`; its first key starts at `keyAt` on the current line. */
  private mapping(indent: number, keyAt: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (;;) {
      const colon = this.colonAt(keyAt);
      if (colon === -1) refuse();
      const key = this.key;
      if (Object.prototype.hasOwnProperty.call(result, key)) refuse();
      const entry = this.openEntry(keyAt);
      result[key] = this.valueAfter(colon + 1, indent);
      this.closeEntry(entry);
      if (this.atEnd || this.atSeparator || this.indent < indent) return result;
      if (this.indent > indent) refuse();
      keyAt = this.lineStart + indent;
    }
  }

  /** a block sequence whose `-` sit at column `indent`, starting on the current line. */
  private sequence(indent: number): unknown[] {
    const text = this.text;
    const result: unknown[] = [];
    for (;;) {
      let at = this.lineStart + indent + 1;
      while (at < this.lineEnd && text.charCodeAt(at) === SPACE) at++;
      if (at === this.lineEnd || text.charCodeAt(at) === HASH) {
        this.consumeLine();
        // the item starts where its block does, on the next line (unknown when it is empty).
        const nested = !this.atEnd && !this.atSeparator && this.indent > indent;
        const entry = this.openEntry(nested ? this.lineStart + this.indent : -1);
        result.push(this.nestedBlock(indent, false));
        this.closeEntry(entry);
      } else if (this.isEntryAt(at)) {
        refuse();
      } else {
        const entry = this.openEntry(at);
        result.push(this.isKeyAt(at) ? this.mapping(at - this.lineStart, at) : this.inlineValue(at, indent));
        this.closeEntry(entry);
      }
      if (this.atEnd || this.atSeparator || this.indent < indent) return result;
      if (this.indent > indent || !this.isEntryAt(this.lineStart + indent)) {
        // at the same indent, only a key of the enclosing mapping may follow an indentless sequence.
        if (this.indent === indent) return result;
        refuse();
      }
    }
  }

  /**
   * The value after `key:` (from `at`) in a mapping at `indent`: on the same line, or a block on
   * the following lines (a sequence may sit at the key's own indent).
   */
  private valueAfter(at: number, indent: number): unknown {
    const text = this.text;
    while (at < this.lineEnd && text.charCodeAt(at) === SPACE) at++;
    if (at < this.lineEnd && text.charCodeAt(at) !== HASH) return this.inlineValue(at, indent);
    this.consumeLine();
    return this.nestedBlock(indent, true);
  }

  /** the block that starts on the current line when it is indented past `indent`, else null. */
  private nestedBlock(indent: number, sequenceAtIndent: boolean): unknown {
    if (this.atEnd || this.atSeparator) return null;
    const start = this.lineStart + this.indent;
    if (this.indent > indent) {
      if (this.isEntryAt(start)) return this.sequence(this.indent);
      if (this.isKeyAt(start)) return this.mapping(this.indent, start);
      refuse();
    }
    if (sequenceAtIndent && this.indent === indent && this.isEntryAt(start)) return this.sequence(indent);
    return null;
  }

  /**
   * A scalar (or `[]`, `{}`) starting at `at` on the current line, in a block at `indent`;
   * leaves the reader on the next content line, which must not be indented past `indent`
   * (a continuation line of a multi-line scalar).
   */
  private inlineValue(at: number, indent: number): unknown {
    const text = this.text;
    const code = text.charCodeAt(at);
    let value: unknown;
    let rest: number;
    switch (code) {
      case DOUBLE_QUOTE:
        rest = this.doubleQuoted(at, true);
        value = this.quoted;
        break;
      case SINGLE_QUOTE:
        rest = this.singleQuoted(at, true);
        value = this.quoted;
        break;
      case OPEN_BRACKET:
      case OPEN_BRACE:
        value = this.flowCollection(at);
        rest = this.flowEnd;
        break;
      case 0x7c: // |
        return this.literal(at, indent);
      default:
        value = this.plain(at);
        rest = -1;
    }
    if (rest !== -1) this.endOfValue(rest);
    this.consumeLine();
    if (!this.atEnd && !this.atSeparator && this.indent > indent) refuse();
    return value;
  }

  /**
   * A one-line double-quoted scalar at `at`: its content goes to `quoted`, the offset after the
   * closing quote is returned. Escapes are decoded as js-yaml decodes them; `\U` is refused. A
   * scalar that does not close on the line is refused, or only answered with -1 when not `required`.
   */
  private doubleQuoted(at: number, required: boolean): number {
    const text = this.text;
    const lineEnd = this.lineEnd;
    let content = '';
    let from = at + 1;
    for (let i = from; i < lineEnd; i++) {
      const code = text.charCodeAt(i);
      if (code === DOUBLE_QUOTE) {
        this.quoted = content + text.slice(from, i);
        return i + 1;
      }
      if (code !== BACKSLASH) continue;
      content += text.slice(from, i);
      const escape = text[i + 1];
      const simple = SIMPLE_ESCAPES.get(escape);
      if (simple !== undefined) {
        content += simple;
        i++;
      } else if (escape === 'x' || escape === 'u') {
        const digits = escape === 'x' ? 2 : 4;
        const hex = text.slice(i + 2, i + 2 + digits);
        if (!HEX_DIGITS[digits].test(hex)) refuse();
        content += String.fromCharCode(parseInt(hex, 16));
        i += 1 + digits;
      } else {
        refuse();
      }
      from = i + 1;
    }
    return required ? refuse() : -1;
  }

  /** a one-line single-quoted scalar at `at`, as `doubleQuoted` reads a double-quoted one (`''` is a quote). */
  private singleQuoted(at: number, required: boolean): number {
    const text = this.text;
    let close = at + 1;
    for (;;) {
      close = text.indexOf("'", close);
      if (close === -1 || close >= this.lineEnd) return required ? refuse() : -1;
      if (text.charCodeAt(close + 1) !== SINGLE_QUOTE) break;
      close += 2;
    }
    const content = text.slice(at + 1, close);
    this.quoted = content.includes("''") ? content.replace(/''/g, "'") : content;
    return close + 1;
  }

  /**
   * A flow collection at `at` that closes on the same line (`[a, b]`, `{k: v}`, nested), with
   * its end in `flowEnd`. Keys are read as block keys are; refused: a trailing comma, an empty
   * entry or value, a key without a value, `key: value` pairs inside a sequence, comments.
   */
  private flowCollection(at: number): unknown[] | Record<string, unknown> {
    const text = this.text;
    const sequence = text.charCodeAt(at) === OPEN_BRACKET;
    const close = sequence ? CLOSE_BRACKET : CLOSE_BRACE;
    const result: unknown[] | Record<string, unknown> = sequence ? [] : {};
    let next = this.skipSpaces(at + 1);
    if (text.charCodeAt(next) === close) {
      this.flowEnd = next + 1;
      return result;
    }
    for (;;) {
      const entry = this.openEntry(next);
      if (sequence) {
        (result as unknown[]).push(this.flowNode(next));
        // `[a: 1]` is a one-pair mapping to YAML.
        if (text.charCodeAt(this.flowEnd) === COLON) refuse();
      } else {
        const colon = this.colonAt(next);
        if (colon === -1) refuse();
        const key = this.key;
        if (Object.prototype.hasOwnProperty.call(result, key)) refuse();
        (result as Record<string, unknown>)[key] = this.flowNode(this.skipSpaces(colon + 1));
      }
      this.closeEntry(entry);
      next = this.skipSpaces(this.flowEnd);
      const code = text.charCodeAt(next);
      if (code === close) {
        this.flowEnd = next + 1;
        return result;
      }
      if (code !== COMMA) refuse();
      next = this.skipSpaces(next + 1);
    }
  }

  /** a node inside a flow collection at `at`, with its end in `flowEnd`. */
  private flowNode(at: number): unknown {
    const text = this.text;
    const code = text.charCodeAt(at);
    if (code === OPEN_BRACKET || code === OPEN_BRACE) return this.flowCollection(at);
    if (code === DOUBLE_QUOTE) {
      this.flowEnd = this.doubleQuoted(at, true);
      return this.quoted;
    }
    if (code === SINGLE_QUOTE) {
      this.flowEnd = this.singleQuoted(at, true);
      return this.quoted;
    }
    this.refusePlainStart(at);
    // a plain scalar ends at a flow indicator; `: ` (a pair) and ` #` (a comment) are refused.
    const lineEnd = this.lineEnd;
    let end = at + 1;
    for (; end < lineEnd; end++) {
      const c = text.charCodeAt(end);
      if (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE || c === OPEN_BRACKET || c === OPEN_BRACE) break;
      if (c === HASH && text.charCodeAt(end - 1) === SPACE) refuse();
      if (c === COLON) {
        const after = text.charCodeAt(end + 1);
        if (after === SPACE || after === COMMA || after === CLOSE_BRACKET || after === CLOSE_BRACE || end + 1 === lineEnd) refuse();
      }
    }
    if (end === lineEnd) refuse();
    this.flowEnd = end;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    return resolvePlainScalar(text.slice(at, end));
  }

  private skipSpaces(at: number): number {
    while (this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** after a quoted scalar or `[]`/`{}`: only spaces and a comment may follow on the line. */
  private endOfValue(at: number): void {
    const text = this.text;
    if (at === this.lineEnd) return;
    if (text.charCodeAt(at) !== SPACE) refuse();
    while (at < this.lineEnd && text.charCodeAt(at) === SPACE) at++;
    if (at < this.lineEnd && text.charCodeAt(at) !== HASH) refuse();
  }

  /** refuses what cannot start a plain scalar, or starts one js-yaml reads differently. */
  private refusePlainStart(at: number): void {
    switch (this.text.charCodeAt(at)) {
      case 0x26: case 0x2a: case 0x21: case 0x7c: case 0x3e: case 0x25: case 0x40: case 0x60: // & * ! | > % @ `
      case COMMA: case OPEN_BRACKET: case CLOSE_BRACKET: case OPEN_BRACE: case CLOSE_BRACE:
      case DOUBLE_QUOTE: case SINGLE_QUOTE: case HASH:
        refuse();
        break;
      case DASH: case 0x3f: case COLON: { // - ? : start a plain scalar only before a non-blank (`-1`, `::/0`)
        const next = this.text.charCodeAt(at + 1);
        const flowIndicator = next === COMMA || next === CLOSE_BRACKET || next === CLOSE_BRACE || next === OPEN_BRACKET || next === OPEN_BRACE;
        if (this.isBlankOrEnd(at + 1) || flowIndicator) refuse();
        break;
      }
    }
  }

  /** a one-line plain scalar from `at`, ending at ` #` or the line's end, resolved by the schema. */
  private plain(at: number): unknown {
    const text = this.text;
    this.refusePlainStart(at);
    // one pass over the line: a comment starts at ` #`; `: ` or a trailing colon before it is a
    // mapping to js-yaml (or an error).
    const lineEnd = this.lineEnd;
    let end = lineEnd;
    for (let i = at + 1; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === HASH && text.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
      if (c === COLON && (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE)) refuse();
    }
    while (text.charCodeAt(end - 1) === SPACE) end--;
    const data = text.slice(at, end);
    return resolvePlainScalar(data);
  }

  /** a literal block scalar (`|` or `|-`) whose header is at `at`, in a block at `indent`. */
  private literal(at: number, indent: number): string {
    const text = this.text;
    let headerEnd = at + 1;
    const strip = text.charCodeAt(headerEnd) === DASH;
    if (strip) headerEnd++;
    this.endOfValue(headerEnd);
    if (headerEnd < this.lineEnd && text.charCodeAt(headerEnd) !== SPACE) refuse();
    const length = text.length;
    let lineStart = this.lineEnd + 1;
    // the first line decides the content's indent; blank lines before it are refused.
    let contentIndent = 0;
    while (lineStart + contentIndent < length && text.charCodeAt(lineStart + contentIndent) === SPACE) contentIndent++;
    const first = lineStart + contentIndent;
    if (first < length && text.charCodeAt(first) === NEWLINE) refuse();
    if (first >= length || contentIndent <= indent) {
      // no content: the scalar is empty and the line belongs to the enclosing block.
      this.next = Math.min(lineStart, length);
      this.advance();
      if (!this.atEnd && !this.atSeparator && this.indent > indent) refuse();
      return '';
    }
    const lines: string[] = [];
    /** lines up to and including the last one with content (trailing blank lines are clipped). */
    let kept = 0;
    while (lineStart < length) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1) lineEnd = length;
      let column = lineStart;
      const limit = Math.min(lineStart + contentIndent, lineEnd);
      while (column < limit && text.charCodeAt(column) === SPACE) column++;
      if (column === lineEnd) {
        lines.push('');
      } else if (column - lineStart < contentIndent) {
        break;
      } else {
        lines.push(text.slice(column, lineEnd));
        kept = lines.length;
      }
      lineStart = lineEnd + 1;
    }
    // the reader goes on at the first line after the last content line.
    let resume = this.lineEnd + 1;
    for (let line = 0; line < kept; line++) {
      const end = text.indexOf('\n', resume);
      resume = end === -1 ? length : end + 1;
    }
    this.next = resume;
    this.advance();
    if (!this.atEnd && !this.atSeparator && this.indent > indent) refuse();
    const content = lines.slice(0, kept).join('\n');
    return strip ? content : `${content}\n`;
  }
}

/**
 * The offset of the next line from `at` that is a document marker to YAML (`---` at column 0, then
 * a space or the line's end): one is never inside a node, not even a scalar, so the text between
 * two is one document's (or more, with `...`), and js-yaml reads it as it reads it in the stream.
 */
function nextSeparator(text: string, at: number): number {
  for (let found = text.indexOf('\n---', at - 1); found !== -1; found = text.indexOf('\n---', found + 1)) {
    const next = text.charCodeAt(found + 4);
    if (found + 4 === text.length || next === SPACE || next === NEWLINE) return found + 1;
  }
  return text.length;
}

/**
 * The documents js-yaml's `loadAll` reads from `text` with `KUBERNETES_YAML_SCHEMA`, when the
 * text is block-style YAML this reader covers; `undefined` otherwise (parse with js-yaml then).
 */
export function readBlockYaml(text: string): unknown[] | undefined {
  return read(text, undefined, undefined);
}

/**
 * The documents js-yaml's `loadAll` reads from `text` with `KUBERNETES_YAML_SCHEMA`: each document
 * in the subset read by this reader, each other one by js-yaml alone. `undefined` when js-yaml
 * must read the whole text: a character refused anywhere, a directive, `...`, text after `---`,
 * or a document js-yaml rejects (so the error is the one the whole stream gives).
 */
export function readYamlDocuments(text: string, positions?: StreamPositions): unknown[] | undefined {
  return read(text, byJsYaml, positions);
}

function byJsYaml(text: string): unknown[] {
  try {
    return loadAll(text, undefined, { schema: KUBERNETES_YAML_SCHEMA });
  } catch {
    throw OUTSIDE_SUBSET;
  }
}

function read(text: string, fallback: ((text: string) => unknown[]) | undefined, positions: StreamPositions | undefined): unknown[] | undefined {
  // directives (`%TAG`) change how later documents read: the whole stream goes to js-yaml.
  if (REFUSED_CHARACTERS.test(text) || text.startsWith('%') || text.includes('\n%')) return undefined;
  try {
    return new BlockYamlReader(text, positions).documents(fallback);
  } catch (error) {
    // a RangeError is nesting too deep for the stack: js-yaml reports it.
    if (error === OUTSIDE_SUBSET || error instanceof RangeError) return undefined;
    throw error;
  }
}
