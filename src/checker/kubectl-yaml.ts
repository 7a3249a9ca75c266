/**
 * Where js-yaml and kubectl's YAML decoder (sigs.k8s.io/yaml over go-yaml v2) read the same text
 * differently, the text is either rewritten to what kubectl reads or refused, so the checker never
 * checks an object other than the one `kubectl apply -f` sends:
 *
 * - a byte-order mark at the start of a document (kubectl splits the stream at `---` lines and
 *   decodes each part, dropping a leading BOM) is dropped; a BOM anywhere else is refused;
 * - U+0085, U+2028 and U+2029 are line breaks to go-yaml (YAML 1.1) but not to js-yaml, so the
 *   "rest of a comment" can be a live key: refused outside quoted scalars (NEL everywhere, as
 *   go-yaml also folds it inside quotes);
 * - `<<` merge keys: go-yaml applies every write in order (a merge after an explicit key, or a
 *   second merge, overrides it), js-yaml keeps the first: a merge that sets a key the mapping
 *   already set is refused.
 */

/** a byte-order mark. */
const BOM = '\uFEFF';
/** YAML 1.1 line breaks that YAML 1.2 parsers read as ordinary characters. */
const UNICODE_BREAKS = /[\u0085\u2028\u2029]/g;

/** a problem with the text, at a 0-based offset; the caller turns it into an input error. */
export class DecodeRefusal extends Error {
  constructor(readonly offset: number, readonly detail: string) {
    super(detail);
  }
}

/** the 1-based line of `offset` in `text`, counting `\n` as kubectl's error messages do. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * True when a line separates documents for kubectl's YAML reader (k8s.io/apimachinery
 * `YAMLReader`): it starts with `---` and the rest is blank or a comment.
 */
function isKubectlSeparator(text: string, lineStart: number, lineEnd: number): boolean {
  if (!text.startsWith('---', lineStart)) return false;
  const rest = text.slice(lineStart + 3, lineEnd).trim();
  return rest === '' || rest.startsWith('#');
}

/** the text with the BOMs kubectl drops removed; throws `DecodeRefusal` for a BOM elsewhere. */
export function dropDocumentBoms(text: string): string {
  if (!text.includes(BOM)) return text;
  const parts: string[] = [];
  let from = 0;
  for (let at = text.indexOf(BOM); at !== -1; at = text.indexOf(BOM, at + 1)) {
    if (at === 0 || startsDocument(text, at)) {
      parts.push(text.slice(from, at));
      from = at + 1;
      continue;
    }
    throw new DecodeRefusal(at, 'a byte-order mark (U+FEFF) inside a document: kubectl reads it as part of the text; remove it');
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/** true when `offset` is the first character after a kubectl document separator line. */
function startsDocument(text: string, offset: number): boolean {
  if (offset === 0 || text[offset - 1] !== '\n') return false;
  const previousEnd = offset - 1;
  const previousStart = text.lastIndexOf('\n', previousEnd - 1) + 1;
  const end = text[previousEnd - 1] === '\r' ? previousEnd - 1 : previousEnd;
  return isKubectlSeparator(text, previousStart, end);
}

type YamlModule = typeof import('yaml');

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/**
 * Keys merges may copy into one document: js-yaml (and kubectl) copy a merged mapping's keys into
 * every mapping that merges it, so a few lines can build millions of keys, as aliases can.
 */
export const MAX_MERGED_KEYS = 100_000;

function loadYaml(): YamlModule {
  // lazy: only texts with merge keys or unicode line breaks need a second parser.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as YamlModule;
}

/** [start, end) offsets of the quoted scalars of every document. */
function quotedRanges(yaml: YamlModule, text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const document of yaml.parseAllDocuments(text, { uniqueKeys: false, merge: false })) {
    yaml.visit(document, {
      Scalar(_key, node) {
        if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range) ranges.push([node.range[0], node.range[1]]);
      },
      Pair(_key, pair) {
        const key = pair.key;
        if (yaml.isScalar(key) && (key.type === 'QUOTE_DOUBLE' || key.type === 'QUOTE_SINGLE') && key.range) {
          ranges.push([key.range[0], key.range[1]]);
        }
      },
    });
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

function quotedRangesOrRefuse(text: string, at: number): [number, number][] {
  try {
    return quotedRanges(loadYaml(), text);
  } catch (error) {
    if (error instanceof RangeError) throw new DecodeRefusal(at, 'the document is nested too deeply to tell whether this U+2028/U+2029 is inside a quoted string');
    throw error;
  }
}

/** throws `DecodeRefusal` at the first U+0085, or U+2028/U+2029 outside a quoted scalar. */
export function refuseUnicodeLineBreaks(text: string): void {
  // three plain searches are several times faster than the regex over a large file, and almost no file has any.
  if (text.indexOf('\u0085') === -1 && text.indexOf('\u2028') === -1 && text.indexOf('\u2029') === -1) return;
  let ranges: [number, number][] | undefined;
  // occurrences come in order and ranges are sorted: one moving index keeps this linear.
  let next = 0;
  UNICODE_BREAKS.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = UNICODE_BREAKS.exec(text)) !== null) {
    const at = match.index;
    const code = `U+${text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')}`;
    const refusal = new DecodeRefusal(at, `${code} is a line break to kubectl (YAML 1.1) but not to other YAML readers, so this line means different things to each: replace it with a newline or remove it`);
    if (code === 'U+0085') throw refusal;
    ranges ??= quotedRangesOrRefuse(text, at);
    while (next < ranges.length && ranges[next][1] <= at) next++;
    if (next === ranges.length || ranges[next][0] > at) throw refusal;
  }
}

/**
 * Throws `DecodeRefusal` at a `<<` merge key that sets a key its mapping already set (explicitly
 * or by an earlier merge): go-yaml lets the later write win, js-yaml the earlier one.
 *
 * @param keyOf the string a plain scalar key becomes in JSON (YAML 1.1 resolution)
 */
export function refuseConflictingMerges(text: string, keyOf: (plain: string) => string): void {
  if (!text.includes('<<')) return;
  try {
    checkMerges(loadYaml(), text, keyOf);
  } catch (error) {
    if (error instanceof RangeError) throw new DecodeRefusal(0, 'merge keys or mappings are nested too deeply to check');
    throw error;
  }
}

function checkMerges(yaml: YamlModule, text: string, keyOf: (plain: string) => string): void {
  for (const document of yaml.parseAllDocuments(text, { uniqueKeys: false, merge: false })) {
    const keysCache = new Map<unknown, Set<string>>();
    let mergedKeys = 0;
    const resolve = (node: unknown): unknown => (yaml.isAlias(node) ? node.resolve(document) : node);
    const keyText = (key: unknown): string => {
      if (yaml.isScalar(key)) return key.type === 'PLAIN' ? keyOf(String(key.source ?? key.value)) : String(key.value);
      return JSON.stringify(yaml.isNode(key) ? key.toJSON() : key);
    };
    // go-yaml (and js-yaml) merge on a plain `<<` without another tag, or on any `<<` tagged !!merge.
    const isMerge = (key: unknown) => yaml.isScalar(key) && (key.tag === MERGE_TAG
      ? key.source === '<<'
      : key.type === 'PLAIN' && key.value === '<<' && key.tag === undefined);
    // the keys a mapping ends up with, checking its merges on the way (iterative over pairs; the
    // depth of merges through aliases is bounded by the distinct mappings, each computed once).
    const effectiveKeys = (map: import('yaml').YAMLMap, open: Set<unknown>): Set<string> => {
      const known = keysCache.get(map);
      if (known) return known;
      if (open.has(map)) throw new DecodeRefusal(map.range?.[0] ?? 0, 'a YAML merge key refers to a mapping that contains it');
      open.add(map);
      const written = new Set<string>();
      for (const pair of map.items) {
        if (!isMerge(pair.key)) {
          written.add(keyText(pair.key));
          continue;
        }
        const value = resolve(pair.value);
        const sources = yaml.isSeq(value) ? value.items.map(resolve) : [value];
        const merged = new Set<string>();
        for (const source of sources) {
          if (!yaml.isMap(source)) continue;
          for (const key of effectiveKeys(source, open)) merged.add(key);
        }
        mergedKeys += merged.size;
        if (mergedKeys > MAX_MERGED_KEYS) {
          throw new DecodeRefusal((pair.key as import('yaml').Scalar).range?.[0] ?? 0,
            `merge keys (<<) copy more than ${MAX_MERGED_KEYS} keys into this document (a merge bomb?): write the mappings out`);
        }
        for (const key of merged) {
          if (written.has(key)) {
            const offset = (pair.key as import('yaml').Scalar).range?.[0] ?? 0;
            throw new DecodeRefusal(offset, `the merge key (<<) sets ${JSON.stringify(key)}, which this mapping already set: kubectl lets the later value win, other YAML readers the earlier one; write the key once, without a merge`);
          }
          written.add(key);
        }
      }
      open.delete(map);
      keysCache.set(map, written);
      return written;
    };
    yaml.visit(document, {
      Map(_key, map) {
        effectiveKeys(map, new Set());
      },
    });
  }
}
