/**
 * Finds the line of a field in one YAML document's text without parsing it, for the block-style
 * YAML that generators, cdk8s and kubectl write. It walks indentation only and gives up (returns
 * undefined) on anything it does not fully understand — flow collections, anchors, aliases, tags,
 * merge keys, complex or escaped keys, tabs — so the caller can fall back to a real parser. When it
 * answers, the answer is the one a parser's source positions give: the line of the deepest key or
 * sequence item along the path that exists.
 */

/**
 * The content lines of a document as parallel arrays of small integers: one pass over the text
 * allocates no object or string per line (a finding-heavy tree asks about every document). Text
 * is sliced only for the lines a lookup reads as keys.
 */
interface Lines {
  readonly text: string;
  /** 1-based line number within the document text. */
  readonly number: number[];
  readonly indent: number[];
  /** offset of the line's first character after its indentation. */
  readonly start: number[];
  /** offset of the line's end, before `\r\n` or `\n`. */
  readonly end: number[];
}

/**
 * A block node: a range of the document's lines (the first may start later, after `- `) and its
 * indentation. Blocks share the document's line arrays: nesting copies nothing.
 */
interface Block {
  readonly lines: Lines;
  /** index of the block's first line. */
  readonly start: number;
  /** index after the block's last line. */
  readonly end: number;
  /** where the content of the block's first line starts, after `- ` of a compact mapping item. */
  readonly headStart?: number;
  readonly indent: number;
  /** the block's keys (first occurrence) or items, indexed on first use: each block is read once. */
  index?: Map<string, Found> | Found[] | FlowStart | Unsupported;
}

class Unsupported extends Error {}

/**
 * A flow collection written whole on one line (`drop: [ALL]`, `- {port: 53, protocol: UDP}`):
 * every node inside it starts on that line, so any path into it ends there.
 */
const ONE_LINE_FLOW = Symbol('one-line flow collection');

/** a flow collection that continues past its first line: read in place by `locateInFlow`. */
interface FlowStart {
  /** offset of its `[` or `{` in the document text. */
  readonly flowAt: number;
}

/**
 * A key or item: the line a parser's source positions give, and its value (null: opaque,
 * undefined: scalar, ONE_LINE_FLOW: a flow collection on that line).
 */
interface Found {
  readonly line: number;
  readonly value: Block | FlowStart | undefined | null | typeof ONE_LINE_FLOW;
}

const KEY = /^(?:"([^"\\]*)"|'([^']*)'|([^\s"'#&*!|>%@`{}[\],?:-][^#]*?|-[^\s#][^#]*?))[ \t]*:(?:[ \t]+|$)/;

/** the 1-based line of `segments` in the document text, or undefined when the scanner cannot tell. */
export function scanLine(text: string, segments: readonly (string | number)[]): number | undefined {
  return new DocumentScanner(text).lineOf(segments);
}

/**
 * One document, split into lines once; each block it walks is indexed once, so the lines of many
 * fields cost one pass over the document (plus the depth of each path), not one pass per field.
 */
export class DocumentScanner {
  private readonly root: Block | undefined;

  constructor(text: string) {
    try {
      const lines = contentLines(text);
      this.root = lines.number.length === 0 ? undefined : { lines, start: 0, end: lines.number.length, indent: lines.indent[0] };
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      this.root = undefined;
    }
  }

  /** the 1-based line of `segments` in the document, or undefined when the scanner cannot tell. */
  lineOf(segments: readonly (string | number)[]): number | undefined {
    if (!this.root) return undefined;
    let block: Found['value'] = this.root;
    let line = this.root.lines.number[0];
    for (let depth = 0; depth < segments.length; depth++) {
      const segment = segments[depth];
      // a node this scanner does not read (alias, tag...): a parser might go deeper.
      if (block === null) return undefined;
      // a scalar, or a flow collection whose every node is on this line.
      if (block === undefined || block === ONE_LINE_FLOW) break;
      if (isFlowStart(block)) return lineInFlow(this.root.lines.text, block.flowAt, line, line, segments.slice(depth));
      const index: Map<string, Found> | Found[] | FlowStart | Unsupported = block.index ??= indexBlock(block);
      if (index instanceof Unsupported) return undefined;
      // a block that is a flow collection on lines of its own (`data:` then `{` below it).
      if (isFlowStart(index)) return lineInFlow(this.root.lines.text, index.flowAt, block.lines.number[block.start], line, segments.slice(depth));
      const found: Found | undefined = Array.isArray(index)
        ? (typeof segment === 'number' ? index[segment] : undefined)
        : index.get(String(segment));
      if (!found) break;
      line = found.line;
      block = found.value;
    }
    return line;
  }
}

function indexBlock(block: Block): Map<string, Found> | Found[] | FlowStart | Unsupported {
  const head = startAt(block, block.start);
  const first = block.lines.text.charCodeAt(head);
  if (first === 91 /* [ */ || first === 123 /* { */) return { flowAt: head };
  try {
    return isSequence(block) ? sequenceItems(block) : mappingValues(block);
  } catch (error) {
    if (error instanceof Unsupported) return error;
    throw error;
  }
}

/** the content lines of a document: one pass over the text, reading characters in place. */
function contentLines(text: string): Lines {
  const lines: Lines = { text, number: [], indent: [], start: [], end: [] };
  let number = 0;
  for (let start = 0; start <= text.length;) {
    number++;
    const newline = text.indexOf('\n', start);
    let end = newline === -1 ? text.length : newline;
    const next = newline === -1 ? text.length + 1 : newline + 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    let first = start;
    let tab = false;
    for (let code = text.charCodeAt(first); first < end && (code === 32 || code === 9); code = text.charCodeAt(++first)) {
      if (code === 9) tab = true;
    }
    const code = text.charCodeAt(first);
    if (first < end && (code < 33 || code > 126)) {
      // other white space (form feed, no-break space...) counts as indentation, as trimStart sees it.
      const line = text.slice(start, end);
      const rest = line.trimStart();
      first = start + line.length - rest.length;
      if (line.slice(0, first - start).includes('\t')) tab = true;
    }
    if (first === end || text.charCodeAt(first) === 35) {
      start = next;
      continue;
    }
    if (tab) throw new Unsupported();
    if (first === start && isMarker(text, first, end)) {
      // a marker line with content after it (`--- value`) starts the document on that line.
      const after = text.slice(first + 3, end).trim();
      if (after !== '' && !after.startsWith('#')) throw new Unsupported();
      start = next;
      continue;
    }
    lines.number.push(number);
    lines.indent.push(first - start);
    lines.start.push(first);
    lines.end.push(end);
    start = next;
  }
  return lines;
}

/** `---` or `...` at `at`, then the line end, a blank or a tab. */
function isMarker(text: string, at: number, end: number): boolean {
  const code = text.charCodeAt(at);
  if ((code !== 45 && code !== 46) || end - at < 3 || text.charCodeAt(at + 1) !== code || text.charCodeAt(at + 2) !== code) return false;
  const after = text.charCodeAt(at + 3);
  return end - at === 3 || after === 32 || after === 9;
}

/** where line `i` of a block starts (after `- ` for the virtual head of a compact mapping). */
function startAt(block: Block, i: number): number {
  return i === block.start && block.headStart !== undefined ? block.headStart : block.lines.start[i];
}

function indentAt(block: Block, i: number): number {
  return i === block.start && block.headStart !== undefined ? block.indent : block.lines.indent[i];
}

function isSequence(block: Block): boolean {
  return block.end > block.start && isItem(block.lines, startAt(block, block.start), block.lines.end[block.start]);
}

/** the line from `start` to `end` is `-` or starts with `- `. */
function isItem(lines: Lines, start: number, end: number): boolean {
  const text = lines.text;
  return text.charCodeAt(start) === 45 && (end - start === 1 || text.charCodeAt(start + 1) === 32);
}

/** the block node that starts after line `index` of `block`, more indented than `parentIndent`. */
function childBlock(block: Block, index: number, parentIndent: number, allowSameIndentSequence: boolean): Block | undefined {
  const lines = block.lines;
  if (index + 1 >= block.end) return undefined;
  // index + 1 > block.start: never the block's virtual head.
  const first = index + 1;
  const sameIndentSequence = allowSameIndentSequence && lines.indent[first] === parentIndent && isItem(lines, lines.start[first], lines.end[first]);
  if (lines.indent[first] <= parentIndent && !sameIndentSequence) return undefined;
  const indent = lines.indent[first];
  let end = first;
  for (; end < block.end; end++) {
    const lineIndent = lines.indent[end];
    if (lineIndent < indent) break;
    if (sameIndentSequence && lineIndent === indent && !isItem(lines, lines.start[end], lines.end[end])) break;
  }
  return { lines, start: first, end, indent };
}

function mappingValues(block: Block): Map<string, Found> {
  const { indent, lines } = block;
  const values = new Map<string, Found>();
  for (let i = block.start; i < block.end; i++) {
    const lineIndent = indentAt(block, i);
    if (lineIndent !== indent) {
      if (lineIndent < indent) throw new Unsupported();
      continue;
    }
    const start = startAt(block, i);
    const end = lines.end[i];
    if (isItem(lines, start, end)) throw new Unsupported();
    const text = lines.text.slice(start, end);
    const match = KEY.exec(text);
    if (!match) throw new Unsupported();
    const name = match[1] ?? match[2] ?? match[3];
    if (name === '<<') throw new Unsupported();
    const rest = text.slice(match[0].length).trim();
    let found: Found;
    if (rest === '' || rest.startsWith('#')) {
      const child = childBlock(block, i, indent, true);
      found = { line: lines.number[i], value: child };
      // the value's lines (a same-indent sequence among them) are not keys of this mapping.
      if (child) i = child.end - 1;
    } else {
      const restAt = end - text.slice(match[0].length).trimStart().length;
      found = { line: lines.number[i], value: isOneLineFlow(rest) ? ONE_LINE_FLOW : flowOrOpaque(rest, restAt) };
    }
    if (!values.has(name)) values.set(name, found);
  }
  return values;
}

/** a value (a line's rest after a key, trimmed, at `at`) the scanner does not read as a block: a flow collection, or opaque. */
function flowOrOpaque(rest: string, at: number): FlowStart | null | undefined {
  const first = rest.charCodeAt(0);
  if (first === 91 /* [ */ || first === 123 /* { */) return { flowAt: at };
  return /^[&*!]/.test(rest) ? null : undefined;
}

function isFlowStart(value: unknown): value is FlowStart {
  return typeof value === 'object' && value !== null && 'flowAt' in value;
}

/**
 * The line of `segments` inside the flow collection at `flowAt`, which starts on `line`: `outer`
 * (the line of the key or item holding it) when its first segment is not there; undefined when
 * the locator cannot tell.
 */
function lineInFlow(text: string, flowAt: number, line: number, outer: number, segments: readonly (string | number)[]): number | undefined {
  const offset = locateInFlow(text, flowAt, segments);
  if (offset === undefined) return undefined;
  if (offset === -1) return outer;
  for (let newline = text.indexOf('\n', flowAt); newline !== -1 && newline < offset; newline = text.indexOf('\n', newline + 1)) line++;
  return line;
}

/** thrown where a flow collection holds what `locateInFlow` does not read. */
const NOT_PLAIN_FLOW = Symbol('not plain flow');

function notPlainFlow(): never {
  throw NOT_PLAIN_FLOW;
}

/** plain keys whose text is their value to a YAML 1.2 parser: words, not booleans or nulls. */
const PLAIN_WORD_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const CORE_SCHEMA_WORDS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL']);

/**
 * The offset where the deepest node along `segments` starts inside the flow collection at
 * `flowAt` (a property at its key, an item at its node; -1 when not even the first is there),
 * reading the collection in place, over
 * as many lines as it spans: quoted scalars (escapes and line breaks included) and plain ones
 * are skipped, not decoded. Undefined for what a parser would read differently: anchors,
 * aliases, tags, explicit or complex keys, keys other than words or escape-free quoted
 * scalars, pairs inside sequences, empty entries.
 */
function locateInFlow(text: string, flowAt: number, segments: readonly (string | number)[]): number | undefined {
  try {
    let at = flowAt;
    let offset = -1;
    for (const segment of segments) {
      const code = text.charCodeAt(at);
      // an alias points elsewhere, an anchor or tag may hide a collection: the parser goes on.
      if (code === 38 || code === 42 || code === 33) notPlainFlow();
      let found: [number, number] | undefined;
      if (code === 123 /* { */) found = flowProperty(text, at, String(segment));
      else if (code === 91 /* [ */ && typeof segment === 'number') found = flowItem(text, at, segment);
      if (!found) break;
      [offset, at] = found;
    }
    return offset;
  } catch (error) {
    if (error === NOT_PLAIN_FLOW) return undefined;
    throw error;
  }
}

function isFlowBlank(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13;
}

/** the offset of the next character that is not white space, a line break or a comment. */
function skipFlowBlanks(text: string, at: number): number {
  for (;;) {
    while (isFlowBlank(text.charCodeAt(at))) at++;
    if (text.charCodeAt(at) !== 35 /* # */ || !isFlowBlank(text.charCodeAt(at - 1))) return at;
    const newline = text.indexOf('\n', at);
    if (newline === -1) return text.length;
    at = newline + 1;
  }
}

/** the offset after the quoted scalar at `at` (a line break inside it is part of it). */
function quotedEnd(text: string, at: number): number {
  if (text.charCodeAt(at) === 34 /* " */) {
    for (let close = text.indexOf('"', at + 1); close !== -1; close = text.indexOf('"', close + 1)) {
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === 92 /* \ */) backslashes++;
      if (backslashes % 2 === 0) return close + 1;
    }
    return notPlainFlow();
  }
  for (let close = text.indexOf("'", at + 1); close !== -1; close = text.indexOf("'", close + 1)) {
    if (text.charCodeAt(close + 1) !== 39) return close + 1;
    close++;
  }
  return notPlainFlow();
}

/** the offset after the flow node at `at`. */
function flowNodeEnd(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code === 34 || code === 39) return quotedEnd(text, at);
  if (code === 91 || code === 123) return flowCollectionEnd(text, at);
  // & * ! anchors, aliases, tags; ? explicit keys; | > % @ ` and flow indicators cannot start a plain scalar.
  if (/[&*!?|>%@`,\]}]/.test(text[at]) || at >= text.length) notPlainFlow();
  if ((code === 45 /* - */ || code === 58 /* : */) && isFlowBlank(text.charCodeAt(at + 1))) notPlainFlow();
  // a plain scalar, over lines too: it ends at a flow indicator or a comment; `: ` inside it is a pair.
  for (let end = at + 1; end < text.length; end++) {
    const c = text.charCodeAt(end);
    if (c === 44 || c === 93 || c === 125 || c === 91 || c === 123) return end;
    if (c === 35 && isFlowBlank(text.charCodeAt(end - 1))) return end;
    if (c === 58 /* : */ && (isFlowBlank(text.charCodeAt(end + 1)) || /[,\]}[{]/.test(text[end + 1] ?? ''))) notPlainFlow();
  }
  return notPlainFlow();
}

/** the offset after the flow collection at `at`. */
function flowCollectionEnd(text: string, at: number): number {
  const mapping = text.charCodeAt(at) === 123;
  const close = mapping ? 125 : 93;
  let next = skipFlowBlanks(text, at + 1);
  if (text.charCodeAt(next) === close) return next + 1;
  for (;;) {
    next = mapping ? flowValueAt(text, flowKey(text, next)[1]) : next;
    next = skipFlowBlanks(text, flowNodeEnd(text, next));
    const code = text.charCodeAt(next);
    if (code === close) return next + 1;
    if (code !== 44 /* , */) notPlainFlow();
    next = skipFlowBlanks(text, next + 1);
    if (text.charCodeAt(next) === close || text.charCodeAt(next) === 44) notPlainFlow();
  }
}

/** the key at `at` of a flow mapping entry, as a parser gives its value, and the offset of its `:`. */
function flowKey(text: string, at: number): [string, number] {
  const code = text.charCodeAt(at);
  let key: string;
  let end: number;
  if (code === 34 || code === 39) {
    end = quotedEnd(text, at);
    const raw = text.slice(at + 1, end - 1);
    if (code === 34 && (raw.includes('\\') || raw.includes('\n'))) notPlainFlow();
    if (code === 39 && raw.includes('\n')) notPlainFlow();
    key = code === 39 ? raw.replace(/''/g, "'") : raw;
  } else {
    end = at;
    while (end < text.length && !(text.charCodeAt(end) === 58 && isFlowBlank(text.charCodeAt(end + 1)))) {
      if (/[,\]}[{\n#]/.test(text[end])) notPlainFlow();
      end++;
    }
    key = text.slice(at, end).trimEnd();
    if (!PLAIN_WORD_KEY.test(key) || CORE_SCHEMA_WORDS.has(key)) notPlainFlow();
  }
  if (text.charCodeAt(end) !== 58 || !isFlowBlank(text.charCodeAt(end + 1))) notPlainFlow();
  return [key, end];
}

/** the offset of the value after the `:` at `colon`. */
function flowValueAt(text: string, colon: number): number {
  const at = skipFlowBlanks(text, colon + 1);
  const code = text.charCodeAt(at);
  // an empty value (`{a: }`): the parser's node has no place of its own.
  if (code === 44 || code === 125) notPlainFlow();
  return at;
}

/** the key offset and value offset of property `name` of the flow mapping at `at`. */
function flowProperty(text: string, at: number, name: string): [number, number] | undefined {
  let next = skipFlowBlanks(text, at + 1);
  if (text.charCodeAt(next) === 125) return undefined;
  const seen = new Set<string>();
  for (;;) {
    const [key, colon] = flowKey(text, next);
    // a duplicate key: the parser's first one, which the object may not hold.
    if (seen.has(key)) notPlainFlow();
    seen.add(key);
    const value = flowValueAt(text, colon);
    if (key === name) return [next, value];
    next = skipFlowBlanks(text, flowNodeEnd(text, value));
    const code = text.charCodeAt(next);
    if (code === 125) return undefined;
    if (code !== 44) notPlainFlow();
    next = skipFlowBlanks(text, next + 1);
    if (text.charCodeAt(next) === 125 || text.charCodeAt(next) === 44) notPlainFlow();
  }
}

/** the offset of item `index` of the flow sequence at `at`, as both its place and its node's. */
function flowItem(text: string, at: number, index: number): [number, number] | undefined {
  let next = skipFlowBlanks(text, at + 1);
  if (text.charCodeAt(next) === 93) return undefined;
  for (let item = 0; ; item++) {
    if (item === index) {
      // the item must be a node of its own, not a pair (`["a": 1]`).
      const after = text.charCodeAt(skipFlowBlanks(text, flowNodeEnd(text, next)));
      if (after !== 44 && after !== 93) notPlainFlow();
      return [next, next];
    }
    next = skipFlowBlanks(text, flowNodeEnd(text, next));
    const code = text.charCodeAt(next);
    if (code === 93) return undefined;
    if (code !== 44) notPlainFlow();
    next = skipFlowBlanks(text, next + 1);
    if (text.charCodeAt(next) === 93 || text.charCodeAt(next) === 44) notPlainFlow();
  }
}

/**
 * True when `value` (a line's rest after a key or `- `, trimmed) is one flow collection that opens
 * and closes on this line, holding only plain scalars, double-quoted scalars without escapes and
 * single-quoted scalars without doubled quotes. Anything else (an alias, which points elsewhere; an
 * anchor, tag, comment or escape; a collection that continues on the next line) is not, and the
 * parser answers.
 */
function isOneLineFlow(value: string): boolean {
  const first = value.charCodeAt(0);
  if (first !== 91 /* [ */ && first !== 123 /* { */) return false;
  let depth = 0;
  for (let at = 0; at < value.length; at++) {
    const code = value.charCodeAt(at);
    if (code === 34 /* " */ || code === 39 /* ' */) {
      // a quote inside a plain scalar (`[a"b]`) is a character, not a quoted scalar: leave that to the parser.
      if (!startsScalar(value, at)) return false;
      const close = value.indexOf(value[at], at + 1);
      if (close === -1) return false;
      if (code === 34 && value.slice(at + 1, close).includes('\\')) return false;
      // 'it''s': a doubled quote continues the scalar.
      if (code === 39 && value.charCodeAt(close + 1) === 39) return false;
      at = close;
      continue;
    }
    if (code === 91 || code === 123) {
      depth++;
    } else if (code === 93 /* ] */ || code === 125 /* } */) {
      depth--;
      // the outer collection ends here, and with it the line.
      if (depth === 0) return at === value.length - 1;
    } else if (code === 42 /* * */ || code === 38 /* & */ || code === 33 /* ! */ || code === 35 /* # */ || code === 63 /* ? */ || code < 32) {
      // an alias, anchor, tag, comment, complex key or control character (tab included).
      return false;
    }
  }
  return false;
}

/**
 * The character at `at` starts a flow scalar: only blanks since `[`, `{` or `,`, or since a `:`
 * that is a value indicator (followed by a blank, or right after a quoted key as in JSON).
 */
function startsScalar(value: string, at: number): boolean {
  let before = at - 1;
  while (before >= 0 && value.charCodeAt(before) === 32) before--;
  const code = value.charCodeAt(before);
  if (code === 91 || code === 123 || code === 44 /* , */) return true;
  if (code !== 58 /* : */) return false;
  const afterQuote = value.charCodeAt(before - 1) === 34 || value.charCodeAt(before - 1) === 39;
  return before < at - 1 || afterQuote;
}

function sequenceItems(block: Block): Found[] {
  const { indent, lines } = block;
  const items: Found[] = [];
  for (let i = block.start; i < block.end; i++) {
    const lineIndent = indentAt(block, i);
    if (lineIndent !== indent) {
      if (lineIndent < indent) throw new Unsupported();
      continue;
    }
    if (!isItem(lines, startAt(block, i), lines.end[i])) throw new Unsupported();
    items.push(sequenceItem(block, i, indent));
  }
  return items;
}

function sequenceItem(block: Block, i: number, indent: number): Found {
  const lines = block.lines;
  const number = lines.number[i];
  const rest = lines.text.slice(startAt(block, i) + 1, lines.end[i]);
  const content = rest.trimStart();
  if (content === '' || content.startsWith('#')) {
    // the item's node starts on the next line, where a parser places it.
    const child = childBlock(block, i, indent, false);
    if (!child) throw new Unsupported();
    return { line: lines.number[child.start], value: child };
  }
  if (isOneLineFlow(content.trimEnd())) return { line: number, value: ONE_LINE_FLOW };
  if (content.charCodeAt(0) === 91 || content.charCodeAt(0) === 123) return { line: number, value: { flowAt: lines.end[i] - content.length } };
  if (/^[&*!|>{[]/.test(content) || (content.charCodeAt(0) === 45 && (content.length === 1 || content.charCodeAt(1) === 32))) return { line: number, value: null };
  if (KEY.test(content)) {
    // a compact mapping: `- name: app` continues on the lines indented like `name`.
    const innerIndent = indent + 1 + (rest.length - content.length);
    let end = i + 1;
    for (; end < block.end && lines.indent[end] > indent; end++) {
      if (lines.indent[end] < innerIndent) throw new Unsupported();
    }
    const headStart = lines.end[i] - content.length;
    return { line: number, value: { lines, start: i, end, headStart, indent: innerIndent } };
  }
  return { line: number, value: undefined };
}
