/**
 * Shared plumbing for every command: the global flags, the error-to-exit-code mapping and
 * the examples block in `--help`. A command file only parses, calls a library function and
 * prints.
 */
import { Command, InvalidArgumentError } from 'commander';
import { createOutput, type GlobalOptions, type Output } from './output.js';
import { describeError, exitCodeFor, ExitCode, ItemizedFailure, OPTION_TEXT_PATTERN, UsageError } from '../errors.js';

/** Adds --json/--quiet/--verbose and an Examples section to a command's help. */
export function withGlobals(cmd: Command, examples: readonly string[]): Command {
  cmd
    .option('--json', 'print one machine-readable JSON object on stdout')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print details of each step on stderr');
  if (examples.length > 0) {
    cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  }
  cmd.showHelpAfterError('(add --help for usage and examples)');
  // Descriptions are written as short paragraphs of up to ~95 columns; wrapping them at
  // commander's default 80 (used whenever stdout is not a terminal) leaves ragged lines.
  cmd.configureHelp({ helpWidth: Math.max(100, process.stdout.columns ?? 0) });
  return cmd;
}

/**
 * Wraps a command action: builds the Output from the global flags, maps thrown errors to
 * exit codes (2 usage/input, 3 partial, 1 internal) and reports them on one line (and as
 * JSON on stdout with --json, so schedulers can read the failure too).
 */
export function action<A extends unknown[]>(
  fn: (out: Output, ...args: A) => Promise<void> | void,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.optsWithGlobals() as GlobalOptions;
    const out = createOutput(opts);
    try {
      await fn(out, ...(args.slice(0, -1) as A));
    } catch (err) {
      reportFailure(out, err);
    }
  };
}

/** Library messages name options as `option 'size'`; on the command line they are `--size`. */
export function asFlags(message: string): string {
  return message.replace(OPTION_TEXT_PATTERN, (_m, name: string) => `--${name}`);
}

/**
 * Prints a failure once and sets the exit code: with --json one object on stdout (the
 * command's summary, if it has one, with `error`, `exit_code` and `failed` added); else the
 * summary text on stdout, then one line on stderr and one line per failed item.
 */
export function reportFailure(out: Output, err: unknown): void {
  const code = exitCodeFor(err);
  const message = asFlags(describeError(err, out.verbose));
  const itemized = err instanceof ItemizedFailure ? err : null;
  if (out.json) {
    process.stdout.write(`${JSON.stringify({ ...(itemized?.report?.json ?? {}), error: message, error_kind: err instanceof Error ? err.name : 'Error', exit_code: code, failed: itemized?.failed.map((f) => ({ ...f, reason: asFlags(f.reason) })) })}\n`);
  } else if (itemized?.report && !out.quiet) {
    process.stdout.write(`${itemized.report.text}\n`);
  }
  process.stderr.write(`co2sat: ${message}\n`);
  if (itemized && !out.quiet && !out.json) {
    for (const f of itemized.failed) process.stderr.write(`  ${f.item}: ${asFlags(f.reason)}\n`);
  }
  process.exitCode = code;
}

/** commander argument parser for positive integers, with a usage error that names the flag. */
export function positiveInt(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got '${value}'`);
    return n;
  };
}

/** commander argument parser for a number in [min, max]. */
export function numberIn(name: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a number in [${min}, ${max}], got '${value}'`);
    }
    return n;
  };
}

/** Throws a UsageError when a required option is missing (commander's own message is terse). */
export function requireOption<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === null || value === '') throw new UsageError(`missing required option ${flag}`);
  return value;
}

export { ExitCode };
