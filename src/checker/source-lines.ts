import type { Document, LineCounter, Node as YamlNode } from 'yaml';
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

/**
 * Line numbers of fields, recovered only for files that have findings: the file is parsed a
 * second time with `yaml` (which keeps source positions; js-yaml does not) the first time one of
 * its findings asks. A path that does not exist in the file (a missing field) resolves to its
 * deepest existing ancestor.
 */
export class SourceLines {
  private readonly parsed = new Map<string, ParsedFile | undefined>();
  private yaml?: typeof import('yaml');

  /** @param texts the text of every file read, by file name as it appears in `SourceRef.file` */
  constructor(private readonly texts: ReadonlyMap<string, string>) {}

  /** the 1-based line of `path` (relative to the object) in the object's source, when known. */
  lineOf(source: SourceRef, path: string): number | undefined {
    if (source.file === undefined || source.documentIndex === undefined) return source.line;
    const file = this.parse(source.file);
    const document = file?.documents[source.documentIndex];
    if (!file || !document) return source.line;
    const offset = offsetOf(this.yaml!, document, pathSegments(documentPath(source, path)));
    return offset === undefined ? source.line : file.lines.linePos(offset).line;
  }

  private parse(file: string): ParsedFile | undefined {
    if (this.parsed.has(file)) return this.parsed.get(file);
    const text = this.texts.get(file);
    let result: ParsedFile | undefined;
    if (text !== undefined) {
      // lazy: `yaml` is only loaded when a finding needs a line.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const yaml = this.yaml ??= require('yaml') as typeof import('yaml');
      const lines = new yaml.LineCounter();
      try {
        const documents = yaml.parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
        result = { documents: Array.isArray(documents) ? documents : [], lines };
      } catch {
        result = undefined;
      }
    }
    this.parsed.set(file, result);
    return result;
  }
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
