/**
 * The checker's baseline: `node parse-worker.js <dir>` reads every manifest file under `dir`
 * (recursively, sorted, `.yaml`/`.yml`/`.json` like the CLI) and parses it with js-yaml 4's
 * `loadAll`, and nothing else. Prints one JSON line with the object count (documents, and the
 * items of a document that is a list, as kubectl counts them) and the time spent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { loadAll } from 'js-yaml';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** manifest files under `dir`, sorted by path. */
export function manifestFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...manifestFiles(full));
    else if (entry.isFile() && EXTENSIONS.includes(path.extname(entry.name))) files.push(full);
  }
  return files;
}

function main(): void {
  const dir = process.argv[2];
  if (!dir) throw new Error('directory is missing: pass the corpus directory, e.g. node parse-worker.js bench/results/corpus/20000');
  const start = performance.now();
  let documents = 0;
  for (const file of manifestFiles(dir)) {
    for (const doc of loadAll(fs.readFileSync(file, 'utf8'))) {
      if (doc === null || doc === undefined) continue;
      const items = (doc as { items?: unknown }).items;
      documents += Array.isArray(items) ? items.length : 1;
    }
  }
  const parseMs = performance.now() - start;
  process.stdout.write(`${JSON.stringify({ documents, parseMs })}\n`);
}

if (require.main === module) main();
