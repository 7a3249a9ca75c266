import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BUILD_DIR, RESULTS_DIR, WORKERS_DIR } from './measure';
import { CorpusShape, OBJECTS_PER_TENANT, tenantFileName } from './workers/corpus-shape';

export const CORPUS_DIR = path.join(RESULTS_DIR, 'corpus');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(full);
      return entry.name.endsWith('.js') ? [full] : [];
    });
}

/** parts of the library the generator never loads: changing the checker keeps the corpus. */
const NOT_GENERATOR_INPUTS = [path.join(BUILD_DIR, 'src', 'checker'), path.join(BUILD_DIR, 'src', 'cli')];

/** a hash of the compiled generator and constructs: the corpus is rebuilt when either changes. */
function buildStamp(): string {
  const hash = createHash('sha256');
  const inputs = [...filesUnder(path.join(BUILD_DIR, 'src')), ...filesUnder(WORKERS_DIR)]
    .filter((file) => !NOT_GENERATOR_INPUTS.some((dir) => file.startsWith(dir + path.sep)));
  for (const file of inputs) {
    hash.update(path.relative(BUILD_DIR, file)).update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

function generate(dir: string, from: number, to: number, shape: CorpusShape = 'today'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(WORKERS_DIR, 'generate-corpus.js'), dir, String(from), String(to), shape], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generate-corpus ${from}..${to} exited with ${code}: ${stderr.slice(0, 2000)}`))));
  });
}

/**
 * Directories of exactly `size` objects each (one per size), made of the first size/250 tenant
 * files of one generated corpus, so every smaller corpus is a prefix of the larger ones.
 * Generated with two processes; reused while the library and generator are unchanged.
 */
export async function prepareCorpora(sizes: readonly number[], log: (line: string) => void): Promise<Record<number, string>> {
  const tenants = Math.max(...sizes.map((size) => {
    if (size % OBJECTS_PER_TENANT !== 0) throw new Error(`corpus size ${size} is not a multiple of ${OBJECTS_PER_TENANT}: pick sizes such as 10000`);
    return size / OBJECTS_PER_TENANT;
  }));
  const allDir = path.join(CORPUS_DIR, 'all');
  const stampFile = path.join(CORPUS_DIR, 'stamp.json');
  const stamp = buildStamp();
  const previous = fs.existsSync(stampFile) ? JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { stamp: string; tenants: number } : undefined;
  if (!previous || previous.stamp !== stamp || previous.tenants < tenants) {
    log(`generating ${tenants * OBJECTS_PER_TENANT} objects (${tenants} tenants) with the library ...`);
    const started = Date.now();
    fs.rmSync(CORPUS_DIR, { recursive: true, force: true });
    fs.mkdirSync(allDir, { recursive: true });
    const half = Math.ceil(tenants / 2);
    await Promise.all([generate(allDir, 0, half), generate(allDir, half, tenants)]);
    fs.writeFileSync(stampFile, JSON.stringify({ stamp, tenants }));
    log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const dirs: Record<number, string> = {};
  for (const size of sizes) {
    const dir = path.join(CORPUS_DIR, String(size));
    const count = size / OBJECTS_PER_TENANT;
    if (!fs.existsSync(dir) || fs.readdirSync(dir).length !== count) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      for (let t = 0; t < count; t++) fs.copyFileSync(path.join(allDir, tenantFileName(t)), path.join(dir, tenantFileName(t)));
    }
    dirs[size] = dir;
  }
  return dirs;
}

/**
 * A directory of `size` objects of a finding-heavier shape (`quarter`, `all`, `json`): the same tenants as
 * the `today` corpus of that size, weakened by the generator. Generated with two processes;
 * reused while the library and generator are unchanged.
 */
export async function prepareShapeCorpus(shape: Exclude<CorpusShape, 'today'>, size: number, log: (line: string) => void): Promise<string> {
  if (size % OBJECTS_PER_TENANT !== 0) throw new Error(`corpus size ${size} is not a multiple of ${OBJECTS_PER_TENANT}: pick sizes such as 10000`);
  const tenants = size / OBJECTS_PER_TENANT;
  const dir = path.join(CORPUS_DIR, `${shape}-${size}`);
  const stampFile = `${dir}.stamp.json`;
  const stamp = buildStamp();
  const previous = fs.existsSync(stampFile) ? JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { stamp: string } : undefined;
  const extension = path.extname(tenantFileName(0, shape));
  if (previous?.stamp !== stamp || !fs.existsSync(dir) || fs.readdirSync(dir).filter((name) => name.endsWith(extension)).length !== tenants) {
    log(`generating the ${shape} shape, ${size} objects (${tenants} tenants) ...`);
    const started = Date.now();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const half = Math.ceil(tenants / 2);
    await Promise.all([generate(dir, 0, half, shape), generate(dir, half, tenants, shape)]);
    fs.writeFileSync(stampFile, JSON.stringify({ stamp }));
    log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return dir;
}

/** the stamp of the compiled generator and constructs, which decides whether recorded findings still apply. */
export function corpusStamp(): string {
  return buildStamp();
}
