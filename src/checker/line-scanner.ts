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
  index?: Map<string, Found> | Found[] | Unsupported;
}

class Unsupported extends Error {}

/**
 * A flow collection written whole on one line (`drop: [ALL]`, `- {port: 53, protocol: UDP}`):
 * every node inside it starts on that line, so any path into it ends there.
 */
const ONE_LINE_FLOW = Symbol('one-line flow collection');

/**
 * A key or item: the line a parser's source positions give, and its value (null: opaque,
 * undefined: scalar, ONE_LINE_FLOW: a flow collection on that line).
 */
interface Found {
  readonly line: number;
  readonly value: Block | undefined | null | typeof ONE_LINE_FLOW;
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
    for (const segment of segments) {
      // a node this scanner does not read (multi-line flow collection, alias, tag...): a parser might go deeper.
      if (block === null) return undefined;
      // a scalar, or a flow collection whose every node is on this line.
      if (block === undefined || block === ONE_LINE_FLOW) break;
      const index: Map<string, Found> | Found[] | Unsupported = block.index ??= indexBlock(block);
      if (index instanceof Unsupported) return undefined;
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

function indexBlock(block: Block): Map<string, Found> | Found[] | Unsupported {
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
      found = { line: lines.number[i], value: isOneLineFlow(rest) ? ONE_LINE_FLOW : /^[&*!{[]/.test(rest) ? null : undefined };
    }
    if (!values.has(name)) values.set(name, found);
  }
  return values;
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
