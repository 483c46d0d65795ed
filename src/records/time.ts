/**
 * Datetimes in co2sat's input tables. Every one must say its zone (`Z` or `±hh:mm`): a
 * zoneless `2024-05-17T10:26:41` would otherwise be read in the machine's local zone, and a
 * scheduler in Europe/Berlin would shift every label by one or two hours. `assumeUtc` (the
 * CLI's `--assume-utc`) reads zoneless values as UTC for files known to be in UTC.
 */
import { optionText } from '../errors.js';

export interface TimeOptions {
  /** Read a datetime without a zone as UTC instead of refusing it. */
  assumeUtc?: boolean;
}

// ISO 8601 / RFC 3339 date-time; a space may stand for the 'T' (RFC 3339 §5.6 allows it, and
// ENTSO-E and CAMPD exports write it). Seconds and fractions are optional.
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Epoch milliseconds of `text`, or the reason it is not a usable datetime (a string), so the
 * caller can name its file, line and column.
 */
export function parseZonedTime(text: string, o: TimeOptions = {}): number | string {
  const s = text.trim();
  if (DATE_ONLY.test(s)) return `'${s}' has no time of day (expected e.g. ${s}T10:26:41Z)`;
  const m = DATETIME.exec(s);
  if (m === null) return `'${s}' is not an ISO 8601 datetime (expected e.g. 2024-05-17T10:26:41Z)`;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  let offsetMin = 0;
  if (zone === undefined) {
    if (!o.assumeUtc) return `'${s}' has no time zone (add Z or an offset such as +01:00, or give ${optionText('assume-utc')} if the file is in UTC)`;
  } else if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMin = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  }
  const fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec ?? '0')];
  const [Y, M, D, H, Mi, S] = fields as [number, number, number, number, number, number];
  const ms = Date.UTC(Y, M - 1, D, H, Mi, S, Math.round(Number(frac ?? '0') * 1000));
  // Date.UTC rolls 2024-02-30 over into March; a real calendar date round-trips.
  const check = new Date(ms);
  if (check.getUTCMonth() !== M - 1 || check.getUTCDate() !== D || H > 23 || Mi > 59 || S > 60) return `'${s}' is not a valid date or time`;
  return ms - offsetMin * 60_000;
}
