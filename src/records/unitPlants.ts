/**
 * A unit → plant mapping CSV (`unit_id,site_id`): which generating units make up each plant
 * site, so `labels build` can sum unit series into plant labels. ENTSO-E reports units by
 * their EIC (the JRC open power plants database lists each unit's `eic_g` with its plant's
 * `eic_p`); CAMPD units are `FACILITY/UNIT`.
 */
import { InputError } from '../errors.js';
import { readCsv, readCsvText, requiredString } from './csv.js';

/** unit_id → site_id. @throws InputError naming file and line for a unit mapped twice */
export function parseUnitPlants(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of readCsv(text, file, ['unit_id', 'site_id'])) {
    const unit = requiredString(row, 'unit_id', file);
    const site = requiredString(row, 'site_id', file);
    const before = out.get(unit);
    if (before !== undefined && before !== site) throw new InputError(file, `line ${row.lineNo}: unit ${unit} is mapped to both ${before} and ${site}`);
    out.set(unit, site);
  }
  return out;
}

export function readUnitPlants(file: string): Map<string, string> {
  return parseUnitPlants(readCsvText(file), file);
}
