/**
 * `npm run bench [-- --quick] [-- --reps N] [-- --strict]`: measures the performance goals of
 * issue 5, each against its baseline in the same run, in fresh child processes, and writes
 * `bench/results/bench.json`. Never part of `npm test`.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { dump, load, loadAll } from 'js-yaml';
import { prepareCorpora, prepareShapeCorpus } from './corpus';
import { BUILD_DIR, CLI_MAIN, MachineInfo, RESULTS_DIR, WORKERS_DIR, interleave, machineInfo, median, runNode } from './measure';
import type { CheckStage } from './workers/check-stages';
import { CORPUS_SHAPES, CorpusShape, SHAPE_TARGETS } from './workers/corpus-shape';
import type { SynthLayout } from './workers/synth-apps';
import type { SynthSample, SynthVariant } from './workers/synth-worker';

/** one goal of the issue, with the measured ratio. */
interface GoalResult {
  readonly id: string;
  readonly title: string;
  readonly ratio: number;
  readonly limit: number;
  readonly pass: boolean;
  readonly detail: string;
}

const PARTS = ['synth', 'checker', 'cold-start'] as const;
type Part = typeof PARTS[number];

interface Options {
  readonly quick: boolean;
  readonly reps?: number;
  readonly strict: boolean;
  readonly only?: Part[];
  readonly recordFindings: boolean;
}

const THROUGHPUT_SIZE = 20_000;
const SCALING_SIZES = [10_000, 20_000, 40_000];
const MEMORY_LIMIT_MB = 512;
const SYNTH_WORKLOADS = 1000;
/** many charts: hardened namespaces, each with 3 workloads and 2 flows, at these counts. */
const MANY_CHARTS_NAMESPACES = [50, 100, 200];
const MANY_CHARTS_PER_NAMESPACE = 3;
const MANY_CHARTS_TIME_LIMIT = 1.25;
const MANY_CHARTS_SCALING_LIMIT = 2.2;
const FORBIDDEN_ON_CHECK_PATH = ['cdk8s', 'cdk8s-plus-28', 'constructs'];
const CHECKER_LIMIT = 1.5;
const COLD_START_LIMIT = 3;
/** the findings each corpus gave when recorded, by the corpus's content hash: an optimisation must give the same. */
const FINDINGS_FILE = path.join(__dirname, 'findings.json');

const lines: string[] = [];
function log(line = ''): void {
  lines.push(line);
  process.stdout.write(`${line}\n`);
}

const fmt = (value: number, digits = 2): string => value.toFixed(digits);
const mb = (kb: number): number => kb / 1024;

function goal(id: string, title: string, ratio: number, limit: number, detail: string): GoalResult {
  const result = { id, title, ratio, limit, pass: ratio <= limit, detail };
  log(`${result.pass ? 'PASS' : 'FAIL'}  ${title}: ${fmt(ratio, 3)}x (goal <= ${limit}x)  ${detail}`);
  return result;
}

function compile(): void {
  const tsc = require.resolve('typescript/bin/tsc');
  const started = Date.now();
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'tsconfig.json')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`compiling bench/ failed:\n${result.stdout}${result.stderr}`);
  log(`compiled bench/ and the library to ${path.relative(process.cwd(), BUILD_DIR)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function synthRun(variant: SynthVariant, workloads: number, layout: SynthLayout, perNamespace?: number, internetEvery?: number): SynthSample {
  const shape = perNamespace === undefined ? [] : [String(perNamespace), String(internetEvery ?? 0)];
  const run = runNode([path.join(WORKERS_DIR, 'synth-worker.js'), variant, String(workloads), layout, ...shape]);
  return JSON.parse(run.stdout) as SynthSample;
}

/** `namespaces` hardened namespaces of 3 workloads and 2 workload flows each (no internet egress), in `layout`. */
function manyChartsRun(namespaces: number, layout: SynthLayout): SynthSample {
  return synthRun('hardened', namespaces * MANY_CHARTS_PER_NAMESPACE, layout, MANY_CHARTS_PER_NAMESPACE, 0);
}

interface SynthSummary {
  readonly objects: number;
  readonly totalMs: number;
  readonly cpuMs: number;
  readonly constructMs: number;
  readonly synthYamlMs: number;
  readonly maxRssKb: number;
  readonly loadedRssKb: number;
  readonly msPerObject: number;
  readonly rssKbPerObject: number;
  readonly samples: SynthSample[];
}

function summarizeSynth(samples: SynthSample[]): SynthSummary {
  const objects = samples[0].objects;
  const totalMs = median(samples.map((s) => s.totalMs));
  const maxRssKb = median(samples.map((s) => s.maxRssKb));
  return {
    objects,
    totalMs,
    cpuMs: median(samples.map((s) => s.cpuMs)),
    constructMs: median(samples.map((s) => s.constructMs)),
    synthYamlMs: median(samples.map((s) => s.synthYamlMs)),
    maxRssKb,
    loadedRssKb: median(samples.map((s) => s.loadedRssKb)),
    msPerObject: totalMs / objects,
    rssKbPerObject: maxRssKb / objects,
    samples,
  };
}

function describeSynth(name: string, s: SynthSummary): string {
  return `${name}: ${s.objects} objects, ${fmt(s.totalMs, 0)} ms (construct ${fmt(s.constructMs, 0)} + synthYaml ${fmt(s.synthYamlMs, 0)}; CPU ${fmt(s.cpuMs, 0)} ms), `
    + `${fmt(s.msPerObject, 3)} ms/object, peak RSS ${fmt(mb(s.maxRssKb), 1)} MB (${fmt(s.rssKbPerObject, 1)} KB/object; ${fmt(mb(s.loadedRssKb), 1)} MB after module load)`;
}

interface CheckRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
  readonly findings: number;
  readonly findingsWithLine: number;
  readonly objects: number;
  /** distinct objects (file, kind, namespace, name) with at least one finding. */
  readonly objectsWithFindings: number;
  /** sha256 of the report's findings as JSON (`findingsDigest`): equal digests, equal findings (lines, order and text included). */
  readonly findingsDigest: string;
}

interface ReportedFinding {
  readonly file: string | null;
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly line: number | null;
}

function cliCheck(dir: string, outputFile: string): CheckRun {
  const run = runNode([CLI_MAIN, 'check', '--format', 'json', dir], { stdoutFile: outputFile, report: true, okExitCodes: [0, 1] });
  const report = JSON.parse(fs.readFileSync(outputFile, 'utf8')) as { findings: ReportedFinding[]; summary: { objects: number } };
  const flagged = new Set(report.findings.map((finding) => `${finding.file}\u0000${finding.kind}\u0000${finding.namespace}\u0000${finding.name}`));
  return {
    wallMs: run.wallMs,
    cpuMs: run.report!.cpuMs,
    maxRssKb: run.report!.maxRssKb,
    findings: report.findings.length,
    findingsWithLine: report.findings.filter((finding) => typeof finding.line === 'number').length,
    objects: report.summary.objects,
    objectsWithFindings: flagged.size,
    findingsDigest: findingsDigest(report.findings, dir),
  };
}

/**
 * sha256 of a report's findings as JSON, with file names relative to the corpus directory, so the
 * digest does not depend on where the repository is checked out.
 */
function findingsDigest(findings: readonly ReportedFinding[], dir: string): string {
  const relative = findings.map((finding) => ({ ...finding, file: finding.file === null ? null : path.relative(dir, finding.file) }));
  return createHash('sha256').update(JSON.stringify(relative)).digest('hex');
}

/** sha256 over the names and bytes of a corpus's files, so recorded findings are only compared with the same input. */
function corpusHash(dir: string): string {
  const hash = createHash('sha256');
  for (const file of manifestFilesUnder(dir)) hash.update(path.relative(dir, file)).update('\u0000').update(fs.readFileSync(file)).update('\u0000');
  return hash.digest('hex');
}

interface ParseRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
  readonly documents: number;
}

function parseOnly(dir: string): ParseRun {
  const run = runNode([path.join(WORKERS_DIR, 'parse-worker.js'), dir], { report: true });
  const { documents } = JSON.parse(run.stdout) as { documents: number };
  return { wallMs: run.wallMs, cpuMs: run.report!.cpuMs, maxRssKb: run.report!.maxRssKb, documents };
}

/** the packages (by their node_modules directory) among `modules`. */
function packagesOf(modules: readonly string[]): string[] {
  const packages = new Set<string>();
  for (const module of modules) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(module);
    if (match) packages.add(match[1]);
  }
  return [...packages].sort();
}

/** what every series needs: repetitions, and where goals and figures go. */
interface RunState {
  readonly reps: number;
  readonly checkReps: number;
  readonly coldReps: number;
  readonly goals: GoalResult[];
  readonly figures: Record<string, unknown>;
}

/** the checker series: the parse-only baseline and every corpus size, interleaved. */
interface CheckerSeries {
  readonly checks: { parse: Array<ReturnType<typeof parseOnly>> } & Record<string, CheckRun[]>;
  readonly scaling: Record<number, CheckRun[]>;
  readonly parseMs: number;
  readonly checkMs: number;
}

/** goals 1 and 2, and synth with many charts. */
function measureSynth(state: RunState): void {
  // 1 + 2: synth overhead and guard overhead, in one interleaved series
  log();
  log(`1/2. synth: ${SYNTH_WORKLOADS} workloads, one chart, 20 workloads per namespace (construct + app.synthYaml(), in memory)`);
  const synth = interleave(state.reps, {
    plain: () => synthRun('plain', SYNTH_WORKLOADS, 'single-chart'),
    hardened: () => synthRun('hardened', SYNTH_WORKLOADS, 'single-chart'),
    guarded: () => synthRun('hardened-guard', SYNTH_WORKLOADS, 'single-chart'),
  });
  const plain = summarizeSynth(synth.plain);
  const hardened = summarizeSynth(synth.hardened);
  const guarded = summarizeSynth(synth.guarded);
  log(`  ${describeSynth('plain cdk8s-plus-28', plain)}`);
  log(`  ${describeSynth('hardened', hardened)}`);
  log(`  ${describeSynth('hardened + Guard', guarded)}`);
  state.goals.push(goal('synth-time-per-object', 'synth time per object, hardened vs plain', hardened.msPerObject / plain.msPerObject, 1.25,
    `(totals: ${fmt(hardened.totalMs, 0)} ms vs ${fmt(plain.totalMs, 0)} ms = ${fmt(hardened.totalMs / plain.totalMs)}x)`));
  state.goals.push(goal('synth-rss-per-object', 'synth peak RSS per object, hardened vs plain', hardened.rssKbPerObject / plain.rssKbPerObject, 1.5,
    `(totals: ${fmt(mb(hardened.maxRssKb), 1)} MB vs ${fmt(mb(plain.maxRssKb), 1)} MB = ${fmt(hardened.maxRssKb / plain.maxRssKb)}x; `
    + `above module load: ${fmt(mb(hardened.maxRssKb - hardened.loadedRssKb), 1)} MB vs ${fmt(mb(plain.maxRssKb - plain.loadedRssKb), 1)} MB = `
    + `${fmt(((hardened.maxRssKb - hardened.loadedRssKb) / hardened.objects) / ((plain.maxRssKb - plain.loadedRssKb) / plain.objects))}x per object)`));
  state.goals.push(goal('guard-overhead', 'synth time with the Guard on vs off', guarded.totalMs / hardened.totalMs, 1.25,
    `(${fmt(guarded.totalMs, 0)} ms vs ${fmt(hardened.totalMs, 0)} ms; peak RSS ${fmt(mb(guarded.maxRssKb), 1)} MB vs ${fmt(mb(hardened.maxRssKb), 1)} MB)`));
  state.figures.synth = { workloads: SYNTH_WORKLOADS, layout: 'single-chart', plain, hardened, guarded };

  measureManyCharts(state);
}

/**
 * Synth with many charts (issue 16): N hardened namespaces of 3 workloads and 2 flows each, laid out as
 * the README recommends (a NamespacesChart, then one chart per namespace, no chart dependencies)
 * against the same objects in 2 charts (the NamespacesChart and one for every workload), at 50, 100
 * and 200 namespaces. Goals at 200: time <= 1.25x the 2 charts, peak RSS <= 512 MB, and time 200 vs
 * 100 namespaces <= 2.2x. The layout the README used before (every namespace chart with
 * addDependency on the namespaces chart) runs once per size for information, not with --quick.
 */
function measureManyCharts(state: RunState): void {
  log();
  log(`1c. synth with many charts: N hardened namespaces x (${MANY_CHARTS_PER_NAMESPACE} workloads, 2 flows); `
    + 'one chart per namespace after a NamespacesChart (README layout) vs the same objects in 2 charts, no chart dependencies');
  const bySize: Record<number, { perNamespace: SynthSummary; twoCharts: SynthSummary; dependent?: SynthSummary }> = {};
  for (const namespaces of MANY_CHARTS_NAMESPACES) {
    const series = interleave(state.reps, {
      twoCharts: () => manyChartsRun(namespaces, 'two-charts'),
      perNamespace: () => manyChartsRun(namespaces, 'chart-per-namespace'),
    });
    const twoCharts = summarizeSynth(series.twoCharts);
    const perNamespace = summarizeSynth(series.perNamespace);
    log(`  ${namespaces} namespaces:`);
    log(`    ${describeSynth('2 charts', twoCharts)}`);
    log(`    ${describeSynth(`${perNamespace.samples[0].charts} charts`, perNamespace)}`);
    log(`    INFO  chart per namespace vs 2 charts: ${fmt(perNamespace.totalMs / twoCharts.totalMs)}x time (CPU ${fmt(perNamespace.cpuMs / twoCharts.cpuMs)}x), `
      + `${fmt(perNamespace.maxRssKb / twoCharts.maxRssKb)}x peak RSS`);
    bySize[namespaces] = { perNamespace, twoCharts };
  }
  if (state.reps > 2) {
    log('  the layout the README used before, every namespace chart with addDependency(namespaces) (one run each, information):');
    for (const namespaces of MANY_CHARTS_NAMESPACES) {
      const dependent = summarizeSynth([manyChartsRun(namespaces, 'chart-per-namespace-dependent')]);
      log(`    ${namespaces} namespaces: ${describeSynth('with chart dependencies', dependent)}; `
        + `${fmt(dependent.totalMs / bySize[namespaces].perNamespace.totalMs)}x the time without`);
      bySize[namespaces].dependent = dependent;
    }
  }
  const largest = MANY_CHARTS_NAMESPACES[MANY_CHARTS_NAMESPACES.length - 1];
  const half = MANY_CHARTS_NAMESPACES[MANY_CHARTS_NAMESPACES.length - 2];
  const big = bySize[largest];
  state.goals.push(goal('synth-many-charts-time', `synth time, ${largest} namespaces: chart per namespace vs 2 charts`,
    big.perNamespace.totalMs / big.twoCharts.totalMs, MANY_CHARTS_TIME_LIMIT,
    `(${fmt(big.perNamespace.totalMs, 0)} ms in ${big.perNamespace.samples[0].charts} charts vs ${fmt(big.twoCharts.totalMs, 0)} ms in 2; `
    + `CPU ${fmt(big.perNamespace.cpuMs / big.twoCharts.cpuMs)}x; ${big.perNamespace.objects} objects)`));
  state.goals.push(goal('synth-many-charts-rss', `synth peak RSS, ${largest} namespaces in one chart per namespace, vs ${MEMORY_LIMIT_MB} MB`,
    mb(big.perNamespace.maxRssKb) / MEMORY_LIMIT_MB, 1,
    `(${fmt(mb(big.perNamespace.maxRssKb), 1)} MB; 2 charts: ${fmt(mb(big.twoCharts.maxRssKb), 1)} MB)`));
  state.goals.push(goal('synth-many-charts-scaling', `synth time, chart per namespace, ${largest} vs ${half} namespaces`,
    big.perNamespace.totalMs / bySize[half].perNamespace.totalMs, MANY_CHARTS_SCALING_LIMIT,
    `(${MANY_CHARTS_NAMESPACES.map((n) => `${n}: ${fmt(bySize[n].perNamespace.totalMs, 0)} ms, ${fmt(bySize[n].perNamespace.msPerObject, 3)} ms/object`).join('; ')})`));
  state.figures.synthManyCharts = { perNamespace: MANY_CHARTS_PER_NAMESPACE, workloadFlows: 2, bySize };
}

interface RecordedFindings {
  readonly corpus: string;
  readonly objects: number;
  readonly findings: number;
  readonly objectsWithFindings: number;
  readonly digest: string;
}

/**
 * Goal 3 on every corpus shape (checker vs parse-only, findings per second, lines on every
 * finding, the same findings as recorded); its runs of the `today` shape also serve goals 4 and 6.
 */
async function measureChecker(state: RunState, corpora: Record<number, string>, options: Options): Promise<CheckerSeries> {
  const outputFile = path.join(RESULTS_DIR, 'check-output.json');
  const shapeDirs: Record<CorpusShape, string> = {
    today: corpora[THROUGHPUT_SIZE],
    quarter: await prepareShapeCorpus('quarter', THROUGHPUT_SIZE, (line) => log(`  ${line}`)),
    all: await prepareShapeCorpus('all', THROUGHPUT_SIZE, (line) => log(`  ${line}`)),
    json: await prepareShapeCorpus('json', THROUGHPUT_SIZE, (line) => log(`  ${line}`)),
    flow: await prepareShapeCorpus('flow', THROUGHPUT_SIZE, (line) => log(`  ${line}`)),
  };
  log(`3/4/6. checker: cdk8s-hardened check --format json over the ${CORPUS_SHAPES.join(', ')} shapes of ${THROUGHPUT_SIZE} objects and the today shape of `
    + `${SCALING_SIZES.filter((size) => size !== THROUGHPUT_SIZE).join(', ')}; js-yaml loadAll of each shape (whole processes, interleaved)`);
  const subjects: Record<string, () => unknown> = {};
  for (const shape of CORPUS_SHAPES) {
    subjects[`parse:${shape}`] = () => parseOnly(shapeDirs[shape]);
    subjects[`check:${shape}`] = () => cliCheck(shapeDirs[shape], outputFile);
  }
  for (const size of SCALING_SIZES) if (size !== THROUGHPUT_SIZE) subjects[String(size)] = () => cliCheck(corpora[size], outputFile);
  const runs = interleave(state.checkReps, subjects) as unknown as Record<string, unknown[]>;
  const parses = (shape: CorpusShape) => runs[`parse:${shape}`] as Array<ReturnType<typeof parseOnly>>;
  const checksOf = (shape: CorpusShape) => runs[`check:${shape}`] as CheckRun[];
  const scaling: Record<number, CheckRun[]> = Object.fromEntries(SCALING_SIZES.map((size) => [size, size === THROUGHPUT_SIZE ? checksOf('today') : runs[String(size)] as CheckRun[]]));
  for (const size of SCALING_SIZES) {
    if (scaling[size][0].objects !== size) {
      throw new Error(`corpus ${size} has ${scaling[size][0].objects} objects for the checker: delete bench/results/corpus and rerun`);
    }
  }

  const recorded: Record<string, RecordedFindings> = fs.existsSync(FINDINGS_FILE) ? JSON.parse(fs.readFileSync(FINDINGS_FILE, 'utf8')) as Record<string, RecordedFindings> : {};
  const record: Record<string, RecordedFindings> = {};
  const shapes: Record<string, unknown> = {};
  for (const shape of CORPUS_SHAPES) {
    const parse = parses(shape);
    const checks = checksOf(shape);
    if (parse[0].documents !== THROUGHPUT_SIZE || checks[0].objects !== THROUGHPUT_SIZE) {
      throw new Error(`the ${shape} corpus has ${parse[0].documents} documents for js-yaml and ${checks[0].objects} objects for the checker, not ${THROUGHPUT_SIZE}: delete bench/results/corpus and rerun`);
    }
    const digests = new Set(checks.map((run) => run.findingsDigest));
    if (digests.size !== 1) throw new Error(`the ${shape} corpus gave different findings on different runs: the checker is not deterministic`);
    const parseMs = median(parse.map((run) => run.wallMs));
    const checkMs = median(checks.map((run) => run.wallMs));
    // CPU time beside wall time: on a loaded machine wall time measures the queue as much as the work.
    const parseCpuMs = median(parse.map((run) => run.cpuMs));
    const checkCpuMs = median(checks.map((run) => run.cpuMs));
    const sample = checks[0];
    const share = sample.objectsWithFindings / sample.objects;
    const target = SHAPE_TARGETS[shape];
    const seconds = checkMs / 1000;
    log(`  ${shape}: ${sample.findings} findings on ${sample.objectsWithFindings} objects (${fmt(share * 100, 1)}% of documents${target === undefined ? '' : `, built for ${target * 100}%`}), `
      + `${sample.findingsWithLine} with a line; parse only ${fmt(parseMs, 0)} ms; check ${fmt(checkMs, 0)} ms = ${fmt(THROUGHPUT_SIZE / seconds, 0)} objects/s, ${fmt(sample.findings / seconds, 0)} findings/s`);
    if (target !== undefined && Math.abs(share - target) > 0.01) {
      throw new Error(`the ${shape} corpus has findings on ${fmt(share * 100, 1)}% of documents, not ${target * 100}%: the generator or the checker changed; see weakenTenant`);
    }
    state.goals.push(goal(`checker-vs-parse-${shape}`, `checker vs parse-only, ${shape} shape`, checkMs / parseMs, CHECKER_LIMIT,
      `(${fmt(checkMs, 0)} ms vs ${fmt(parseMs, 0)} ms; CPU ${fmt(checkCpuMs, 0)} ms vs ${fmt(parseCpuMs, 0)} ms = ${fmt(checkCpuMs / parseCpuMs)}x; `
      + `${fmt(THROUGHPUT_SIZE / seconds, 0)} objects/s, ${fmt(sample.findings / seconds, 0)} findings/s; lines on ${sample.findingsWithLine}/${sample.findings} findings)`));
    if (sample.findingsWithLine !== sample.findings) {
      state.goals.push(goal(`checker-lines-${shape}`, `findings without a line, ${shape} shape`, sample.findings - sample.findingsWithLine, 0, ''));
    }
    const corpus = corpusHash(shapeDirs[shape]);
    const entry: RecordedFindings = {
      corpus, objects: sample.objects, findings: sample.findings, objectsWithFindings: sample.objectsWithFindings, digest: sample.findingsDigest,
    };
    record[shape] = entry;
    const before = recorded[shape];
    if (before && before.corpus === corpus) {
      const same = before.digest === entry.digest;
      log(`${same ? 'PASS' : 'FAIL'}  findings on the ${shape} shape identical to those recorded in bench/findings.json: `
        + `${same ? `${entry.findings} findings` : `${entry.findings} findings now, ${before.findings} recorded (digest ${entry.digest.slice(0, 12)} vs ${before.digest.slice(0, 12)})`}`);
      state.goals.push({ id: `findings-unchanged-${shape}`, title: `findings unchanged, ${shape} shape`, ratio: same ? 0 : 1, limit: 0, pass: same, detail: `${entry.findings} vs ${before.findings}` });
    } else {
      log(`INFO  no findings recorded for this ${shape} corpus (the constructs or the generator changed): rerun with --record-findings after checking the report`);
    }
    shapes[shape] = {
      parseMs,
      checkMs,
      parseCpuMs,
      checkCpuMs,
      objectsPerSecond: THROUGHPUT_SIZE / seconds,
      findingsPerSecond: sample.findings / seconds,
      findings: sample.findings,
      objectsWithFindings: sample.objectsWithFindings,
      parseSamples: parse,
      checkSamples: checks,
    };
  }
  if (options.recordFindings) {
    fs.writeFileSync(FINDINGS_FILE, `${JSON.stringify(record, null, 2)}\n`);
    log(`  recorded the findings of every shape in ${path.relative(process.cwd(), FINDINGS_FILE)}`);
  }
  state.figures.checkerShapes = shapes;
  if (!options.quick) measureCheckerStages(state, shapeDirs, outputFile);
  const today = shapes.today as { parseMs: number; checkMs: number };
  return { checks: { parse: parses('today') } as CheckerSeries['checks'], scaling, parseMs: today.parseMs, checkMs: today.checkMs };
}

/**
 * Where the checker's time goes beyond parsing, on every shape (information, not a goal): the
 * checker stopped after reading the input as kubectl does, after the rules, after line recovery,
 * and the whole CLI run, each against the parse-only baseline, all interleaved. Not with --quick.
 */
function measureCheckerStages(state: RunState, shapeDirs: Record<CorpusShape, string>, outputFile: string): void {
  log('3b. where the checker\'s time goes: the checker stopped after each stage (whole processes, interleaved with parse-only and the whole check)');
  const stages: Record<string, unknown> = {};
  for (const shape of CORPUS_SHAPES) {
    const dir = shapeDirs[shape];
    const stage = (name: CheckStage) => () => runNode([path.join(WORKERS_DIR, 'check-stages.js'), dir, name]).wallMs;
    const runs = interleave(state.checkReps, {
      parse: () => parseOnly(dir).wallMs,
      read: stage('read'),
      rules: stage('rules'),
      lines: stage('lines'),
      check: () => cliCheck(dir, outputFile).wallMs,
    }) as Record<'parse' | CheckStage | 'check', number[]>;
    const medians = Object.fromEntries(Object.entries(runs).map(([name, samples]) => [name, median(samples)])) as Record<'parse' | CheckStage | 'check', number>;
    const times = (ms: number) => `${fmt(ms / medians.parse)}x`;
    log(`  ${shape}: parse only ${fmt(medians.parse, 0)} ms; read as kubectl does ${times(medians.read)}, + rules ${times(medians.rules)}, `
      + `+ lines ${times(medians.lines)}, + report (the whole check) ${times(medians.check)}`);
    stages[shape] = { ...medians, samples: runs };
  }
  state.figures.checkerStages = stages;
}

/** every manifest file under a corpus directory, sorted. */
function manifestFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return manifestFilesUnder(full);
      return /\.(?:ya?ml|json)$/.test(entry.name) ? [full] : [];
    });
}

/**
 * Goal 7: the same objects as one `kind: List` (the shape of `kubectl get -A -o yaml`) and as a
 * `---` stream check in comparable time: line recovery inside one huge document stays linear.
 */
function measureListVsStream(state: RunState, corpora: Record<number, string>): void {
  const objects: unknown[] = [];
  for (const file of manifestFilesUnder(corpora[THROUGHPUT_SIZE])) {
    for (const document of loadAll(fs.readFileSync(file, 'utf8'))) if (document) objects.push(document);
  }
  const streamFile = path.join(RESULTS_DIR, 'as-stream.yaml');
  const listFile = path.join(RESULTS_DIR, 'as-list.yaml');
  fs.writeFileSync(streamFile, objects.map((object) => `---\n${dump(object, { noRefs: true, lineWidth: -1 })}`).join(''));
  fs.writeFileSync(listFile, dump({ apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } }, { noRefs: true, lineWidth: -1 }));
  const outputFile = path.join(RESULTS_DIR, 'check-output.json');
  log(`7. ${objects.length} objects as one kind: List vs as a --- stream (cdk8s-hardened check --format json, interleaved)`);
  const runs = interleave(state.checkReps, { list: () => cliCheck(listFile, outputFile), stream: () => cliCheck(streamFile, outputFile) }) as Record<'list' | 'stream', CheckRun[]>;
  const listMs = median(runs.list.map((run) => run.wallMs));
  const streamMs = median(runs.stream.map((run) => run.wallMs));
  const sample = runs.list[0];
  if (sample.objects !== runs.stream[0].objects || sample.findings !== runs.stream[0].findings) {
    throw new Error(`the List and the stream disagree: ${sample.objects}/${sample.findings} vs ${runs.stream[0].objects}/${runs.stream[0].findings} objects/findings`);
  }
  state.goals.push(goal('list-vs-stream', `${objects.length / 1000}k objects as one List vs as a --- stream`, listMs / streamMs, 2,
    `(${fmt(listMs, 0)} ms vs ${fmt(streamMs, 0)} ms; ${sample.findings} findings, ${sample.findingsWithLine} with a line)`));
  state.figures.listVsStream = { objects: objects.length, listMs, streamMs, findings: sample.findings };
}

/** goal 5: cold start and the modules the check path loads; returns the one-object check time. */
function measureColdStart(state: RunState, corpora: Record<number, string>): number {
  // 5: cold start, measured before scaling so its figure can be subtracted there
  log();
  log(`5. cold start: check of a one-object file vs node -e 0 (${state.coldReps} repetitions)`);
  const oneObjectFile = path.join(RESULTS_DIR, 'one-object.yaml');
  const firstDeployment = fs.readFileSync(path.join(corpora[SCALING_SIZES[0]], 'tenant-0000.yaml'), 'utf8')
    .split(/^---$/m).find((doc) => /^kind: Deployment$/m.test(doc));
  if (!firstDeployment) throw new Error('the corpus has no Deployment: the generator changed; delete bench/results/corpus and rerun');
  fs.writeFileSync(oneObjectFile, `${firstDeployment.trim()}\n`);
  if (!(load(fs.readFileSync(oneObjectFile, 'utf8')) as { kind?: string })?.kind) throw new Error('one-object.yaml did not parse to an object');
  const cold = interleave(state.coldReps, {
    node: () => runNode(['-e', '0']).wallMs,
    check: () => runNode([CLI_MAIN, 'check', '--format', 'json', oneObjectFile], { okExitCodes: [0, 1] }).wallMs,
  });
  const nodeMs = median(cold.node);
  const coldMs = median(cold.check);
  const traced = runNode([CLI_MAIN, 'check', '--format', 'json', oneObjectFile], { report: true, okExitCodes: [0, 1] }).report!;
  const packages = packagesOf(traced.modules);
  const forbidden = packages.filter((name) => FORBIDDEN_ON_CHECK_PATH.includes(name));
  state.goals.push(goal('cold-start', 'cold start vs node -e 0', coldMs / nodeMs, COLD_START_LIMIT,
    `(${fmt(coldMs, 0)} ms vs ${fmt(nodeMs, 0)} ms; ${traced.modules.length} modules loaded, packages: ${packages.join(', ')}; peak RSS ${fmt(mb(traced.maxRssKb), 1)} MB)`));
  log(`${forbidden.length === 0 ? 'PASS' : 'FAIL'}  check path loads no cdk8s, cdk8s-plus-28 or constructs: ${forbidden.length === 0 ? 'none loaded' : `loaded ${forbidden.join(', ')}`} `
    + '(require.cache at exit, read by a --require preload in the CLI process)');
  state.goals.push({ id: 'cold-start-no-cdk8s', title: 'check path loads no cdk8s', ratio: forbidden.length, limit: 0, pass: forbidden.length === 0, detail: forbidden.join(', ') });
  state.figures.coldStart = { nodeMs, checkMs: coldMs, samples: cold, modules: traced.modules.length, packages, maxRssKb: traced.maxRssKb };

  return coldMs;
}

/** goals 4 and 6 from the checker series; scaling subtracts the cold start. */
function reportScaling(state: RunState, series: CheckerSeries, coldMs: number): void {
  const { checks, scaling, parseMs, checkMs } = series;
  log();
  log('4/6. scaling and memory (from the same runs)');
  const scalingMs: Record<number, number> = {};
  for (const size of SCALING_SIZES) {
    scalingMs[size] = median(scaling[size].map((run) => run.wallMs));
    const rss = Math.max(...scaling[size].map((run) => run.maxRssKb));
    log(`  ${size} objects: ${fmt(scalingMs[size], 0)} ms (${fmt(scalingMs[size] - coldMs, 0)} ms above cold start), `
      + `${fmt(size / (scalingMs[size] / 1000), 0)} objects/s, peak RSS ${fmt(mb(rss), 1)} MB, ${scaling[size][0].findings} findings`);
  }
  for (let i = 1; i < SCALING_SIZES.length; i++) {
    const [small, large] = [SCALING_SIZES[i - 1], SCALING_SIZES[i]];
    const marginal = (scalingMs[large] - coldMs) / (scalingMs[small] - coldMs);
    state.goals.push(goal(`scaling-${small}-${large}`, `time ${large / 1000}k vs ${small / 1000}k objects, above cold start`, marginal, 2.2,
      `(whole process ${fmt(scalingMs[large] / scalingMs[small])}x: ${fmt(scalingMs[large], 0)} ms vs ${fmt(scalingMs[small], 0)} ms)`));
  }
  const largest = SCALING_SIZES[SCALING_SIZES.length - 1];
  const peakKb = Math.max(...scaling[largest].map((run) => run.maxRssKb));
  state.goals.push(goal('memory-40k', `peak RSS checking ${largest / 1000}k objects vs ${MEMORY_LIMIT_MB} MB`, mb(peakKb) / MEMORY_LIMIT_MB, 1,
    `(${fmt(mb(peakKb), 1)} MB, the highest of ${state.checkReps} runs)`));
  state.figures.checker = { parseMs, checkMs, objectsPerSecond: THROUGHPUT_SIZE / (checkMs / 1000), parseSamples: checks.parse, scaling, scalingMs };
}

async function main(options: Options): Promise<void> {
  const reps = options.reps ?? (options.quick ? 2 : 5);
  const checkReps = reps;
  const coldReps = options.quick ? 5 : 15;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const started = Date.now();
  const machine: MachineInfo = machineInfo();
  log(`cdk8s-hardened benchmarks: ${reps} repetition(s) (${coldReps} for cold start), median reported${options.quick ? ' (--quick)' : ''}`);
  log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.platform}, load average ${machine.loadAverage[0]}`);
  compile();
  const goals: GoalResult[] = [];
  const figures: Record<string, unknown> = {};

  const state: RunState = { reps, checkReps, coldReps, goals, figures };
  const parts = new Set(options.only ?? PARTS);
  if (parts.has('synth')) measureSynth(state);
  if (parts.has('checker') || parts.has('cold-start')) {
    log();
    const corpora = await prepareCorpora(SCALING_SIZES, (line) => log(`  ${line}`));
    const series = parts.has('checker') ? await measureChecker(state, corpora, options) : undefined;
    if (parts.has('checker')) measureListVsStream(state, corpora);
    // the cold start runs whenever the checker does: scaling subtracts it
    const coldMs = measureColdStart(state, corpora);
    if (series) reportScaling(state, series, coldMs);
  }

  const end: MachineInfo = machineInfo();
  const seconds = (Date.now() - started) / 1000;
  log();
  log(`${goals.filter((g) => g.pass).length}/${goals.length} goals pass; ran ${fmt(seconds, 0)} s; load average ${machine.loadAverage[0]} -> ${end.loadAverage[0]}`);
  const resultFile = path.join(RESULTS_DIR, 'bench.json');
  fs.writeFileSync(resultFile, `${JSON.stringify({
    date: new Date().toISOString(),
    machine: { ...machine, loadAverage: [machine.loadAverage[0], end.loadAverage[0]] },
    repetitions: { synth: reps, checker: checkReps, coldStart: coldReps },
    quick: options.quick,
    parts: [...parts],
    seconds,
    goals,
    figures,
    log: lines,
  }, null, 2)}\n`);
  log(`results: ${path.relative(process.cwd(), resultFile)}`);
  if (options.strict && goals.some((g) => !g.pass)) process.exitCode = 1;
}

const cli = new Command('bench')
  .description('measure synth, guard, checker throughput, scaling, cold start and memory against their baselines')
  .option('--quick', 'fewer repetitions (2, and 5 for cold start)', false)
  .option('--reps <n>', 'repetitions per measurement (default 5, or 2 with --quick; cold start always 15, or 5 with --quick)', (value) => {
    const reps = Number(value);
    if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps is ${JSON.stringify(value)}: use a whole number of 1 or more`);
    return reps;
  })
  .option('--strict', 'exit 1 when a goal fails', false)
  .option('--record-findings', 'write the findings digest of every checker corpus to bench/findings.json (after checking the report by hand)', false)
  .option('--only <parts>', `comma-separated subset of ${PARTS.join(', ')} (checker includes cold-start, which scaling needs)`, (value) => {
    const parts = value.split(',').map((part) => part.trim());
    const unknown = parts.filter((part) => !(PARTS as readonly string[]).includes(part));
    if (unknown.length > 0) throw new Error(`--only has ${unknown.join(', ')}: use ${PARTS.join(', ')}`);
    return parts as Part[];
  })
  .action(async (options: Options) => main(options));

cli.parseAsync(process.argv).catch((error: Error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exitCode = 2;
});
