/**
 * Preloaded with `node --require` into a measured process: when `BENCH_PROCESS_REPORT` names a
 * file, writes the process's peak RSS and every module it loaded there on exit. This is how the
 * harness reads the CLI's memory and checks which packages the check path loads, without
 * touching the CLI.
 */
import * as fs from 'fs';

/** what a measured process reports about itself. */
export interface ProcessReport {
  readonly maxRssKb: number;
  /** CPU time of the whole process (user + system, every thread: GC helpers included), for machines too loaded for wall time. */
  readonly cpuMs: number;
  /** absolute paths of the CommonJS modules in `require.cache` at exit. */
  readonly modules: string[];
}

const target = process.env.BENCH_PROCESS_REPORT;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    const report: ProcessReport = { maxRssKb: usage.maxRSS, cpuMs, modules: Object.keys(require.cache).sort() };
    fs.writeFileSync(target, JSON.stringify(report));
  });
}
