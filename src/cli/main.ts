import * as fs from 'fs';
import * as path from 'path';
import { setFlagsFromString } from 'v8';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { guardedWriter, unwritableOutput, WriteState } from './output';
import { writeFileAtomic } from './write-atomic';
import { checkManifests, failingFindings } from '../checker/engine';
import { DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_TOTAL_SIZE, InputError, loadInputs, STDIN_NAME } from '../checker/input';
import { DEFAULT_PACK, PACK_NAMES, PackName } from '../checker/packs';
import type { CustomPodSpecPath } from '../checker/pod-spec';
import { renderJsonChunks } from '../checker/report/json';
import { describeSummary, escapeControl, renderText } from '../checker/report/text';
import { SourceLines } from '../checker/source-lines';
import type { Severity } from '../checker/types';
import type { RenderMode } from '../diff/render';
import type { SecurityDiffResult } from '../diff/security-diff';
import type { ManifestTree } from '../diff/tree';
import { registryPrefixProblem } from '../model/image-policy';
import type { ProbeReportLine } from '../runtime/probe-report';

// `check` loads only what it runs: the diff, its renderers and the probe-report reader are
// required by the commands that use them (cold start of `check`).
/* eslint-disable @typescript-eslint/no-require-imports */
const diffRender = () => require('../diff/render') as typeof import('../diff/render');
const securityDiff = () => require('../diff/security-diff') as typeof import('../diff/security-diff');
const diffTree = () => require('../diff/tree') as typeof import('../diff/tree');
const probeReports = () => require('../runtime/probe-report') as typeof import('../runtime/probe-report');
/* eslint-enable @typescript-eslint/no-require-imports */

/** exit codes of `cdk8s-hardened`. */
export const ExitCode = {
  /** no unsuppressed finding at or above `--fail-on`. */
  CLEAN: 0,
  /** unsuppressed findings at or above `--fail-on`. */
  FINDINGS: 1,
  /** usage error, bad input, or an output that cannot be written: nothing was checked or reported. */
  USAGE_OR_INPUT: 2,
} as const;

/** where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  /** the day suppression expiry dates are compared with. @default - now */
  readonly now?: Date;
  /** true when standard input is a terminal: `check` without paths then prints usage instead of waiting. @default false */
  readonly stdinIsTTY?: boolean;
  /** the directory SARIF paths are relative to, unless `--sarif-root` says otherwise. @default - the git repository root above the working directory, else the working directory */
  readonly cwd?: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** all of standard input; a streaming source stops once more than `limit` bytes arrived. */
  readStdin(limit?: number): Promise<Buffer | string>;
}

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = typeof FORMATS[number];

interface CheckFlags {
  readonly pack: PackName;
  readonly format: Format;
  readonly failOn: Extract<Severity, 'error' | 'warning'>;
  readonly output?: string;
  readonly podSpecPath: CustomPodSpecPath[];
  readonly maxFileSize: number;
  readonly maxTotalSize: number;
  readonly sarifRoot?: string;
  readonly allowedRegistry: string[];
  readonly config?: string;
}

const TOOL_NAME = 'cdk8s-hardened';

function packageVersion(): string {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** how writes to the process's standard output went. */
const processWrites: WriteState = { closed: false };

function processIo(): CliIo {
  const stderr = (text: string) => {
    try {
      process.stderr.write(text);
    } catch {
      // nowhere left to report to.
    }
  };
  process.stderr.on('error', () => undefined);
  return {
    stdout: guardedWriter(process.stdout, processWrites, stderr, 'standard output'),
    stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    readStdin: async (limit = Infinity) => {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of process.stdin) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
        total += buffer.length;
        // stop reading as soon as the limit is passed: `/dev/zero` must not grow memory.
        chunks.push(buffer);
        if (total > limit) {
          process.stdin.destroy();
          break;
        }
      }
      return Buffer.concat(chunks);
    },
  };
}

/** `[group/]Kind=dotted.path` as given to `--pod-spec-path`. */
export function parsePodSpecPath(value: string, previous: CustomPodSpecPath[] = []): CustomPodSpecPath[] {
  const match = /^(?:([a-z0-9.-]+)\/)?([A-Za-z][A-Za-z0-9]*)=([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)$/.exec(value.trim());
  if (!match) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not Kind=dotted.path (or group/Kind=dotted.path), e.g. Rollout=spec.template.spec`);
  }
  return [...previous, { ...(match[1] ? { group: match[1] } : {}), kind: match[2], path: match[3] }];
}

/** one `--allowed-registry` prefix, checked as the constructs check theirs. */
export function parseAllowedRegistry(value: string, previous: string[] = []): string[] {
  const problem = registryPrefixProblem(value);
  if (problem) throw new InvalidArgumentError(`${JSON.stringify(value)} ${problem}`);
  return [...previous, value];
}

/** the image policy of `--config` and `--allowed-registry` together. */
function imagePolicyOf(flags: { readonly allowedRegistry: string[]; readonly config?: string }) {
  if (flags.config === undefined) {
    return flags.allowedRegistry.length === 0 ? undefined : { allowedRegistries: [...new Set(flags.allowedRegistry)].sort() };
  }
  // lazy: the YAML parser loads only when a configuration file is named (cold start).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadCheckerConfig, mergeImagePolicy } = require('../checker/config-file') as typeof import('../checker/config-file');
  return mergeImagePolicy(loadCheckerConfig(flags.config), flags.allowedRegistry);
}

/** a byte count: a whole number, optionally with K, M or G (powers of 1024). */
export function parseSize(value: string): number {
  const match = /^(\d+)([KMG]i?B?)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a size: give bytes, or a number with K, M or G`);
  const unit = (match[2] ?? '').charAt(0).toUpperCase();
  const size = Number(match[1]) * (unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1);
  if (!Number.isSafeInteger(size) || size <= 0) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a positive size`);
  return size;
}

/** the report's text, whole or in pieces to write one after another. */
function render(format: Format, report: ReturnType<typeof checkManifests>, sarifRoot: () => string): string | Iterable<string> {
  switch (format) {
    case 'json': return renderJsonChunks(report);
    case 'sarif': {
      // lazy: node-sarif-builder (and fs-extra) load only for SARIF output.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { renderSarif } = require('../checker/report/sarif') as typeof import('../checker/report/sarif');
      return renderSarif(report, { name: TOOL_NAME, version: packageVersion() }, { root: sarifRoot(), stdinName: STDIN_NAME });
    }
    default: return renderText(report);
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/** the repository root above `directory` (the nearest parent with `.git`), else `directory`. */
export function repositoryRoot(directory: string): string {
  for (let current = path.resolve(directory); ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return path.resolve(directory);
  }
}

async function check(paths: string[], flags: CheckFlags, io: CliIo): Promise<number> {
  if (flags.output !== undefined) {
    // refused before reading anything: a link, device, FIFO or directory is never replaced.
    const problem = unwritableOutput(flags.output);
    if (problem) throw new InputError(flags.output, undefined, `--output ${problem}`);
  }
  if (flags.maxFileSize > flags.maxTotalSize) {
    throw new InputError('--max-file-size', undefined, `is larger than --max-total-size (${flags.maxFileSize} > ${flags.maxTotalSize}): raise --max-total-size too`);
  }
  const imagePolicy = imagePolicyOf(flags);
  const input = await loadInputs(paths, io, { maxFileSize: flags.maxFileSize, maxTotalSize: flags.maxTotalSize });
  if (flags.output !== undefined && [...input.texts.keys()].some((file) => sameFile(file, flags.output!))) {
    throw new InputError(flags.output, undefined, '--output names one of the inputs; inputs are never overwritten');
  }
  const lines = new SourceLines(input.texts, input.positions);
  const report = checkManifests(input.entries, {
    pack: flags.pack,
    now: io.now,
    locate: (source, field) => lines.lineOf(source, field),
    skippedFiles: input.skippedFiles,
    podSpecPaths: flags.podSpecPath,
    imagePolicy,
  });
  const output = render(flags.format, report, () => flags.sarifRoot ?? repositoryRoot(io.cwd ?? process.cwd()));
  if (flags.output !== undefined) {
    try {
      writeFileAtomic(flags.output, output);
    } catch (error) {
      throw new InputError(flags.output, undefined, `cannot write the report: ${(error as Error).message}`);
    }
    io.stderr(`${TOOL_NAME}: wrote the ${flags.format} report to ${flags.output}: ${describeSummary(report.summary)}\n`);
  } else if (typeof output === 'string') {
    io.stdout(output);
  } else {
    for (const piece of output) io.stdout(piece);
  }
  return failingFindings(report, flags.failOn).length > 0 ? ExitCode.FINDINGS : ExitCode.CLEAN;
}

export const CIS_FORMATS = ['text', 'json', 'markdown'] as const;
export type CisFormat = typeof CIS_FORMATS[number];

interface CisFlags {
  readonly benchmark: string;
  readonly format: CisFormat;
  readonly output?: string;
}

/** `cis`: the benchmark's checks evaluated offline against a folder of node files (kubeadm config and the files it names). */
async function cisCommand(folder: string, flags: CisFlags, io: CliIo): Promise<number> {
  if (flags.output !== undefined) {
    const problem = unwritableOutput(flags.output);
    if (problem) throw new InputError(flags.output, undefined, `--output ${problem}`);
  }
  // loaded on demand: `check` never pays for the benchmark evaluator.
  const benchmark = await import('../benchmark');
  let report;
  try {
    report = benchmark.explainDeviations(benchmark.runBenchmark(flags.benchmark, benchmark.nodeViewFromFolder(folder)));
  } catch (error) {
    const message = (error as Error).message;
    const [file, ...rest] = message.split(': ');
    throw new InputError(file, undefined, rest.join(': ') || message);
  }
  const output = flags.format === 'json' ? benchmark.formatBenchmarkJson(report)
    : flags.format === 'markdown' ? benchmark.formatBenchmarkMarkdown(report) : benchmark.formatBenchmarkText(report);
  const failures = benchmark.automatedConfigFailures(report);
  if (flags.output !== undefined) {
    try {
      writeFileAtomic(flags.output, output);
    } catch (error) {
      throw new InputError(flags.output, undefined, `cannot write the report: ${(error as Error).message}`);
    }
    io.stderr(`${TOOL_NAME}: wrote the ${flags.format} ${report.benchmark} report to ${flags.output}: ${failures.length} automated check(s) failing\n`);
  } else {
    io.stdout(output);
  }
  return failures.length > 0 ? ExitCode.FINDINGS : ExitCode.CLEAN;
}

export const DIFF_FORMATS = ['markdown', 'json', 'sarif'] as const;
export type DiffFormat = typeof DIFF_FORMATS[number];

interface DiffFlags extends Omit<CheckFlags, 'format'> {
  readonly format: DiffFormat;
}

function renderDiff(format: DiffFormat, result: SecurityDiffResult, mode: RenderMode, headSpec: string, sarifRoot: () => string): string {
  const { renderDiffJson, renderDiffMarkdown } = diffRender();
  const { parseGitSpec } = diffTree();
  switch (format) {
    case 'json': return renderDiffJson(result.diff);
    case 'sarif': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { renderSarif } = require('../checker/report/sarif') as typeof import('../checker/report/sarif');
      // code scanning annotates the new findings; files read from a revision are named by their path in it.
      const git = parseGitSpec(headSpec);
      const findings = git ? result.newFindings.map((finding) => finding.file?.startsWith(`${git.revision}:`)
        ? { ...finding, file: finding.file.slice(git.revision.length + 1) } : finding) : result.newFindings;
      const tool = { name: TOOL_NAME, version: packageVersion() };
      return renderSarif({ findings, summary: result.headReport.summary }, tool, { root: sarifRoot(), stdinName: STDIN_NAME });
    }
    default: return renderDiffMarkdown(result.diff, mode);
  }
}

/** `diff BASE HEAD` (mode `diff`) or `report TREE` (mode `report`: the tree compared with nothing). */
async function diffCommand(baseSpec: string | undefined, headSpec: string, flags: DiffFlags, io: CliIo, mode: RenderMode): Promise<number> {
  if (flags.output !== undefined) {
    const problem = unwritableOutput(flags.output);
    if (problem) throw new InputError(flags.output, undefined, `--output ${problem}`);
  }
  if (flags.maxFileSize > flags.maxTotalSize) {
    throw new InputError('--max-file-size', undefined, `is larger than --max-total-size (${flags.maxFileSize} > ${flags.maxTotalSize}): raise --max-total-size too`);
  }
  const { loadTree } = diffTree();
  const { compareTrees, failingNewFindings } = securityDiff();
  const cwd = io.cwd ?? process.cwd();
  const imagePolicy = imagePolicyOf(flags);
  const limits = { maxFileSize: flags.maxFileSize, maxTotalSize: flags.maxTotalSize };
  const empty: ManifestTree = { label: '(nothing)', entries: [], texts: new Map(), skippedFiles: [] };
  const base = baseSpec === undefined ? empty : await loadTree(baseSpec, io, limits, cwd);
  const head = await loadTree(headSpec, io, limits, cwd);
  if (flags.output !== undefined && [...base.texts.keys(), ...head.texts.keys()].some((file) => sameFile(file, flags.output!))) {
    throw new InputError(flags.output, undefined, '--output names one of the inputs; inputs are never overwritten');
  }
  const baseLines = new SourceLines(base.texts);
  const headLines = new SourceLines(head.texts);
  const result = compareTrees(base, head, {
    pack: flags.pack,
    podSpecPaths: flags.podSpecPath,
    imagePolicy,
    now: io.now,
    locateBase: (source, field) => baseLines.lineOf(source, field),
    locateHead: (source, field) => headLines.lineOf(source, field),
  });
  const output = renderDiff(flags.format, result, mode, headSpec, () => flags.sarifRoot ?? repositoryRoot(cwd));
  if (flags.output !== undefined) {
    try {
      writeFileAtomic(flags.output, output);
    } catch (error) {
      throw new InputError(flags.output, undefined, `cannot write the report: ${(error as Error).message}`);
    }
    io.stderr(`${TOOL_NAME}: wrote the ${flags.format} ${mode} to ${flags.output}\n`);
  } else {
    io.stdout(output);
  }
  return failingNewFindings(result, flags.failOn).length > 0 ? ExitCode.FINDINGS : ExitCode.CLEAN;
}

/** the options `diff` and `report` share with `check`. */
function withTreeOptions(command: Command): Command {
  return command
    .addOption(new Option('--pack <name>', 'rule pack').choices(PACK_NAMES).default(DEFAULT_PACK))
    .addOption(new Option('--format <format>', 'output format').choices(DIFF_FORMATS).default('markdown'))
    .option('--output <file>', 'write to this file (atomically) instead of standard output; never a link, device, FIFO or directory')
    .option('--pod-spec-path <kind=path>', 'a custom resource kind ([group/]Kind) and the dotted path of its pod spec (repeatable)', parsePodSpecPath, [])
    .option('--max-file-size <size>', `largest file read, in bytes or with K/M/G (default ${DEFAULT_MAX_FILE_SIZE / 1024 ** 2}M)`, parseSize, DEFAULT_MAX_FILE_SIZE)
    .option('--max-total-size <size>', `largest total input read per tree (default ${DEFAULT_MAX_TOTAL_SIZE / 1024 ** 2}M)`, parseSize, DEFAULT_MAX_TOTAL_SIZE)
    .option('--sarif-root <dir>', 'directory SARIF artifact paths are relative to (%SRCROOT%) (default: the git repository root above the working directory)')
    .option('--allowed-registry <prefix>', 'a registry or repository prefix images may come from, e.g. ghcr.io/example (repeatable; turns on image-registry-not-allowed)', parseAllowedRegistry, [])
    .option('--config <file>', 'a configuration file (YAML: imagePolicy.allowedRegistries); never read unless named');
}

interface ProbeReportFlags {
  readonly format: 'text' | 'json';
  readonly maxFileSize: number;
}

/** reads NetworkPolicyProbe logs and prints the run's verdict; 0 only for `pass`. */
async function probeReport(files: string[], flags: ProbeReportFlags, io: CliIo): Promise<number> {
  const { evaluateProbeReport, parseProbeReport, ProbeReportError } = probeReports();
  const lines: ProbeReportLine[] = [];
  for (const file of files) {
    let text: string;
    if (file === '-') {
      const data = await io.readStdin(flags.maxFileSize);
      if (data.length > flags.maxFileSize) throw new InputError(STDIN_NAME, undefined, `is larger than --max-file-size (${flags.maxFileSize} bytes)`);
      text = data.toString();
    } else {
      let size: number;
      try {
        const stat = fs.statSync(file);
        if (!stat.isFile()) throw new InputError(file, undefined, 'is not a file: pass the log of a probe Job (kubectl logs job/netpol-probe-<workload> > file)');
        size = stat.size;
      } catch (error) {
        if (error instanceof InputError) throw error;
        throw new InputError(file, undefined, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      if (size > flags.maxFileSize) throw new InputError(file, undefined, `is larger than --max-file-size (${size} > ${flags.maxFileSize} bytes)`);
      text = fs.readFileSync(file, 'utf8');
    }
    try {
      lines.push(...parseProbeReport(text));
    } catch (error) {
      if (error instanceof ProbeReportError) throw new InputError(file === '-' ? STDIN_NAME : file, error.line, `${error.field}: ${error.message.replace(/^line \d+: [^:]+: /, '')}`);
      throw error;
    }
  }
  if (lines.length === 0) throw new InputError(files.join(', '), undefined, 'holds no probe report line (format cdk8s-hardened.io/netpol-probe/v1): is it the log of a NetworkPolicyProbe Job?');
  const report = evaluateProbeReport(lines);
  if (flags.format === 'json') {
    io.stdout(`${JSON.stringify({ verdict: report.verdict, reasons: report.reasons, checks: report.checks }, null, 2)}\n`);
  } else {
    const sources = new Set(lines.map((line) => line.source)).size;
    io.stdout(`network policy probe: ${report.verdict} (${lines.length} checks from ${sources} source${sources === 1 ? '' : 's'})\n`);
    for (const reason of report.reasons) io.stdout(`- ${escapeControl(reason)}\n`);
  }
  return report.verdict === 'pass' ? ExitCode.CLEAN : ExitCode.FINDINGS;
}

function program(io: CliIo, result: { code: number }): Command {
  const root = new Command(TOOL_NAME)
    .description('Check Kubernetes manifests against the cdk8s-hardened rule packs.')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .showHelpAfterError('(run with --help for usage)');
  root.command('check')
    .description('Check manifests from files, directories (recursively: .yaml, .yml, .json) and - (standard input).')
    .argument('[paths...]', 'files, directories, or - for standard input (the default when input is piped)')
    .addOption(new Option('--pack <name>', 'rule pack').choices(PACK_NAMES).default(DEFAULT_PACK))
    .addOption(new Option('--format <format>', 'report format').choices(FORMATS).default('text'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity of an unsuppressed finding that makes the exit code 1').choices(['error', 'warning']).default('error'))
    .option('--output <file>', 'write the report to this file (atomically) instead of standard output; never a link, device, FIFO or directory')
    .option('--pod-spec-path <kind=path>', 'a custom resource kind ([group/]Kind) and the dotted path of its pod spec, checked by every pod rule (repeatable)', parsePodSpecPath, [])
    .option('--max-file-size <size>', `largest file (or standard input) read, in bytes or with K/M/G (default ${DEFAULT_MAX_FILE_SIZE / 1024 ** 2}M)`, parseSize, DEFAULT_MAX_FILE_SIZE)
    .option('--max-total-size <size>', `largest total input read (default ${DEFAULT_MAX_TOTAL_SIZE / 1024 ** 2}M)`, parseSize, DEFAULT_MAX_TOTAL_SIZE)
    .option('--sarif-root <dir>', 'directory SARIF artifact paths are relative to (%SRCROOT%) (default: the git repository root above the working directory)')
    .option('--allowed-registry <prefix>', 'a registry or repository prefix images may come from, e.g. ghcr.io/example (repeatable; turns on image-registry-not-allowed)', parseAllowedRegistry, [])
    .option('--config <file>', 'a configuration file (YAML: imagePolicy.allowedRegistries); never read unless named')
    .addHelpText('after', '\nExit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.')
    .action(async (paths: string[], flags: CheckFlags, command: Command) => {
      if (paths.length === 0) {
        // nothing named and nothing piped: say how to use it rather than wait on the terminal.
        if (io.stdinIsTTY) {
          io.stderr(`${TOOL_NAME}: check needs files, directories or - (standard input)\n\n${command.helpInformation()}`);
          result.code = ExitCode.USAGE_OR_INPUT;
          return;
        }
        paths = ['-'];
      }
      result.code = await check(paths, flags, io);
    });
  withTreeOptions(root.command('diff')
    .description('Show what a change to a manifest tree does to security: flows, exceptions, findings, permissions and exposure.')
    .argument('<base>', 'the tree before: a file, a directory, or git:<revision>[:<path>] (path defaults to dist)')
    .argument('<head>', 'the tree after: a file, a directory, or git:<revision>[:<path>]'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity of a new unsuppressed finding that makes the exit code 1').choices(['error', 'warning']).default('error'))
    .addHelpText('after', '\nExit codes: 0 no new finding at or above --fail-on, 1 new findings at or above it, 2 usage or input error.')
    .action(async (base: string, head: string, flags: DiffFlags) => {
      result.code = await diffCommand(base, head, flags, io, 'diff');
    });
  withTreeOptions(root.command('report')
    .description('Show one tree\'s security: who reaches whom, every exception, every account\'s permissions, exposure and findings.')
    .argument('<tree>', 'a file, a directory, or git:<revision>[:<path>]'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity of an unsuppressed finding that makes the exit code 1').choices(['error', 'warning']).default('error'))
    .addHelpText('after', '\nExit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or input error.')
    .action(async (tree: string, flags: DiffFlags) => {
      result.code = await diffCommand(undefined, tree, flags, io, 'report');
    });
  root.command('cis')
    .description('Evaluate a CIS benchmark\'s kube-bench check definitions offline against node files: a kubeadm configuration and the files its flags name.')
    .argument('<node-files>', 'folder with the kubeadm configuration and the files it references (matched by file name)')
    .requiredOption('--benchmark <dir>', 'folder of kube-bench check definitions for one benchmark (cfg/cis-1.8 and the like)')
    .addOption(new Option('--format <format>', 'report format').choices(CIS_FORMATS).default('text'))
    .option('--output <file>', 'write the report to this file (atomically) instead of standard output')
    .addHelpText('after', '\nExit codes: 0 every automated check passes or cannot be decided by configuration, 1 an automated check fails, 2 usage or input error.')
    .action(async (folder: string, flags: CisFlags) => {
      result.code = await cisCommand(folder, flags, io);
    });
  root.command('probe-report')
    .description('Evaluate NetworkPolicyProbe logs (kubectl logs job/netpol-probe-<workload>): pass, fail, not-enforced or inconclusive.')
    .argument('[files...]', 'log files, or - for standard input (the default when input is piped)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--max-file-size <size>', `largest log read, in bytes or with K/M/G (default ${DEFAULT_MAX_FILE_SIZE / 1024 ** 2}M)`, parseSize, DEFAULT_MAX_FILE_SIZE)
    .addHelpText('after', '\nExit codes: 0 pass, 1 fail, not-enforced or inconclusive, 2 usage or input error.')
    .action(async (files: string[], flags: ProbeReportFlags, command: Command) => {
      if (files.length === 0) {
        if (io.stdinIsTTY) {
          io.stderr(`${TOOL_NAME}: probe-report needs log files or - (standard input)\n\n${command.helpInformation()}`);
          result.code = ExitCode.USAGE_OR_INPUT;
          return;
        }
        files = ['-'];
      }
      result.code = await probeReport(files, flags, io);
    });
  return root;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and resolves to the exit code. Never
 * throws and never exits the process: bad input and usage errors are written to `io.stderr` as
 * one line each, without a stack trace.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const result = { code: ExitCode.CLEAN as number };
  try {
    await program(io, result).parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return ok ? ExitCode.CLEAN : ExitCode.USAGE_OR_INPUT;
    }
    const message = error instanceof InputError ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
    io.stderr(`${TOOL_NAME}: ${escapeControl(message)}\n`);
    return ExitCode.USAGE_OR_INPUT;
  }
}

/**
 * V8 settings of the CLI process. A check runs about 200 small rule and helper functions over
 * tens of thousands of objects; with V8's default cumulative inlining budget (920 bytecodes),
 * TurboFan inlines the shared helpers into every rule it optimizes, and on a small machine the
 * optimizing compiler becomes the bottleneck while rules wait in slower tiers. A budget of 200
 * made the first pass of the rules about a quarter faster, and `check` of 20,000 objects 0.2-0.5 s
 * faster end to end on 2 cores (docs/benchmarks.md). Only the `bin` entry sets it: the library
 * never changes the flags of a process it runs in (jest, `cdk8s synth`).
 */
export const CLI_V8_FLAGS = '--max-inlined-bytecode-size-cumulative=200';

/**
 * The `bin` entry: runs `main` on the process and sets `process.exitCode` (never `process.exit`,
 * which truncates piped output). A reader that closed the pipe keeps the exit code; any other
 * failure to write the report makes it 2.
 */
export function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  setFlagsFromString(CLI_V8_FLAGS);
  return main(argv).then((code) => {
    process.exitCode = processWrites.failed !== undefined ? ExitCode.USAGE_OR_INPUT : code;
  });
}

if (require.main === module) void run();
