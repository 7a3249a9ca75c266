import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ProcessReport } from './workers/process-report';

/** where the harness writes: compiled workers, the corpus, raw outputs and the result JSON. */
export const RESULTS_DIR = path.join(__dirname, 'results');
/** the harness's own build of bench/ and src/, so children run plain JavaScript (no ts-node in their time or RSS). */
export const BUILD_DIR = path.join(RESULTS_DIR, 'build');
export const WORKERS_DIR = path.join(BUILD_DIR, 'bench', 'workers');
/** the CLI entry point of the same build, what `bin/cdk8s-hardened` runs from `lib/`. */
export const CLI_MAIN = path.join(BUILD_DIR, 'src', 'cli', 'main.js');
const PROCESS_REPORT_PRELOAD = path.join(WORKERS_DIR, 'process-report.js');

/** the machine a run was measured on. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average at the start and end of the run: a busy machine inflates every time. */
  readonly loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: [Math.round(os.loadavg()[0] * 100) / 100],
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values: measure at least one repetition');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** one child process run. */
export interface ProcessRun {
  /** wall time from spawn to exit, measured by the harness. */
  readonly wallMs: number;
  readonly exitCode: number | null;
  /** standard output, unless it went to a file. */
  readonly stdout: string;
  readonly stderr: string;
  /** peak RSS and loaded modules, when the run was asked to report them. */
  readonly report?: ProcessReport;
}

export interface RunOptions {
  /** write standard output to this file instead of collecting it. */
  readonly stdoutFile?: string;
  /** preload `process-report.js` and read back peak RSS and loaded modules. */
  readonly report?: boolean;
  /** exit codes that count as success. @default [0] */
  readonly okExitCodes?: number[];
}

let reportCounter = 0;

/** runs `node <args>` in a fresh process and times it from the outside. */
export function runNode(args: string[], options: RunOptions = {}): ProcessRun {
  const reportFile = options.report ? path.join(RESULTS_DIR, `process-report-${process.pid}-${reportCounter++}.json`) : undefined;
  const nodeArgs = reportFile ? ['--require', PROCESS_REPORT_PRELOAD, ...args] : args;
  const env = { ...process.env, ...(reportFile ? { BENCH_PROCESS_REPORT: reportFile } : {}) };
  const stdoutFd = options.stdoutFile ? fs.openSync(options.stdoutFile, 'w') : undefined;
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, nodeArgs, {
    env,
    stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
    maxBuffer: 256 * 2 ** 20,
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (stdoutFd !== undefined) fs.closeSync(stdoutFd);
  const ok = options.okExitCodes ?? [0];
  if (result.error || result.status === null || !ok.includes(result.status)) {
    throw new Error(`node ${args.join(' ')} exited with ${result.status ?? result.signal ?? result.error?.message}: ${(result.stderr ?? '').slice(0, 2000)}`);
  }
  let report: ProcessReport | undefined;
  if (reportFile) {
    report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ProcessReport;
    fs.rmSync(reportFile);
  }
  return { wallMs, exitCode: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', report };
}

/**
 * Runs every subject once per repetition, interleaved (a, b, c, a, b, c, ...), so a change in
 * machine load hits baseline and subject alike.
 */
export function interleave<S extends Record<string, () => unknown>>(repetitions: number, subjects: S): { [K in keyof S]: Array<ReturnType<S[K]>> } {
  const results: Record<string, unknown[]> = {};
  for (const name of Object.keys(subjects)) results[name] = [];
  for (let r = 0; r < repetitions; r++) {
    for (const [name, subject] of Object.entries(subjects)) results[name].push(subject());
  }
  return results as { [K in keyof S]: Array<ReturnType<S[K]>> };
}
