/**
 * The samples of a time series around a moment: the one rule behind the weather join and
 * `labels build`. Linear interpolation between them, refused across gaps longer than a limit
 * or outside the series, is how both turn samples into values at an overpass.
 */

/** A sample at `time_ms` (epoch ms). */
export interface Timed {
  time_ms: number;
}

export type Bracket<T> = { kind: 'exact'; at: T } | { kind: 'between'; before: T; after: T; fraction: number } | { kind: 'gap' } | { kind: 'outside' };

/**
 * Where `t` falls in `sorted` (ascending time): on a sample, between two not more than
 * `maxGapMs` apart (with the fraction of the way from one to the other), across a longer gap,
 * or outside the series.
 */
export function bracket<T extends Timed>(sorted: readonly T[], t: number, maxGapMs: number): Bracket<T> {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid]?.time_ms ?? Infinity) < t) lo = mid + 1;
    else hi = mid;
  }
  const after = sorted[lo];
  if (after === undefined) return { kind: 'outside' };
  if (after.time_ms === t) return { kind: 'exact', at: after };
  const before = sorted[lo - 1];
  if (before === undefined) return { kind: 'outside' };
  if (after.time_ms - before.time_ms > maxGapMs) return { kind: 'gap' };
  return { kind: 'between', before, after, fraction: (t - before.time_ms) / (after.time_ms - before.time_ms) };
}

/** A value at the bracket: the sample's, or linear between two; null where either is null. */
export function interpolate<T extends Timed>(b: Extract<Bracket<T>, { kind: 'exact' | 'between' }>, pick: (s: T) => number | null): number | null {
  if (b.kind === 'exact') return pick(b.at);
  const x = pick(b.before);
  const y = pick(b.after);
  return x === null || y === null ? null : x + b.fraction * (y - x);
}
