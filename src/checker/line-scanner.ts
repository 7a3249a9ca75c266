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

/** a block node: its lines (the first may be a virtual line after `- `) and its indentation. */
interface Block {
  readonly lines: readonly Line[];
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
      this.root = lines.length === 0 ? undefined : { lines, indent: lines[0].indent };
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

function isSequence(block: Block): boolean {
  const first = block.lines[0];
  return first !== undefined && isItem(first.text);
}

function isItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** the lines of the block node that starts after `lines[index]`, more indented than `parentIndent`. */
function childBlock(lines: readonly Line[], index: number, parentIndent: number, allowSameIndentSequence: boolean): Block | undefined {
  const first = lines[index + 1];
  if (!first) return undefined;
  const sameIndentSequence = allowSameIndentSequence && first.indent === parentIndent && isItem(first.text);
  if (first.indent <= parentIndent && !sameIndentSequence) return undefined;
  const indent = first.indent;
  const child: Line[] = [];
  for (let i = index + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.indent < indent) break;
    if (sameIndentSequence && line.indent === indent && !isItem(line.text)) break;
    child.push(line);
  }
  return { lines: child, indent };
}

function mappingValues(block: Block): Map<string, Found> {
  const { lines, indent } = block;
  const values = new Map<string, Found>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
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
      const child = childBlock(lines, i, indent, true);
      found = { line: line.number, value: child };
      // the value's lines (a same-indent sequence among them) are not keys of this mapping.
      if (child) i += child.lines.length;
    } else {
      found = { line: line.number, value: /^[&*!{[]/.test(rest) ? null : undefined };
    }
    if (!values.has(name)) values.set(name, found);
  }
  return values;
}

function sequenceItems(block: Block): Found[] {
  const { lines, indent } = block;
  const items: Found[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.indent !== indent) {
      if (line.indent < indent) throw new Unsupported();
      continue;
    }
    if (!isItem(line.text)) throw new Unsupported();
    items.push(sequenceItem(lines, i, indent));
  }
  return items;
}

function sequenceItem(lines: readonly Line[], i: number, indent: number): Found {
  const line = lines[i];
  const rest = line.text.slice(1);
  const content = rest.trimStart();
  if (content === '' || content.startsWith('#')) {
    // the item's node starts on the next line, where a parser places it.
    const child = childBlock(lines, i, indent, false);
    if (!child) throw new Unsupported();
    return { line: child.lines[0].number, value: child };
  }
  if (/^[&*!|>{[]/.test(content) || isItem(content)) return { line: line.number, value: null };
  if (KEY.test(content)) {
    // a compact mapping: `- name: app` continues on the lines indented like `name`.
    const innerIndent = indent + 1 + (rest.length - content.length);
    const inner: Line[] = [{ number: line.number, indent: innerIndent, text: content }];
    for (let j = i + 1; j < lines.length && lines[j].indent > indent; j++) {
      if (lines[j].indent < innerIndent) throw new Unsupported();
      inner.push(lines[j]);
    }
    return { line: line.number, value: { lines: inner, indent: innerIndent } };
  }
  return { line: line.number, value: undefined };
}
