/**
 * Finds the line of a field in one YAML document's text without parsing it, for the block-style
 * YAML that generators, cdk8s and kubectl write. It walks indentation only and gives up (returns
 * undefined) on anything it does not fully understand — flow collections, anchors, aliases, tags,
 * merge keys, complex or escaped keys, tabs — so the caller can fall back to a real parser. When it
 * answers, the answer is the one a parser's source positions give: the line of the deepest key or
 * sequence item along the path that exists.
 */

interface Line {
  /** 1-based line within the document text. */
  readonly number: number;
  readonly indent: number;
  /** the line without its indentation. */
  readonly text: string;
}

/**
 * A block node: a range of the document's lines (the first may be replaced by a virtual line
 * after `- `) and its indentation. Blocks share the document's line array: nesting copies nothing.
 */
interface Block {
  /** every content line of the document. */
  readonly lines: readonly Line[];
  /** index of the block's first line in `lines`. */
  readonly start: number;
  /** index after the block's last line. */
  readonly end: number;
  /** stands for `lines[start]`: the content after `- ` of a compact mapping item. */
  readonly head?: Line;
  readonly indent: number;
  /** the block's keys (first occurrence) or items, indexed on first use: each block is read once. */
  index?: Map<string, Found> | Found[] | Unsupported;
}

class Unsupported extends Error {}

/** a key or item: the line a parser's source position gives, and its value (null: opaque, undefined: scalar). */
interface Found {
  readonly line: number;
  readonly value: Block | undefined | null;
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
      this.root = lines.length === 0 ? undefined : { lines, start: 0, end: lines.length, indent: lines[0].indent };
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      this.root = undefined;
    }
  }

  /** the 1-based line of `segments` in the document, or undefined when the scanner cannot tell. */
  lineOf(segments: readonly (string | number)[]): number | undefined {
    if (!this.root) return undefined;
    let block: Block | undefined | null = this.root;
    let line = this.root.lines[0].number;
    for (const segment of segments) {
      // a node this scanner does not read (flow collection, alias, tag...): a parser might go deeper.
      if (block === null) return undefined;
      if (block === undefined) break;
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

/** the content lines of a document: one pass over the text, without splitting it into an array first. */
function contentLines(text: string): Line[] {
  const lines: Line[] = [];
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
    const indent = first - start;
    const trimmed = text.slice(first, end);
    if (indent === 0 && (trimmed.startsWith('---') || trimmed.startsWith('...')) && (trimmed.length === 3 || trimmed.charCodeAt(3) === 32 || trimmed.charCodeAt(3) === 9)) {
      // a marker line with content after it (`--- value`) starts the document on that line.
      const after = trimmed.slice(3).trim();
      if (after !== '' && !after.startsWith('#')) throw new Unsupported();
      start = next;
      continue;
    }
    lines.push({ number, indent, text: trimmed });
    start = next;
  }
  return lines;
}

/** line `i` of a block (an index into the document's lines). */
function lineAt(block: Block, i: number): Line {
  return i === block.start && block.head ? block.head : block.lines[i];
}

function isSequence(block: Block): boolean {
  return block.end > block.start && isItem(lineAt(block, block.start).text);
}

function isItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** the block node that starts after line `index` of `block`, more indented than `parentIndent`. */
function childBlock(block: Block, index: number, parentIndent: number, allowSameIndentSequence: boolean): Block | undefined {
  const lines = block.lines;
  if (index + 1 >= block.end) return undefined;
  // index + 1 > block.start: never the block's virtual head.
  const first = lines[index + 1];
  const sameIndentSequence = allowSameIndentSequence && first.indent === parentIndent && isItem(first.text);
  if (first.indent <= parentIndent && !sameIndentSequence) return undefined;
  const indent = first.indent;
  let end = index + 1;
  for (; end < block.end; end++) {
    const line = lines[end];
    if (line.indent < indent) break;
    if (sameIndentSequence && line.indent === indent && !isItem(line.text)) break;
  }
  return { lines, start: index + 1, end, indent };
}

function mappingValues(block: Block): Map<string, Found> {
  const { indent } = block;
  const values = new Map<string, Found>();
  for (let i = block.start; i < block.end; i++) {
    const line = lineAt(block, i);
    if (line.indent !== indent) {
      if (line.indent < indent) throw new Unsupported();
      continue;
    }
    if (isItem(line.text)) throw new Unsupported();
    const match = KEY.exec(line.text);
    if (!match) throw new Unsupported();
    const name = match[1] ?? match[2] ?? match[3];
    if (name === '<<') throw new Unsupported();
    const rest = line.text.slice(match[0].length).trim();
    let found: Found;
    if (rest === '' || rest.startsWith('#')) {
      const child = childBlock(block, i, indent, true);
      found = { line: line.number, value: child };
      // the value's lines (a same-indent sequence among them) are not keys of this mapping.
      if (child) i = child.end - 1;
    } else {
      found = { line: line.number, value: /^[&*!{[]/.test(rest) ? null : undefined };
    }
    if (!values.has(name)) values.set(name, found);
  }
  return values;
}

function sequenceItems(block: Block): Found[] {
  const { indent } = block;
  const items: Found[] = [];
  for (let i = block.start; i < block.end; i++) {
    const line = lineAt(block, i);
    if (line.indent !== indent) {
      if (line.indent < indent) throw new Unsupported();
      continue;
    }
    if (!isItem(line.text)) throw new Unsupported();
    items.push(sequenceItem(block, i, indent));
  }
  return items;
}

function sequenceItem(block: Block, i: number, indent: number): Found {
  const lines = block.lines;
  const line = lineAt(block, i);
  const rest = line.text.slice(1);
  const content = rest.trimStart();
  if (content === '' || content.startsWith('#')) {
    // the item's node starts on the next line, where a parser places it.
    const child = childBlock(block, i, indent, false);
    if (!child) throw new Unsupported();
    return { line: lines[child.start].number, value: child };
  }
  if (/^[&*!|>{[]/.test(content) || isItem(content)) return { line: line.number, value: null };
  if (KEY.test(content)) {
    // a compact mapping: `- name: app` continues on the lines indented like `name`.
    const innerIndent = indent + 1 + (rest.length - content.length);
    let end = i + 1;
    for (; end < block.end && lines[end].indent > indent; end++) {
      if (lines[end].indent < innerIndent) throw new Unsupported();
    }
    const head: Line = { number: line.number, indent: innerIndent, text: content };
    return { line: line.number, value: { lines, start: i, end, head, indent: innerIndent } };
  }
  return { line: line.number, value: undefined };
}
