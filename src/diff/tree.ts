import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SkippedFile } from '../checker/engine';
import { InputError, InputLimits, InputSource, loadInputs } from '../checker/input';
import type { ManifestEntry } from '../checker/types';

/** the prefix that names a git revision's tree instead of a path: `git:origin/main:dist`. */
export const GIT_PREFIX = 'git:';

/** one side of a diff, read. */
export interface ManifestTree {
  /** as the user named it. */
  readonly label: string;
  readonly entries: ManifestEntry[];
  /** file texts by the file name reports use, for line recovery. */
  readonly texts: ReadonlyMap<string, string>;
  readonly skippedFiles: readonly SkippedFile[];
}

/** `git:<revision>[:<path>]` split; the path defaults to `dist`, where `npm run synth` writes. */
export function parseGitSpec(spec: string): { revision: string; path: string } | undefined {
  if (!spec.startsWith(GIT_PREFIX)) return undefined;
  const rest = spec.slice(GIT_PREFIX.length);
  const colon = rest.indexOf(':');
  const revision = colon < 0 ? rest : rest.slice(0, colon);
  const treePath = colon < 0 ? 'dist' : rest.slice(colon + 1).replace(/^\/+|\/+$/g, '') || '.';
  if (revision === '' || revision.startsWith('-')) throw new InputError(spec, undefined, 'name a revision: git:<revision>[:<path>], e.g. git:origin/main:dist');
  return { revision, path: treePath };
}

/**
 * Extracts `path` at `revision` of the repository around `cwd` into a fresh temporary directory
 * with `git archive | tar -x`: the work tree, the index and the refs are never touched.
 */
function extractRevision(spec: string, revision: string, treePath: string, cwd: string): { directory: string; cleanup: () => void } {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-diff-'));
  const cleanup = () => fs.rmSync(directory, { recursive: true, force: true });
  const archive = spawnSync('git', ['archive', '--format=tar', revision, '--', treePath], { cwd, maxBuffer: 1024 ** 3 });
  if (archive.error || archive.status !== 0) {
    cleanup();
    const detail = archive.error?.message ?? archive.stderr.toString().trim().split('\n')[0];
    throw new InputError(spec, undefined, `cannot read ${treePath} at ${revision} with git archive: ${detail}`);
  }
  const untar = spawnSync('tar', ['-x', '-C', directory], { input: archive.stdout });
  if (untar.error || untar.status !== 0) {
    cleanup();
    throw new InputError(spec, undefined, `cannot unpack ${treePath} at ${revision}: ${untar.error?.message ?? untar.stderr.toString().trim()}`);
  }
  return { directory, cleanup };
}

/**
 * Reads one side of a diff: a file, a directory (recursively), or `git:<revision>[:<path>]`.
 * Files from a revision are reported as `<revision>:<path>`.
 */
export async function loadTree(spec: string, source: InputSource, limits: InputLimits, cwd: string): Promise<ManifestTree> {
  const git = parseGitSpec(spec);
  if (!git) {
    const input = await loadInputs([spec], source, limits);
    return { label: spec, entries: input.entries, texts: input.texts, skippedFiles: input.skippedFiles };
  }
  const { directory, cleanup } = extractRevision(spec, git.revision, git.path, cwd);
  try {
    const rename = (file: string) => `${git.revision}:${path.relative(directory, file).split(path.sep).join('/')}`;
    let input;
    try {
      input = await loadInputs([path.join(directory, git.path)], source, limits);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.file.startsWith(directory) ? rename(error.file) : spec, error.line, error.detail);
      throw error;
    }
    const entries = input.entries.map((entry) => ({
      ...entry,
      source: { ...entry.source, ...(entry.source.file ? { file: rename(entry.source.file) } : {}) },
    }));
    const texts = new Map([...input.texts].map(([file, content]) => [rename(file), content]));
    return { label: spec, entries, texts, skippedFiles: input.skippedFiles.map((skipped) => ({ ...skipped, file: rename(skipped.file) })) };
  } finally {
    cleanup();
  }
}
