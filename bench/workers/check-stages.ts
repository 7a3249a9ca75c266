/**
 * Where `check --format json` spends its time beyond parsing: `node check-stages.js <dir> <stage>`
 * loads the CLI's modules and sets the CLI's V8 flags, then does the checker's work on a corpus up
 * to one stage and stops.
 *
 * - `read`: read, decode and parse every file as kubectl would, and validate the objects
 *   (`loadInputs`), keeping them all for the rules;
 * - `rules`: then run the hardened pack over every object, without line numbers;
 * - `lines`: the same with the line of every finding.
 *
 * The whole CLI run (report rendered and written) is the last stage. Prints nothing: the harness
 * times the process, as it times the parse-only baseline.
 */
import { setFlagsFromString } from 'v8';
import { checkManifests } from '../../src/checker/engine';
import { loadInputs } from '../../src/checker/input';
import { SourceLines } from '../../src/checker/source-lines';
// every module the CLI loads, as the CLI loads them.
import { CLI_V8_FLAGS } from '../../src/cli/main';

/** the stages a run can stop after. */
export const CHECK_STAGES = ['read', 'rules', 'lines'] as const;
export type CheckStage = typeof CHECK_STAGES[number];

async function main(): Promise<void> {
  const [dir, stage] = process.argv.slice(2);
  if (!dir || !(CHECK_STAGES as readonly string[]).includes(stage)) {
    throw new Error(`usage: node check-stages.js <dir> <${CHECK_STAGES.join('|')}>`);
  }
  // the V8 settings the CLI's bin entry sets, so each stage runs as the whole check does.
  setFlagsFromString(CLI_V8_FLAGS);
  const input = await loadInputs([dir], { readStdin: async () => '' });
  if (stage === 'read') return;
  const lines = stage === 'lines' ? new SourceLines(input.texts, input.positions) : undefined;
  const report = checkManifests(input.entries, lines ? { locate: (source, field) => lines.lineOf(source, field) } : {});
  if (report.summary.objects === 0) throw new Error(`no objects under ${dir}`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`check-stages: ${error.message}\n`);
    process.exitCode = 1;
  });
}
