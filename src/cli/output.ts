/**
 * Where a command's words go. Data goes to stdout (a table, or one JSON object with
 * `--json`); progress and notes go to stderr, progress only on a TTY, nothing but errors
 * with `--quiet`.
 */
import { ProgressBar } from './progress.js';

export interface GlobalOptions {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** A human-readable line on stderr (suppressed by --quiet and --json). */
  info(message: string): void;
  /** Detail shown only with --verbose. */
  debug(message: string): void;
  /** A warning on stderr; shown unless --quiet. */
  warn(message: string): void;
  /** The command's result: JSON on stdout with --json, else the text on stdout. */
  result(data: unknown, text: string): void;
  /** A progress bar on stderr when it is a TTY and neither --quiet nor --json is set. */
  progress(label: string, total: number): ProgressBar;
}

export function createOutput(
  opts: GlobalOptions,
  streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream | NodeJS.WritableStream } = {
    stdout: process.stdout,
    stderr: process.stderr,
  },
): Output {
  const json = opts.json === true;
  const quiet = opts.quiet === true;
  const verbose = opts.verbose === true && !quiet;
  const chatty = !quiet && !json;
  const isTty = 'isTTY' in streams.stderr && streams.stderr.isTTY === true;
  return {
    json,
    quiet,
    verbose,
    info: (m) => {
      if (chatty) streams.stderr.write(`${m}\n`);
    },
    debug: (m) => {
      if (verbose) streams.stderr.write(`${m}\n`);
    },
    warn: (m) => {
      if (!quiet) streams.stderr.write(`warning: ${m}\n`);
    },
    result: (data, text) => {
      if (json) streams.stdout.write(`${JSON.stringify(data)}\n`);
      else if (!quiet && text.length > 0) streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    progress: (label, total) => new ProgressBar(label, total, chatty && isTty ? streams.stderr : null),
  };
}
