import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { writeFileAtomic } from './write-atomic';
import { checkManifests, failingFindings } from '../checker/engine';
import { InputError, loadInputs } from '../checker/input';
import { DEFAULT_PACK, PACK_NAMES, PackName } from '../checker/packs';
import { renderJson } from '../checker/report/json';
import { describeSummary, renderText } from '../checker/report/text';
import { SourceLines } from '../checker/source-lines';
import type { Severity } from '../checker/types';

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
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<Buffer | string>;
}

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = typeof FORMATS[number];

interface CheckFlags {
  readonly pack: PackName;
  readonly format: Format;
  readonly failOn: Extract<Severity, 'error' | 'warning'>;
  readonly output?: string;
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

function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdinIsTTY: process.stdin.isTTY === true,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return Buffer.concat(chunks);
    },
  };
}

function render(format: Format, report: ReturnType<typeof checkManifests>): string {
  switch (format) {
    case 'json': return renderJson(report);
    case 'sarif': {
      // lazy: node-sarif-builder (and fs-extra) load only for SARIF output.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { renderSarif } = require('../checker/report/sarif') as typeof import('../checker/report/sarif');
      return renderSarif(report, { name: TOOL_NAME, version: packageVersion() });
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

async function check(paths: string[], flags: CheckFlags, io: CliIo): Promise<number> {
  const input = await loadInputs(paths, io);
  if (flags.output !== undefined && [...input.texts.keys()].some((file) => sameFile(file, flags.output!))) {
    throw new InputError(flags.output, undefined, '--output names one of the inputs; inputs are never overwritten');
  }
  const lines = new SourceLines(input.texts);
  const report = checkManifests(input.entries, {
    pack: flags.pack, now: io.now, locate: (source, field) => lines.lineOf(source, field), skippedFiles: input.skippedFiles,
  });
  const output = render(flags.format, report);
  if (flags.output !== undefined) {
    try {
      writeFileAtomic(flags.output, output);
    } catch (error) {
      throw new InputError(flags.output, undefined, `cannot write the report: ${(error as Error).message}`);
    }
    io.stderr(`${TOOL_NAME}: wrote the ${flags.format} report to ${flags.output}: ${describeSummary(report.summary)}\n`);
  } else {
    io.stdout(output);
  }
  return failingFindings(report, flags.failOn).length > 0 ? ExitCode.FINDINGS : ExitCode.CLEAN;
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
    .option('--output <file>', 'write the report to this file (atomically) instead of standard output')
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
    io.stderr(`${TOOL_NAME}: ${message}\n`);
    return ExitCode.USAGE_OR_INPUT;
  }
}

/** the `bin` entry: runs `main` on the process and sets `process.exitCode` (never `process.exit`, which truncates piped output). */
export function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  return main(argv).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) void run();
