/**
 * `labels.csv`: one row per (site, overpass) with whatever ground truth is known.
 * Columns `site_id,datetime,active,generation_mw,co2_t_per_h`; a blank cell is a missing
 * label for that task (masked in training, never a reason to drop the row).
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { optionalNumber, readCsv, requiredString, requiredTime } from './csv.js';

export interface LabelRow {
  site_id: string;
  /** ISO 8601 as written. */
  datetime: string;
  /** Epoch milliseconds of `datetime` (the join key). */
  time_ms: number;
  /** true = running at the overpass, false = off, null = unknown. */
  active: boolean | null;
  generation_mw: number | null;
  co2_t_per_h: number | null;
  lineNo: number;
}

export const LABEL_COLUMNS = ['site_id', 'datetime', 'active', 'generation_mw', 'co2_t_per_h'] as const;

function parseActive(s: string, lineNo: number, file: string): boolean | null {
  const v = s.trim().toLowerCase();
  if (v === '') return null;
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw new InputError(file, `line ${lineNo}: active '${s}' must be 1, 0, true, false or blank`);
}

/**
 * Parses labels.csv text.
 * @throws InputError naming the file and line for NaN or negative generation/CO2, a bad
 *   `active` value, a bad datetime or a duplicated (site_id, datetime).
 */
export function parseLabelsCsv(text: string, file: string): LabelRow[] {
  const seen = new Set<string>();
  return readCsv(text, file, LABEL_COLUMNS).map((row) => {
    const site_id = requiredString(row, 'site_id', file);
    const time_ms = requiredTime(row, 'datetime', file);
    const key = `${site_id}|${time_ms}`;
    if (seen.has(key)) throw new InputError(file, `line ${row.lineNo}: duplicate label for ${site_id} at ${row.cells.datetime}`);
    seen.add(key);
    const generation_mw = optionalNumber(row, 'generation_mw', file);
    const co2_t_per_h = optionalNumber(row, 'co2_t_per_h', file);
    if (generation_mw !== null && generation_mw < 0) throw new InputError(file, `line ${row.lineNo}: generation_mw ${generation_mw} is negative`);
    if (co2_t_per_h !== null && co2_t_per_h < 0) throw new InputError(file, `line ${row.lineNo}: co2_t_per_h ${co2_t_per_h} is negative`);
    return {
      site_id,
      datetime: row.cells.datetime!,
      time_ms,
      active: parseActive(row.cells.active ?? '', row.lineNo, file),
      generation_mw,
      co2_t_per_h,
      lineNo: row.lineNo,
    };
  });
}

/** Reads and parses a labels.csv file. */
export function readLabelsCsv(file: string): LabelRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read: ${(e as Error).message}`);
  }
  return parseLabelsCsv(text, file);
}
