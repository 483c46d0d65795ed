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
  /** Some items failed; the rest were done and written (failures recorded in the run state). */
  partial: 3,
  /**
   * EX_TEMPFAIL from sysexits.h: try again later. A live run holds the output folder's lease,
   * or a transient failure (network, a busy file system) persisted through the retries.
   */
  tempfail: 75,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The command line itself is wrong (unknown option, missing argument, bad value). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * How library code names an option in a message: `option 'crs-proj4'`. Only the CLI turns
 * that into flag syntax (`--crs-proj4`, see src/cli/command.ts), so the library stays usable
 * from code, where there are no flags.
 */
export function optionText(name: string): string {
  return `option '${name}'`;
}

/** The pattern optionText writes, for the CLI to rewrite. */
export const OPTION_TEXT_PATTERN = /option '([a-z][a-z0-9-]*)'/g;

/** An option has a bad value: `option` is its name (kebab-case, as the CLI spells its flag). */
export class OptionError extends UsageError {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`${optionText(option)} ${problem}`);
  }
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

/** What a command that failed on some items still reports: its summary, as JSON and as text. */
export interface FailureReport {
  json: Record<string, unknown>;
  text: string;
}

/** A command that ran over several items and some failed: `failed` names each and why. */
export abstract class ItemizedFailure extends Error {
  constructor(
    message: string,
    readonly failed: readonly { item: string; reason: string }[],
    /** The command's summary, printed once together with the error (one JSON object with --json). */
    readonly report?: FailureReport,
  ) {
    super(message);
  }
}

/** A run that finished what it could: `failed` items are named, the rest were written (exit 3). */
export class PartialFailure extends ItemizedFailure {
  override readonly name = 'PartialFailure';
}

/**
 * Every item failed: nothing useful was done, so a scheduler must not treat the run as a
 * partial success (exit 2, like bad input).
 */
export class AllFailedError extends ItemizedFailure {
  override readonly name = 'AllFailedError';
}

/** Who holds an output folder's lease, as written in the lease itself. */
export interface LeaseHolder {
  pid: number;
  host: string;
  started: string;
  command: string;
  /**
   * When the kernel started that PID (Linux: /proc/PID/stat field 22, clock ticks since
   * boot), so a PID the system has since given to another process does not pass for the
   * holder. Absent where /proc is not there, and in records of older co2sat.
   */
  pid_start?: string;
}

/** A live run (its lease renewed within the stale limit) holds the output folder: retry later. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(
    readonly lockFile: string,
    readonly holder: LeaseHolder | null,
    readonly staleSeconds: number,
  ) {
    const who = holder ? `pid ${holder.pid} on ${holder.host}, started ${holder.started}` : 'holder unknown';
    super(
      `${lockFile}: another co2sat run (${who}) is writing this output folder; ` +
        `retry later (its lease goes stale ${staleSeconds} s after its last heartbeat, then the next run takes over)`,
    );
  }
}

/**
 * A failure that may pass by itself (a network error, a 5xx, a busy or stale file handle),
 * raised after the retries within the run ran out: the scheduler should retry the run later.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

/** Error codes of failures that may pass by themselves: network, busy or stale file systems. */
const TRANSIENT_CODES = new Set([
  'EAGAIN', 'EBUSY', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ENOTCONN',
  'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ESTALE', 'EMFILE', 'ENFILE',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/**
 * True for a failure worth retrying: a TransientError, or a system error whose code says the
 * network or the file system was momentarily unavailable (also when wrapped as `cause`).
 */
export function isTransient(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof TransientError) return true;
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  }
  return false;
}

/** Exit code for a thrown value, whatever it is. */
export function exitCodeFor(err: unknown): ExitCodeValue {
  if (err instanceof UsageError || err instanceof InputError || err instanceof AllFailedError) return ExitCode.usage;
  if (err instanceof PartialFailure) return ExitCode.partial;
  if (err instanceof LockHeldError || err instanceof TransientError) return ExitCode.tempfail;
  return ExitCode.internal;
}

/** One line of text for a thrown value, whatever it is; stack traces only for internal errors. */
export function describeError(err: unknown, verbose = false): string {
  if (err instanceof Error) {
    const internal = exitCodeFor(err) === ExitCode.internal;
    if (internal && verbose && err.stack) return err.stack;
    return err.message.split('\n')[0] ?? String(err);
  }
  return String(err);
}
