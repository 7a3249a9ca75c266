import * as fs from 'fs';

/**
 * Writing the report must neither crash nor destroy: a reader that goes away (`| head`) ends the
 * output quietly, keeping the exit code already decided; any other write error (a full disk) is
 * one line on standard error and exit code 2; `--output` never replaces a link, a device, a FIFO
 * or a directory with a regular file.
 */

/** what went wrong writing to standard output, if anything. */
export interface WriteState {
  /** the reader closed the pipe: stop writing, keep the exit code. */
  closed: boolean;
  /** a write failed for another reason: the one-line message already printed; exit 2. */
  failed?: string;
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * A writer to `stream` that handles write errors, reported synchronously (files) or as `error`
 * events (pipes), once: EPIPE stops the output quietly, anything else prints one line to `stderr`
 * and marks the state failed.
 */
export function guardedWriter(
  stream: NodeJS.WritableStream, state: WriteState, stderr: (text: string) => void, name: string,
): (text: string) => void {
  const fail = (error: unknown) => {
    if (state.closed || state.failed !== undefined) return;
    if (codeOf(error) === 'EPIPE') {
      state.closed = true;
      return;
    }
    state.failed = `cdk8s-hardened: cannot write to ${name}: ${codeOf(error) ?? (error as Error)?.message ?? String(error)}`;
    stderr(`${state.failed}\n`);
    process.exitCode = 2;
  };
  stream.on('error', fail);
  return (text) => {
    if (state.closed || state.failed !== undefined) return;
    try {
      stream.write(text, (error) => {
        if (error) fail(error);
      });
    } catch (error) {
      fail(error);
    }
  };
}

/**
 * Why `file` cannot take the report, or undefined when it can: a path that exists must be a
 * regular file and not a symbolic link (`lstat`, so the link itself is judged).
 */
export function unwritableOutput(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (error) {
    return codeOf(error) === 'ENOENT' ? undefined : `cannot inspect it: ${codeOf(error) ?? (error as Error).message}`;
  }
  if (stat.isSymbolicLink()) return 'is a symbolic link; --output writes only a regular file, never through a link';
  if (stat.isDirectory()) return 'is a directory; name a file';
  if (stat.isFIFO()) return 'is a FIFO (named pipe); --output writes only a regular file';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'is a device; --output writes only a regular file (use standard output instead)';
  if (stat.isSocket()) return 'is a socket; --output writes only a regular file';
  return undefined;
}
