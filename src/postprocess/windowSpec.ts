/**
 * The `--window` option: how observations are grouped in time before aggregation.
 *
 * - `Nd` (e.g. `30d`, `7d`, `1d`): fixed bins of N days aligned on the Unix epoch
 *   (1970-01-01T00:00:00Z). Bin k covers [k·N days, (k+1)·N days). Epoch alignment makes
 *   the bins the same for every run, shard and machine, whatever scenes each one holds, so
 *   incremental runs and shard merges see identical windows. Like Climate TRACE's 30-day
 *   windows, but reproducible without a reference date.
 * - `month`, `year`: UTC calendar months and years, [first day 00:00Z, first day of next).
 * - `all`: one window over everything, from 00:00Z of the earliest observation's day to
 *   00:00Z after the latest observation's day.
 */

export type WindowSpec =
  | { kind: 'days'; days: number }
  | { kind: 'month' }
  | { kind: 'year' }
  | { kind: 'all' };

export class WindowSpecError extends Error {
  override readonly name = 'WindowSpecError';
}

/**
 * Parses `30d`, `7d`, `month`, `year` or `all` (case-insensitive).
 * @throws WindowSpecError listing the accepted forms
 * @example parseWindowSpec('30d') // { kind: 'days', days: 30 }
 */
export function parseWindowSpec(text: string): WindowSpec {
  const t = text.trim().toLowerCase();
  if (t === 'month' || t === 'year' || t === 'all') return { kind: t };
  const m = /^(\d+)d$/.exec(t);
  if (m) {
    const days = Number(m[1]);
    if (days >= 1 && days <= 36600) return { kind: 'days', days };
  }
  throw new WindowSpecError(`window '${text}' is not one of: Nd (N days, 1-36600, e.g. 30d), month, year, all`);
}

/** The canonical text of a spec (`30d`, `month`…), as written in outputs. */
export function formatWindowSpec(spec: WindowSpec): string {
  return spec.kind === 'days' ? `${spec.days}d` : spec.kind;
}
