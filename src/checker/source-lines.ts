import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import type { StreamPositions } from './block-yaml';
import { JsonLocator } from './json-text';
import { DocumentScanner } from './line-scanner';
import type { SourceRef } from './types';

interface ParsedFile {
  readonly documents: readonly Document.Parsed[];
  readonly lines: LineCounter;
}

/** the path of a field of an object as seen from its document's root (adds the `List` item prefix). */
export function documentPath(source: SourceRef, path: string): string {
  if (!source.itemPath) return path;
  if (!path) return source.itemPath;
  return path.startsWith('[') ? source.itemPath + path : `${source.itemPath}.${path}`;
}

/** splits `spec.containers[0]["a.b/c"].x` into `spec`, `containers`, 0, `a.b/c`, `x`. */
export function pathSegments(path: string): (string | number)[] {
  // most paths are plain (`spec.template.spec.containers[0].image`): split them without the regex.
  if (!path.includes('"')) return plainSegments(path);
  const segments: (string | number)[] = [];
  const token = /\.?([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let match: RegExpExecArray | null;
  while (token.lastIndex < path.length && (match = token.exec(path)) !== null) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}

/** the segments of a path without quoted keys, as `pathSegments` reads it. */
function plainSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  let at = 0;
  while (at < path.length) {
    const code = path.charCodeAt(at);
    if (code === 91 /* [ */) {
      const close = path.indexOf(']', at);
      const digits = close === -1 ? '' : path.slice(at + 1, close);
      // `[` not followed by digits and `]` stops the scan, as the regex does.
      if (digits === '' || !/^\d+$/.test(digits)) return segments;
      segments.push(Number(digits));
      at = close + 1;
      continue;
    }
    const start = code === 46 /* . */ ? at + 1 : at;
    let end = start;
    while (end < path.length) {
      const c = path.charCodeAt(end);
      if (c === 46 || c === 91 || c === 93) break;
      end++;
    }
    // `..`, `.[` or a stray `]`: the regex finds no token there and stops.
    if (end === start) return segments;
    segments.push(path.slice(start, end));
    at = end;
  }
  return segments;
}

/** one YAML document's text within its file. */
interface DocumentText {
  /** offset of the document's first character in the file. */
  readonly start: number;
  readonly end: number;
  /** 1-based line of `start`. */
  readonly line: number;
}

interface ParsedDocument {
  readonly document: Document.Parsed;
  readonly lines: LineCounter;
  /** the line of the document's first character in the file, minus one. */
  readonly lineOffset: number;
}

/** how many split paths to keep. */
const SEGMENT_CACHE = 4096;

/** how many parsed documents to keep: findings of one object ask for lines one after another. */
const PARSED_DOCUMENT_CACHE = 32;

/**
 * How many JSON documents to keep located: findings ask for lines document after document, and a
 * JSON document is often a whole file (a `List`) whose locator indexes its items.
 */
const JSON_DOCUMENT_CACHE = 2;

/** a document written as JSON (`kubectl get -o json`, jsonnet output), located without a parse. */
interface JsonDocument {
  readonly locator: JsonLocator;
  /** offsets in the file where the document's lines start, from the line of `DocumentText.start`. */
  readonly lineStarts: Int32Array;
  /** the 1-based file line of `lineStarts[0]`. */
  readonly line: number;
}

/**
 * Splits a YAML stream at its document markers. A line starting with `---` or `...` followed by a
 * blank or the line end is a marker wherever it stands, block scalars included, so a line scan
 * finds the documents without parsing. A document counts when it starts with `---` or holds
 * content (not only comments, directives and blank lines), as YAML parsers count them.
 */
export function splitDocuments(text: string): DocumentText[] {
  const documents: DocumentText[] = [];
  let start = 0;
  let startLine = 1;
  let explicit = false;
  let content = false;
  const close = (end: number) => {
    if (explicit || content) documents.push({ start, end, line: startLine });
  };
  let lineStart = 0;
  let lineNumber = 1;
  // one pass over the text, reading characters in place: no line is copied out of it.
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const contentEnd = newline === -1 ? text.length : newline;
    if (isMarker(text, lineStart, contentEnd, 45 /* - */)) {
      close(lineStart);
      start = lineStart;
      startLine = lineNumber;
      explicit = true;
      content = false;
    } else if (isMarker(text, lineStart, contentEnd, 46 /* . */)) {
      close(lineEnd);
      start = lineEnd;
      startLine = lineNumber + 1;
      explicit = false;
      content = false;
    } else if (!content && hasContent(text, lineStart, contentEnd)) {
      content = true;
    }
    if (newline === -1) break;
    lineStart = lineEnd;
    lineNumber++;
  }
  close(text.length);
  return documents;
}

/** `---` or `...` (three `char`s) at the line start, then a blank or the line end. */
function isMarker(text: string, start: number, end: number, char: number): boolean {
  if (end - start < 3 || text.charCodeAt(start) !== char || text.charCodeAt(start + 1) !== char || text.charCodeAt(start + 2) !== char) return false;
  if (end - start === 3) return true;
  const next = text.charCodeAt(start + 3);
  return next === 32 || next === 9;
}

/** the line holds something besides blanks, a comment or a directive (`/^[ \t]*[^\s#%]/`). */
function hasContent(text: string, start: number, end: number): boolean {
  let at = start;
  while (at < end && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
  if (at >= end) return false;
  const code = text.charCodeAt(at);
  if (code === 35 || code === 37) return false;
  if (code < 128) return code !== 11 && code !== 12 && code !== 13;
  return !/\s/.test(text[at]);
}

/**
 * Line numbers of fields, recovered only for the documents that have findings. A document written
 * as JSON is read in place by a locator that skips what is not on the path; block YAML is read by
 * an indentation scan; anything else is parsed a second time with `yaml` (which keeps source positions; js-yaml
 * does not). When the split does not match the parser's document count, the whole file is parsed
 * with `yaml` instead. A path that does not exist in the file (a missing field) resolves to its
 * deepest existing ancestor.
 */
export class SourceLines {
  private readonly splits = new Map<string, DocumentText[]>();
  private readonly wholeFiles = new Map<string, ParsedFile | undefined>();
  private readonly documents = new Map<string, ParsedDocument | undefined>();
  private readonly scanners = new Map<string, DocumentScanner>();
  private readonly jsonDocuments = new Map<string, JsonDocument>();
  /** the document asked about last: the findings of one object ask one after another. */
  private last?: { readonly file: string; readonly index: number; readonly scanner: DocumentScanner };
  private yaml?: typeof import('yaml');

  /** split paths, by path (`segmentsOf`). */
  private readonly segments = new Map<string, readonly (string | number)[]>();
  /** per file, the offsets at which its lines start, for files whose lines were asked by position. */
  private readonly lineStarts = new Map<string, Int32Array>();

  /**
   * @param texts the text of every file read, by file name as it appears in `SourceRef.file`
   * @param positions where the YAML reader found each entry of the files it read (`LoadedInput.positions`)
   */
  constructor(private readonly texts: ReadonlyMap<string, string>, private readonly positions?: ReadonlyMap<string, StreamPositions>) {}

  /** the 1-based line of `path` (relative to the object) in the object's source, when known. */
  lineOf(source: SourceRef, path: string): number | undefined {
    if (source.file === undefined || source.documentIndex === undefined) return source.line;
    const text = this.texts.get(source.file);
    if (text === undefined) return source.line;
    const segments = this.segmentsOf(documentPath(source, path));
    // a document the YAML reader read: the entries' positions it kept, no second read of the text.
    const positions = this.positions?.get(source.file);
    const entry = positions?.entryOffset(source.documentIndex, segments);
    if (entry !== undefined) return this.lineAtOffset(source.file, text, entry);
    const split = this.documentText(source.file, text, source.documentIndex, source.documentCount);
    if (split) {
      // most manifests are plain block YAML: an indentation scan finds the line without a parse.
      // a JSON document (often a whole List in one file): a JSON parser with offsets, as `yaml` reads flow style ~15x slower.
      const body = jsonBodyStart(text, split);
      const json = body === undefined ? undefined : this.jsonDocument(source.file, text, source.documentIndex, split, body);
      const offset = json?.locator.offsetOf(segments);
      if (offset !== undefined) return jsonLine(json!, offset);
      const scanned = this.scanner(source.file, text, source.documentIndex, split).lineOf(segments);
      if (scanned !== undefined) return split.line - 1 + scanned;
    }
    const parsed = this.parseDocument(source.file, text, source.documentIndex, source.documentCount);
    if (parsed) {
      const offset = offsetOf(this.yaml!, parsed.document, segments);
      return offset === undefined ? source.line : parsed.lineOffset + parsed.lines.linePos(offset).line;
    }
    const file = this.parseFile(source.file, text);
    const document = file?.documents[source.documentIndex];
    if (!file || !document) return source.line;
    const offset = offsetOf(this.yaml!, document, segments);
    return offset === undefined ? source.line : file.lines.linePos(offset).line;
  }

  /** the segments of a path; findings of many objects share a few paths, each split once. */
  private segmentsOf(path: string): readonly (string | number)[] {
    let segments = this.segments.get(path);
    if (!segments) {
      // paths inside Lists are per item: the cache is bounded, not grown with the input.
      if (this.segments.size >= SEGMENT_CACHE) this.segments.clear();
      segments = pathSegments(path);
      this.segments.set(path, segments);
    }
    return segments;
  }

  /** the 1-based line of `offset` in a file. */
  private lineAtOffset(file: string, text: string, offset: number): number {
    let starts = this.lineStarts.get(file);
    if (!starts) {
      starts = lineStartsOf(text, { start: 0, end: text.length, line: 1 });
      this.lineStarts.set(file, starts);
    }
    return 1 + lastAtOrBefore(starts, offset);
  }

  /** the document's scanner, kept while findings of its objects ask for lines (one pass per document). */
  private scanner(file: string, text: string, index: number, split: DocumentText): DocumentScanner {
    if (this.last && this.last.index === index && this.last.file === file) return this.last.scanner;
    const scanner = this.cachedScanner(file, text, index, split);
    this.last = { file, index, scanner };
    return scanner;
  }

  private cachedScanner(file: string, text: string, index: number, split: DocumentText): DocumentScanner {
    const key = `${index}\u0000${file}`;
    let scanner = this.scanners.get(key);
    if (!scanner) {
      scanner = new DocumentScanner(text.slice(split.start, split.end));
      if (this.scanners.size >= PARSED_DOCUMENT_CACHE) this.scanners.delete(this.scanners.keys().next().value!);
      this.scanners.set(key, scanner);
    }
    return scanner;
  }

  /** the document whose JSON starts at `body`, with a locator that reads it in place. */
  private jsonDocument(file: string, text: string, index: number, split: DocumentText, body: number): JsonDocument {
    const key = `${index}\u0000${file}`;
    let document = this.jsonDocuments.get(key);
    if (!document) {
      const locator = new JsonLocator(text, body, this.positions?.get(file)?.jsonItems);
      document = { locator, lineStarts: lineStartsOf(text, split), line: split.line };
      if (this.jsonDocuments.size >= JSON_DOCUMENT_CACHE) this.jsonDocuments.delete(this.jsonDocuments.keys().next().value!);
      this.jsonDocuments.set(key, document);
    }
    return document;
  }

  private load(): typeof import('yaml') {
    // lazy: `yaml` is only loaded when a finding needs a line.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return this.yaml ??= require('yaml') as typeof import('yaml');
  }

  /** where document `index` stands in the file, when the marker scan agrees with the parser's count. */
  private documentText(file: string, text: string, index: number, count: number | undefined): DocumentText | undefined {
    if (count === undefined) return undefined;
    // a document the YAML reader handed to js-yaml: it knows where the document stands.
    const handedOver = this.positions?.get(file)?.handedOverText(index);
    if (handedOver) return { start: handedOver[0], end: handedOver[1], line: this.lineAtOffset(file, text, handedOver[0]) };
    let split = this.splits.get(file);
    if (!split) {
      // a file that is one JSON value (`kubectl get -o json`) is one document from its first line:
      // no need to scan its (often many) lines for markers.
      split = count === 1 && /^\s*[{[]/.test(text.slice(0, 256)) ? [{ start: 0, end: text.length, line: 1 }] : splitDocuments(text);
      this.splits.set(file, split);
    }
    return split.length === count ? split[index] : undefined;
  }

  private parseDocument(file: string, text: string, index: number, count: number | undefined): ParsedDocument | undefined {
    const split = this.documentText(file, text, index, count);
    if (!split) return undefined;
    const key = `${index}\u0000${file}`;
    if (this.documents.has(key)) return this.documents.get(key);
    const yaml = this.load();
    const { start, end, line } = split;
    const lines = new yaml.LineCounter();
    let parsed: ParsedDocument | undefined;
    try {
      const document = yaml.parseDocument(text.slice(start, end), { lineCounter: lines, uniqueKeys: false });
      parsed = { document, lines, lineOffset: line - 1 };
    } catch {
      parsed = undefined;
    }
    if (this.documents.size >= PARSED_DOCUMENT_CACHE) this.documents.delete(this.documents.keys().next().value!);
    this.documents.set(key, parsed);
    return parsed;
  }

  private parseFile(file: string, text: string): ParsedFile | undefined {
    if (this.wholeFiles.has(file)) return this.wholeFiles.get(file);
    const yaml = this.load();
    const lines = new yaml.LineCounter();
    let result: ParsedFile | undefined;
    try {
      const documents = yaml.parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
      result = { documents: Array.isArray(documents) ? documents : [], lines };
    } catch {
      result = undefined;
    }
    this.wholeFiles.set(file, result);
    return result;
  }
}

/** where the JSON of a document starts in the file: after a `---` line, at `{` or `[`; else undefined. */
function jsonBodyStart(text: string, split: DocumentText): number | undefined {
  let at = split.start;
  if (text.startsWith('---', at)) at += 3;
  while (at < split.end) {
    const code = text.charCodeAt(at);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) break;
    at++;
  }
  const first = text.charCodeAt(at);
  return first === 123 /* { */ || first === 91 /* [ */ ? at : undefined;
}

/** the offsets where the document's lines start, its first line included. */
function lineStartsOf(text: string, split: DocumentText): Int32Array {
  // one pass into a typed array that doubles when full: off the collector's heap, no per-line growth.
  let starts = new Int32Array(1024);
  starts[0] = split.start;
  let count = 1;
  for (let newline = text.indexOf('\n', split.start); newline !== -1 && newline + 1 < split.end; newline = text.indexOf('\n', newline + 1)) {
    if (count === starts.length) {
      const larger = new Int32Array(count * 2);
      larger.set(starts);
      starts = larger;
    }
    starts[count++] = newline + 1;
  }
  return starts.subarray(0, count);
}

/** the index of the last of the ascending `starts` that is at or before `offset` (0 when none is). */
function lastAtOrBefore(starts: Int32Array, offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** the 1-based file line of an offset inside a JSON document. */
function jsonLine(document: JsonDocument, offset: number): number {
  return document.line + lastAtOrBefore(document.lineStarts, offset);
}

/** the source offset of the deepest node along `segments`; a mapping entry is found at its key. */
function offsetOf(yaml: typeof import('yaml'), document: Document.Parsed, segments: readonly (string | number)[]): number | undefined {
  let node: unknown = document.contents;
  let offset = (node as YamlNode | null)?.range?.[0];
  for (const segment of segments) {
    if (yaml.isAlias(node)) node = node.resolve(document);
    if (yaml.isMap(node)) {
      const pair = node.items.find((item) => yaml.isScalar(item.key) ? String(item.key.value) === String(segment) : false);
      if (!pair) break;
      offset = (pair.key as YamlNode).range?.[0] ?? offset;
      node = pair.value;
    } else if (yaml.isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}
