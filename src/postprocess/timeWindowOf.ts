/**
 * Which time window an observation falls in, by the rules documented in windowSpec.ts.
 * Windows are half-open [start, end) in milliseconds since the epoch, UTC.
 */
import type { WindowSpec } from './windowSpec.js';

export interface TimeWindow {
  /** Inclusive start, ms since epoch (UTC). */
  start: number;
  /** Exclusive end, ms since epoch (UTC). */
  end: number;
}

const DAY_MS = 86_400_000;

/** Length of a window in hours (for energy = mean power × hours). */
export function windowHours(w: TimeWindow): number {
  return (w.end - w.start) / 3_600_000;
}

/** ISO 8601 UTC text of a window bound, without milliseconds (`2024-05-01T00:00:00Z`). */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * The window of `spec` holding time `ms`. For `all` it needs the whole observation range:
 * pass `range` = [earliest, latest] observation times.
 * @throws Error for `all` without a range
 */
export function timeWindowOf(ms: number, spec: WindowSpec, range?: readonly [number, number]): TimeWindow {
  switch (spec.kind) {
    case 'days': {
      const len = spec.days * DAY_MS;
      const start = Math.floor(ms / len) * len;
      return { start, end: start + len };
    }
    case 'month': {
      const d = new Date(ms);
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth();
      return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
    }
    case 'year': {
      const y = new Date(ms).getUTCFullYear();
      return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
    }
    case 'all': {
      if (!range) throw new Error("window 'all' needs the observation range");
      return { start: Math.floor(range[0] / DAY_MS) * DAY_MS, end: (Math.floor(range[1] / DAY_MS) + 1) * DAY_MS };
    }
  }
}

/** A stable key for a window, used to group and to cache aggregates (`start/end` in ISO). */
export function windowKey(w: TimeWindow): string {
  return `${isoUtc(w.start)}/${isoUtc(w.end)}`;
}
