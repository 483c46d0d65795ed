/**
 * Typed errors that map one-to-one onto co2sat's documented exit codes, so library code
 * never calls `process.exit` and the CLI decides the exit status in one place.
 */

/** Exit codes documented in the README and `co2sat --help`. */
export const ExitCode = {
  ok: 0,
  /** A bug or an unexpected condition (Node's own default for uncaught errors). */
  internal: 1,
  /** Bad usage or unreadable input: nothing useful was done. */
  usage: 2,
  /** Some items failed; the rest were done and written. */
  partial: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The command line itself is wrong (unknown option, missing argument, bad value). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * An input file or folder cannot be used. The message names the file and what is wrong,
 * on one line, e.g. `scenes/a.tif: truncated: tile 12 ends at byte 81920, file has 40000`.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** A run that finished what it could: `failed` items are named, the rest were written. */
export class PartialFailure extends Error {
  override readonly name = 'PartialFailure';
  constructor(
    message: string,
    readonly failed: readonly { item: string; reason: string }[],
  ) {
    super(message);
  }
}

/** Exit code for any thrown value. */
export function exitCodeFor(err: unknown): ExitCodeValue {
  if (err instanceof UsageError || err instanceof InputError) return ExitCode.usage;
  if (err instanceof PartialFailure) return ExitCode.partial;
  return ExitCode.internal;
}

/** One line of text for any thrown value; stack traces only for internal errors. */
export function describeError(err: unknown, verbose = false): string {
  if (err instanceof Error) {
    const internal = exitCodeFor(err) === ExitCode.internal;
    if (internal && verbose && err.stack) return err.stack;
    return err.message.split('\n')[0] ?? String(err);
  }
  return String(err);
}
