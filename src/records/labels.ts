/**
 * `labels.csv`: one row per (site, overpass) with whatever ground truth is known. Columns
 * `site_id,datetime,active,generation_mw,co2_t_per_h`; a blank cell is a missing label for
 * that task (masked in training, never a reason to drop the row). The one home of the
 * format: synth and `labels build` write it with `formatLabelsCsv`, train and evaluate read it
 * with `parseLabelsCsv`, and they join rows to patches on (site_id, datetime).
 */
import { InputError } from '../errors.js';
import { formatDecimal, optionalNumber, readCsv, readCsvText, requiredString, requiredTime } from './csv.js';
import type { TimeOptions } from './time.js';

export const LABEL_COLUMNS = ['site_id', 'datetime', 'active', 'generation_mw', 'co2_t_per_h'] as const;

/** One row as written. */
export interface LabelRecord {
  site_id: string;
  /** ISO 8601 with a zone, as written. */
  datetime: string;
  /** true = running at the overpass, false = off, null = unknown. */
  active: boolean | null;
  generation_mw: number | null;
  co2_t_per_h: number | null;
  /**
   * Optional column `co2_source`: `measured` (from emissions data) or `derived` (generation ×
   * the fuel's emission factor, `labels build --co2-from-ef`); absent in synthetic worlds.
   */
  co2_source?: 'measured' | 'derived' | null;
}

/** A row as read: the record with its join time and the line it came from. */
export interface LabelRow extends LabelRecord {
  /** Epoch milliseconds of `datetime` (the join key). */
  time_ms: number;
  lineNo: number;
}

function parseActive(s: string, lineNo: number, file: string): boolean | null {
  const v = s.trim().toLowerCase();
  if (v === '') return null;
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw new InputError(file, `line ${lineNo}, column 'active': '${s}' must be 1, 0, true, false or blank`);
}

/**
 * Parses labels.csv text.
 * @throws InputError naming the file, line and column for NaN or negative generation/CO2, a
 *   bad `active` value, a datetime without a zone (unless `assumeUtc`) or a duplicated
 *   (site_id, datetime).
 */
export function parseLabelsCsv(text: string, file: string, o: TimeOptions = {}): LabelRow[] {
  const seen = new Set<string>();
  return readCsv(text, file, LABEL_COLUMNS).map((row) => {
    const site_id = requiredString(row, 'site_id', file);
    const time_ms = requiredTime(row, 'datetime', file, o);
    const key = `${site_id}|${time_ms}`;
    if (seen.has(key)) throw new InputError(file, `line ${row.lineNo}: duplicate label for ${site_id} at ${row.cells.datetime}`);
    seen.add(key);
    const generation_mw = optionalNumber(row, 'generation_mw', file);
    const co2_t_per_h = optionalNumber(row, 'co2_t_per_h', file);
    if (generation_mw !== null && generation_mw < 0) throw new InputError(file, `line ${row.lineNo}, column 'generation_mw': ${generation_mw} is negative`);
    if (co2_t_per_h !== null && co2_t_per_h < 0) throw new InputError(file, `line ${row.lineNo}, column 'co2_t_per_h': ${co2_t_per_h} is negative`);
    return {
      site_id,
      datetime: requiredString(row, 'datetime', file),
      time_ms,
      active: parseActive(row.cells.active ?? '', row.lineNo, file),
      generation_mw,
      co2_t_per_h,
      ...(row.cells.co2_source !== undefined ? { co2_source: parseCo2Source(row.cells.co2_source, row.lineNo, file) } : {}),
      lineNo: row.lineNo,
    };
  });
}

function parseCo2Source(s: string, lineNo: number, file: string): LabelRecord['co2_source'] {
  if (s === '') return null;
  if (s === 'measured' || s === 'derived') return s;
  throw new InputError(file, `line ${lineNo}, column 'co2_source': '${s}' must be measured, derived or blank`);
}

/** Reads and parses a labels.csv file. */
export function readLabelsCsv(file: string, o: TimeOptions = {}): LabelRow[] {
  return parseLabelsCsv(readCsvText(file), file, o);
}

/**
 * labels.csv text: values to 3 decimals, blank for a missing label, active as 1/0; the
 * `co2_source` column only when some record has one.
 */
export function formatLabelsCsv(rows: readonly LabelRecord[]): string {
  const cell = (v: number | boolean | null, digits = 3) => (v === null ? '' : typeof v === 'boolean' ? (v ? '1' : '0') : formatDecimal(v, digits));
  const withSource = rows.some((r) => r.co2_source !== undefined);
  const header = withSource ? [...LABEL_COLUMNS, 'co2_source'] : LABEL_COLUMNS;
  const lines = rows.map((r) => {
    const cells = [r.site_id, r.datetime, cell(r.active), cell(r.generation_mw), cell(r.co2_t_per_h)];
    return (withSource ? [...cells, r.co2_source ?? ''] : cells).join(',');
  });
  return `${header.join(',')}\n${lines.map((l) => `${l}\n`).join('')}`;
}
