/**
 * Open plant lists as `sites import` reads them, into one shape (a plant with its fossil
 * units), and the mapping of their fuel names to co2sat's (lignite, coal, gas, oil):
 *
 * - Global Power Plant Database v1.3 (WRI, `global_power_plant_database.csv`): one row per
 *   plant; `gppd_idnr`, `name`, `country` (ISO3), `capacity_mw`, `latitude`, `longitude`,
 *   `primary_fuel` (Coal, Gas, Oil, Hydro, …). GPPD does not tell hard coal from lignite: both
 *   are `Coal`, imported as `coal`.
 * - JRC Open Power Plants Database (`JRC_OPEN_UNITS.csv`): one row per generating unit;
 *   `eic_p` (plant) and `eic_g` (unit) EIC codes, `name_p`, `capacity_g`, `type_g` (Fossil
 *   Hard coal, Fossil Brown coal/Lignite, Fossil Gas, Fossil Oil, …), `lat`, `lon`,
 *   `country` (name), `status_g` (COMMISSIONED, RESERVE, DECOMMISSIONED, …).
 *
 * Names co2sat cannot map (Petcoke, Other, Fossil Coal-derived gas, …) are reported, never
 * guessed; non-fossil fuels are skipped as out of scope.
 */
import { InputError } from '../errors.js';
import { optionalNumber, parseCsvTable, requiredString, type CsvRow } from './csv.js';
import type { Fuel } from './sites.js';

export type PlantListFormat = 'gppd' | 'jrc';

/** One generating unit (GPPD: the whole plant as one unit). */
export interface SourceUnit {
  unit_id: string | null;
  capacity_mw: number;
  /** The source's own fuel name. */
  source_fuel: string;
  status: string | null;
  lineNo: number;
}

export interface SourcePlant {
  /** gppd_idnr or eic_p. */
  plant_id: string;
  name: string;
  /** The country as the list writes it (GPPD: ISO 3166-1 alpha-3; JRC: English name). */
  country: string;
  /** Other names of the country in the list (GPPD's country_long). */
  countryAliases: string[];
  lon: number;
  lat: number;
  units: SourceUnit[];
}

/** co2sat fuel for a source fuel name; 'out-of-scope' for non-fossil; null for unmappable. */
export function mapFuel(format: PlantListFormat, sourceFuel: string): Fuel | 'out-of-scope' | null {
  const f = sourceFuel.trim().toLowerCase();
  if (format === 'gppd') {
    if (f === 'coal') return 'coal';
    if (f === 'gas') return 'gas';
    if (f === 'oil') return 'oil';
    if (['hydro', 'solar', 'wind', 'nuclear', 'biomass', 'geothermal', 'storage', 'wave and tidal', 'waste'].includes(f)) return 'out-of-scope';
    return null; // Petcoke, Cogeneration, Other: no single fuel to model
  }
  if (f === 'fossil hard coal') return 'coal';
  if (f === 'fossil brown coal/lignite') return 'lignite';
  if (f === 'fossil gas') return 'gas';
  if (f === 'fossil oil') return 'oil';
  if (f.startsWith('fossil')) return null; // Fossil Coal-derived gas, Fossil Oil shale, Fossil Peat
  return 'out-of-scope';
}

export function detectPlantListFormat(header: readonly string[]): PlantListFormat | null {
  if (header.includes('gppd_idnr') && header.includes('primary_fuel')) return 'gppd';
  if (header.includes('eic_p') && header.includes('type_g') && header.includes('capacity_g')) return 'jrc';
  return null;
}

function coordinate(row: CsvRow, col: string, file: string, limit: number): number {
  const v = optionalNumber(row, col, file);
  if (v === null || Math.abs(v) > limit) throw new InputError(file, `line ${row.lineNo}, column '${col}': '${row.cells[col] ?? ''}' is not a coordinate`);
  return v;
}

/**
 * Parses a plant list (format from the header unless given) into plants with their units,
 * in file order of first appearance.
 * @throws InputError naming the file, line and column of a bad value
 */
export function parsePlantList(text: string, file: string, format?: PlantListFormat): { format: PlantListFormat; plants: SourcePlant[] } {
  const table = parseCsvTable(text, file, []);
  const f = format ?? detectPlantListFormat(table.header);
  if (f === null) throw new InputError(file, `not a known plant list: expected GPPD (gppd_idnr, primary_fuel, …) or JRC open units (eic_p, type_g, capacity_g, …) columns, got ${table.header.slice(0, 8).join(', ')}`);
  const plants = new Map<string, SourcePlant>();
  for (const row of table.rows) {
    const gppd = f === 'gppd';
    const plantId = requiredString(row, gppd ? 'gppd_idnr' : 'eic_p', file);
    const capacity = optionalNumber(row, gppd ? 'capacity_mw' : 'capacity_g', file) ?? 0;
    const unit: SourceUnit = {
      unit_id: gppd ? null : (row.cells.eic_g ?? '') || null,
      capacity_mw: capacity,
      source_fuel: requiredString(row, gppd ? 'primary_fuel' : 'type_g', file),
      status: gppd ? null : (row.cells.status_g ?? '') || null,
      lineNo: row.lineNo,
    };
    const known = plants.get(plantId);
    if (known) {
      known.units.push(unit);
      continue;
    }
    plants.set(plantId, {
      plant_id: plantId,
      name: requiredString(row, gppd ? 'name' : 'name_p', file),
      country: requiredString(row, 'country', file),
      countryAliases: gppd && row.cells.country_long ? [row.cells.country_long] : [],
      lon: coordinate(row, gppd ? 'longitude' : 'lon', file, 180),
      lat: coordinate(row, gppd ? 'latitude' : 'lat', file, 90),
      units: [unit],
    });
  }
  return { format: f, plants: [...plants.values()] };
}
