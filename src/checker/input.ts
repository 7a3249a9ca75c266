import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import * as path from 'path';
import { loadAll, YAMLException } from 'js-yaml';
import { readYamlDocuments, StreamPositions } from './block-yaml';
import type { SkippedFile } from './engine';
import { readJsonManifest } from './json-text';
import { DecodeRefusal, dropDocumentBoms, lineOfOffset, refuseConflictingMerges, refuseUnicodeLineBreaks } from './kubectl-yaml';
import { asRecord } from './pod-spec';
import { SourceLines } from './source-lines';
import type { KubeObject, ManifestEntry } from './types';
import { KUBERNETES_YAML_SCHEMA, plainScalarKey } from './yaml-schema';
import { isNodeConfig } from '../model/control-plane-settings';

/** the file name findings and errors use for standard input. */
export const STDIN_NAME = '<stdin>';

/** file name endings read from directories (files named explicitly are read whatever their name). */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/**
 * Aliases may add at most this many nodes to a document once expanded; more is an alias bomb
 * (billion laughs). Documents without anchors are never walked for this.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

/** bad input: names the file and, where there is one, the line. The CLI exits 2 on it. */
export class InputError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, readonly detail: string) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${detail}`);
    this.name = 'InputError';
  }
}

/** manifests read from files, directories and standard input. */
export interface LoadedInput {
  /** every document, in order: files as given, directory contents sorted by path. */
  readonly entries: ManifestEntry[];
  /** the text of every file read, for line recovery (`SourceLines`). */
  readonly texts: ReadonlyMap<string, string>;
  /** files read and recognised as not manifests (cdk8s's `construct-metadata.json`). */
  readonly skippedFiles: readonly SkippedFile[];
  /** where the YAML reader found each entry of the files it read, for line recovery (`SourceLines`). */
  readonly positions: ReadonlyMap<string, StreamPositions>;
}

/** why cdk8s's construct metadata file is skipped, as the summary says it. */
export const CONSTRUCT_METADATA_REASON = 'cdk8s construct metadata, not a manifest';

/** a JSON object whose first key is `apiVersion` or `kind`: never construct metadata, which has neither. */
const MANIFEST_JSON_START = /^\s*\{\s*"(?:apiVersion|kind)"\s*:/;

/**
 * True for the file cdk8s writes next to the manifests when validation plugins are configured
 * (`construct-metadata.json`: `{"version": "1.0.0", "resources": {name: {path}}}`), recognised by
 * its content so that a renamed copy is skipped too and a manifest named like it is not.
 */
export function isConstructMetadata(text: string): boolean {
  if (!text.trimStart().startsWith('{') || !text.includes('"resources"')) return false;
  // a manifest written as JSON (kubectl -o json, jsonnet) names apiVersion or kind first: no need to parse it all to know.
  if (MANIFEST_JSON_START.test(text)) return false;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  const record = asRecord(value);
  return record !== undefined && typeof record.version === 'string' && asRecord(record.resources) !== undefined
    && record.kind === undefined && record.apiVersion === undefined;
}

/** how input reaches the loader; the CLI passes process.stdin. */
export interface InputSource {
  /**
   * All of standard input. A source that streams stops reading once more than `limit` bytes have
   * arrived (the loader refuses such input either way).
   */
  readStdin(limit?: number): Promise<Buffer | string>;
}

/** the 1-based line of the first invalid UTF-8 sequence (a newline byte never occurs inside one). */
function firstInvalidUtf8Line(buffer: Buffer): number {
  let line = 1;
  let start = 0;
  while (start <= buffer.length) {
    const newline = buffer.indexOf(0x0a, start);
    const end = newline === -1 ? buffer.length : newline;
    if (!isUtf8(buffer.subarray(start, end))) return line;
    if (newline === -1) break;
    start = newline + 1;
    line++;
  }
  return line;
}

function lineAt(buffer: Buffer, offset: number): number {
  let line = 1;
  for (let i = buffer.indexOf(0x0a); i !== -1 && i < offset; i = buffer.indexOf(0x0a, i + 1)) line++;
  return line;
}

/** the text of a file: rejects binary (NUL bytes) and anything that is not UTF-8; drops a BOM. */
export function decodeText(buffer: Buffer, file: string): string {
  const nul = buffer.indexOf(0);
  if (nul !== -1) throw new InputError(file, lineAt(buffer, nul), 'binary file: contains a NUL byte, expected YAML or JSON text');
  if (!isUtf8(buffer)) {
    throw new InputError(file, firstInvalidUtf8Line(buffer), 'not UTF-8 text: re-encode the file as UTF-8');
  }
  const text = buffer.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/**
 * Nodes aliases add to a document once expanded (0 without aliases). js-yaml returns an alias as a
 * shared reference, so the walk visits each distinct node once and memoizes subtree sizes; a node
 * that contains itself is rejected.
 */
function aliasExpansion(root: unknown, fail: (detail: string) => never): number {
  if (root === null || typeof root !== 'object') return 0;
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  let distinct = 0;
  const size = (node: object): number => {
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) fail('a YAML alias refers to a node that contains it (a recursive structure)');
    open.add(node);
    distinct++;
    let total = 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') {
        total += size(child);
      } else {
        distinct++;
        total++;
      }
    }
    open.delete(node);
    sizes.set(node, total);
    return total;
  };
  try {
    return size(root) - distinct;
  } catch (error) {
    if (error instanceof RangeError) fail('the document is nested too deeply');
    throw error;
  }
}

/**
 * Parses one file's text into manifest entries. Throws `InputError` for invalid YAML, alias bombs,
 * documents that are not mappings and objects without `kind`, `apiVersion` or `metadata.name`
 * (`List` kinds need `items` instead of a name; their items are checked the same way).
 * Empty documents are skipped.
 */
export function parseManifests(text: string, file: string, positions?: StreamPositions): ManifestEntry[] {
  const given = text;
  text = kubectlText(text, file);
  // offsets found while reading hold for the text as given (what line recovery reads) only when decoding changed nothing.
  const recordItems = positions && text === given ? (arrays: ReadonlyMap<number, readonly number[]>) => { positions.jsonItems = arrays; } : undefined;
  // JSON.parse answers for strict JSON and the fast reader for the block YAML generators write
  // (document by document), each only where it gives what js-yaml gives; js-yaml reads (and
  // reports on) the rest.
  let documents: unknown[];
  try {
    documents = readJsonManifest(text, recordItems) ?? readYamlDocuments(text, positions)
      ?? loadAll(text, undefined, { schema: KUBERNETES_YAML_SCHEMA, filename: file });
  } catch (error) {
    if (error instanceof YAMLException) {
      throw new InputError(file, error.mark ? error.mark.line + 1 : undefined, `invalid YAML: ${error.reason}`);
    }
    throw new InputError(file, undefined, `cannot parse: ${error instanceof Error ? error.message : String(error)}`);
  }
  const lines = new SourceLines(new Map([[file, text]]), positions && new Map([[file, positions]]));
  const mayHaveAliases = text.includes('&');
  const entries: ManifestEntry[] = [];
  documents.forEach((document, documentIndex) => {
    if (document === null || document === undefined) return;
    const fail = (itemPath: string | undefined, fieldPath: string, detail: string): never => {
      const line = lines.lineOf({ file, documentIndex, documentCount: documents.length, itemPath }, fieldPath);
      throw new InputError(file, line, `document ${documentIndex + 1}${itemPath ? `, ${itemPath}` : ''}: ${detail}`);
    };
    if (mayHaveAliases) {
      const added = aliasExpansion(document, (detail) => fail(undefined, '', detail));
      if (added > MAX_ALIAS_EXPANSION) {
        fail(undefined, '', `YAML aliases expand the document by ${added} nodes, more than ${MAX_ALIAS_EXPANSION} (an alias bomb?)`);
      }
    }
    // kubectl decodes any object with `items` as a list: `items: null` (or []) applies nothing.
    if (!validateObject(document, (itemPath, fieldPath, detail) => fail(itemPath, fieldPath, detail), undefined)) return;
    entries.push({ object: document as KubeObject, source: { file, documentIndex, documentCount: documents.length } });
  });
  return entries;
}

/**
 * The text as kubectl reads it: BOMs at document starts dropped; unicode line breaks outside
 * quoted scalars and merge keys that kubectl resolves differently refused (see `kubectl-yaml`).
 */
function kubectlText(text: string, file: string): string {
  try {
    const decoded = dropDocumentBoms(text);
    refuseUnicodeLineBreaks(decoded);
    refuseConflictingMerges(decoded, plainScalarKey);
    return decoded;
  } catch (error) {
    if (error instanceof DecodeRefusal) throw new InputError(file, lineOfOffset(text, error.offset), error.detail);
    throw error;
  }
}

/**
 * Checks one document (or one item of a list) the way kubectl decodes it, and returns whether it
 * holds any object to apply. A document with an `items` key is a list whatever its kind (kubectl
 * applies the items and drops the list; `items: null` applies nothing); an item that is itself a
 * list (an `items` array) is refused, as kubectl refuses it.
 */
function validateObject(
  value: unknown,
  fail: (itemPath: string | undefined, fieldPath: string, detail: string) => never,
  itemPath: string | undefined,
): boolean {
  const object = asRecord(value);
  if (!object) fail(itemPath, '', `is ${describe(value)}, not a mapping (a Kubernetes object)`);
  const required = (field: string, present: unknown) => {
    if (typeof present !== 'string' || present.trim() === '') {
      fail(itemPath, field, `${field} is ${present === undefined ? 'missing' : `${JSON.stringify(present)}, not a non-empty string`}`);
    }
  };
  required('kind', object!.kind);
  required('apiVersion', object!.apiVersion);
  const kind = object!.kind as string;
  if (itemPath === undefined && 'items' in object!) {
    const items = object!.items;
    if (items === null) return false;
    if (!Array.isArray(items)) fail(itemPath, 'items', `items of a ${kind} is ${describe(items)}, not a list (kubectl reads any object with items as a list)`);
    const list = items as unknown[];
    for (let index = 0; index < list.length; index++) {
      const item = list[index];
      const at = `items[${index}]`;
      if (Array.isArray(asRecord(item)?.items)) {
        fail(at, 'items', 'is a list inside a list, which kubectl refuses to apply: put its items in the outer list');
      }
      validateObject(item, fail, at);
    }
    return list.length > 0;
  }
  const metadata = object!.metadata;
  if (metadata !== undefined && !asRecord(metadata)) fail(itemPath, 'metadata', `metadata is ${describe(metadata)}, not a mapping`);
  // node configuration files (kubelet, kubeadm, encryption, audit...) are not API objects and carry no name.
  if (!isNodeConfig(object!)) required('metadata.name', asRecord(metadata)?.name);
  return true;
}

/** a short reason for a file system error. */
function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'too many levels of symbolic links';
    default: return error instanceof Error ? error.message : String(error);
  }
}

function isManifestFile(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * Files under a directory with a manifest extension, recursively, sorted by path. Hidden files and
 * directories are read, as `kubectl apply -f DIR -R` reads them (a `.evil.yaml` is applied, so it
 * is checked); only `.git` directories, which hold no manifests, are skipped. Symbolic links are
 * followed once per real directory.
 */
/** the one directory name never walked: git's own store. */
const GIT_DIRECTORY = '.git';

function walk(directory: string, seen: Set<string>, files: string[] = []): string[] {
  let real: string;
  let names: fs.Dirent[];
  try {
    real = fs.realpathSync(directory);
    if (seen.has(real)) return [];
    seen.add(real);
    names = fs.readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    throw new InputError(directory, undefined, `cannot read directory: ${reasonOf(error)}`);
  }
  for (const entry of names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const child = path.join(directory, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const stat = fs.statSync(child);
        isDirectory = stat.isDirectory();
        isFile = stat.isFile();
      } catch (error) {
        throw new InputError(child, undefined, `cannot read: ${reasonOf(error)}`);
      }
    }
    if (isDirectory) {
      if (entry.name !== GIT_DIRECTORY) walk(child, seen, files);
    } else if (isFile && isManifestFile(entry.name)) {files.push(child);}
  }
  return files;
}

/** how much input one check reads. */
export interface InputLimits {
  /** bytes one file (or standard input) may hold. @default DEFAULT_MAX_FILE_SIZE */
  readonly maxFileSize?: number;
  /** bytes all inputs together may hold. @default DEFAULT_MAX_TOTAL_SIZE */
  readonly maxTotalSize?: number;
}

/** 64 MiB: far above any manifest file, far below what exhausts memory once parsed. */
export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
/** 256 MiB over all inputs. */
export const DEFAULT_MAX_TOTAL_SIZE = 256 * 1024 * 1024;

function mebibytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** the error for input over a limit. */
export function tooLarge(file: string, limit: number, total: boolean): InputError {
  return new InputError(file, undefined, total
    ? `the inputs together exceed --max-total-size (${mebibytes(limit)}): check fewer files at once or raise the limit`
    : `larger than --max-file-size (${mebibytes(limit)}): split the file or raise the limit`);
}

/** read regular files in chunks of at most 16 MiB, and devices and FIFOs in 64 KiB. */
const MAX_CHUNK = 16 * 1024 * 1024;
const STREAM_CHUNK = 64 * 1024;

/**
 * Reads a file, never more than `limit` bytes: the size is checked on `stat` before reading, and
 * again while reading, since devices and FIFOs (`/dev/zero`) report no size.
 */
function readFile(file: string, limit: number, onLimit: () => InputError): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new InputError(file, undefined, `cannot read: ${reasonOf(error)}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isFile() && stat.size > limit) throw onLimit();
    const chunks: Buffer[] = [];
    let total = 0;
    const chunkSize = stat.isFile() ? Math.min(stat.size + 1, limit + 1, MAX_CHUNK) : STREAM_CHUNK;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(chunkSize, limit + 1 - total));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > limit) throw onLimit();
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(file, undefined, `cannot read: ${reasonOf(error)}`);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads manifests from files, directories (recursively) and `-` (standard input), in the order
 * given. Each path named explicitly must yield at least one object; a file found inside a
 * directory may be empty. Throws `InputError` on the first bad input. Never writes anything.
 */
export async function loadInputs(paths: readonly string[], source: InputSource, limits: InputLimits = {}): Promise<LoadedInput> {
  const maxFileSize = limits.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const maxTotalSize = limits.maxTotalSize ?? DEFAULT_MAX_TOTAL_SIZE;
  let totalSize = 0;
  /** the most the next input may hold: its own limit, or what is left of the total. */
  const budget = () => Math.min(maxFileSize, maxTotalSize - totalSize);
  const overBudget = (file: string) => () => {
    const total = maxFileSize > maxTotalSize - totalSize;
    return tooLarge(file, total ? maxTotalSize : maxFileSize, total);
  };
  if (paths.length === 0) throw new InputError(STDIN_NAME, undefined, 'empty input: give files, directories or - for standard input');
  const entries: ManifestEntry[] = [];
  const texts = new Map<string, string>();
  const skippedFiles: SkippedFile[] = [];
  const positions = new Map<string, StreamPositions>();
  /** objects per file read, by real path, so a file named twice (or also found in a directory) is read once. */
  const counts = new Map<string, number>();
  const read = (file: string, key: string, load: () => Buffer): number => {
    const known = counts.get(key);
    if (known !== undefined) return known;
    const buffer = load();
    totalSize += buffer.length;
    const text = decodeText(buffer, file);
    if (file.endsWith('.json') && isConstructMetadata(text)) {
      skippedFiles.push({ file, reason: CONSTRUCT_METADATA_REASON });
      counts.set(key, 0);
      return 0;
    }
    texts.set(file, text);
    const filePositions = new StreamPositions();
    const found = parseManifests(text, file, filePositions);
    if (filePositions.jsonItems || filePositions.documents.some((document) => document !== undefined)) positions.set(file, filePositions);
    for (const entry of found) entries.push(entry);
    counts.set(key, found.length);
    return found.length;
  };
  const readPath = (file: string) => read(file, realPath(file), () => readFile(file, budget(), overBudget(file)));
  for (const given of paths) {
    if (given === '-') {
      const limit = budget();
      const input = await (counts.has(STDIN_NAME) ? Promise.resolve('') : source.readStdin(limit));
      const buffer = Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8');
      if (buffer.length > limit) throw overBudget(STDIN_NAME)();
      if (read(STDIN_NAME, STDIN_NAME, () => buffer) === 0) {
        throw new InputError(STDIN_NAME, undefined, 'empty input: no Kubernetes objects on standard input');
      }
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (error) {
      throw new InputError(given, undefined, `cannot read: ${reasonOf(error)}`);
    }
    if (stat.isDirectory()) {
      const files = walk(given, new Set());
      if (files.length === 0) throw new InputError(given, undefined, `empty input: no ${MANIFEST_EXTENSIONS.join(', ')} files in the directory`);
      let found = 0;
      for (const file of files) found += readPath(file);
      if (found === 0) throw new InputError(given, undefined, 'empty input: no Kubernetes objects in the directory');
    } else if (readPath(given) === 0) {
      throw new InputError(given, undefined, 'empty input: no Kubernetes objects in the file');
    }
  }
  return { entries, texts, skippedFiles, positions };
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
