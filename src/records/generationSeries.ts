/**
 * Time series of unit (or plant) output, as the open sources deliver them, read into one
 * shape: a sample per unit and time with generation (MW) and, where the source has it, CO₂
 * (t/h). `co2sat labels build` turns them into per-overpass labels. Three readers:
 *
 * - ENTSO-E Transparency Platform "Actual Generation per Generation Unit" (16.1.A), the
 *   monthly CSV export (File Library / SFTP `ActualGenerationOutputPerGenerationUnit_16.1.A`):
 *   tab-separated, `DateTime(UTC)` (or `DateTime`), `ResolutionCode` (PT15M, PT30M, PT60M),
 *   `GenerationUnitCode` (or `GenerationUnitEIC`), `ActualGenerationOutput[MW]` (or
 *   `ActualGenerationOutput`). Times are UTC, each the start of its resolution period; the
 *   value is the period's mean, so the sample sits at the period's middle.
 * - US EPA CAMPD hourly emissions CSV (campd.epa.gov custom data download, "Hourly"
 *   emissions): `Facility ID`, `Unit ID`, `Date` (YYYY-MM-DD), `Hour` (0–23, local standard
 *   time, so a UTC offset must be given), `Operating Time` (fraction of the hour),
 *   `Gross Load (MW)` (mean while operating) and `CO2 Mass (short tons)` (the hour's total).
 *   Generation = gross load × operating time; CO₂ t/h = short tons × 0.90718474. The unit id
 *   is `FACILITY/UNIT`, and its plant is the facility (the EIA plant code GPPD also uses).
 * - Generic: a CSV with a unit or site id, a datetime with a zone and generation in MW
 *   (optionally CO₂ t/h), its column names given as a mapping.
 */
import { InputError } from '../errors.js';
import { optionalNumber, parseCsvTable, requiredString, requiredTime, type CsvRow, type CsvTable } from './csv.js';
import { parseZonedTime, type TimeOptions } from './time.js';

/** One sample of one unit. */
export interface SeriesSample {
  unit_id: string;
  /** The plant the source itself names (CAMPD's facility), used without a unit → plant mapping. */
  plant_id?: string;
  /** Epoch ms the value stands for (a period's middle for period means). */
  time_ms: number;
  generation_mw: number | null;
  co2_t_per_h: number | null;
  /** Where it came from, for messages. */
  file: string;
  lineNo: number;
}

export type SeriesFormat = 'entsoe' | 'campd' | 'generic';

/** Column names of a generic series file. */
export interface SeriesColumns {
  /** The unit (or, without a unit→plant mapping, the site) id. */
  unit_id: string;
  datetime: string;
  generation_mw: string;
  co2_t_per_h?: string;
}

export const DEFAULT_SERIES_COLUMNS: SeriesColumns = { unit_id: 'site_id', datetime: 'datetime', generation_mw: 'generation_mw', co2_t_per_h: 'co2_t_per_h' };

export interface SeriesReadOptions extends TimeOptions {
  format?: SeriesFormat;
  /** Generic format: the columns to read. */
  columns?: SeriesColumns;
  /** CAMPD: hours east of UTC of the plants' local standard time (e.g. -5 for Eastern). */
  utcOffsetHours?: number;
}

const SHORT_TON_T = 0.90718474;
const ENTSOE_TIME = ['DateTime(UTC)', 'DateTime (UTC)', 'DateTime'];
const ENTSOE_UNIT = ['GenerationUnitCode', 'GenerationUnitEIC'];
const ENTSOE_MW = ['ActualGenerationOutput[MW]', 'ActualGenerationOutput(MW)', 'ActualGenerationOutput'];
const CAMPD_REQUIRED = ['Facility ID', 'Unit ID', 'Date', 'Hour', 'Gross Load (MW)'];

const firstPresent = (header: readonly string[], names: readonly string[]): string | undefined => names.find((n) => header.includes(n));

/** The format a header says, or null when it is none of the known exports. */
export function detectSeriesFormat(header: readonly string[]): SeriesFormat {
  if (firstPresent(header, ENTSOE_MW) && firstPresent(header, ENTSOE_UNIT)) return 'entsoe';
  if (CAMPD_REQUIRED.every((c) => header.includes(c))) return 'campd';
  return 'generic';
}

/** Parses `site_id=Plant,datetime=Time,…` into a column mapping. @throws Error naming the problem */
export function parseSeriesColumns(spec: string): SeriesColumns {
  const out: Partial<SeriesColumns> = {};
  for (const part of spec.split(',')) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (!key || !value) throw new Error(`'${part}' is not key=column`);
    const field = key === 'site_id' ? 'unit_id' : key;
    if (field !== 'unit_id' && field !== 'datetime' && field !== 'generation_mw' && field !== 'co2_t_per_h') {
      throw new Error(`unknown key '${key}' (expected unit_id or site_id, datetime, generation_mw, co2_t_per_h)`);
    }
    out[field] = value;
  }
  for (const k of ['unit_id', 'datetime', 'generation_mw'] as const) if (out[k] === undefined) throw new Error(`'${k}' is missing`);
  return out as SeriesColumns;
}

function resolutionMs(row: CsvRow, col: string, file: string): number {
  const s = requiredString(row, col, file);
  const m = /^PT(\d+)([MH])$/i.exec(s);
  if (!m) throw new InputError(file, `line ${row.lineNo}, column '${col}': '${s}' is not a resolution such as PT15M or PT60M`);
  return Number(m[1]) * (m[2]?.toUpperCase() === 'H' ? 3_600_000 : 60_000);
}

function readEntsoe(table: CsvTable, file: string): SeriesSample[] {
  const timeCol = firstPresent(table.header, ENTSOE_TIME);
  const unitCol = firstPresent(table.header, ENTSOE_UNIT);
  const mwCol = firstPresent(table.header, ENTSOE_MW);
  if (!timeCol || !unitCol || !mwCol) throw new InputError(file, `not an ENTSO-E 16.1.A export: needs ${ENTSOE_TIME[0]}, ${ENTSOE_UNIT[0]} and ${ENTSOE_MW[0]}`);
  const hasResolution = table.header.includes('ResolutionCode');
  return table.rows.map((row) => {
    // The export's times are UTC without a zone suffix; the column name says so.
    const start = requiredTime(row, timeCol, file, { assumeUtc: true });
    const half = hasResolution ? resolutionMs(row, 'ResolutionCode', file) / 2 : 0;
    return { unit_id: requiredString(row, unitCol, file), time_ms: start + half, generation_mw: optionalNumber(row, mwCol, file), co2_t_per_h: null, file, lineNo: row.lineNo };
  });
}

function readCampd(table: CsvTable, file: string, o: SeriesReadOptions): SeriesSample[] {
  const offset = o.utcOffsetHours;
  if (offset === undefined) throw new InputError(file, 'CAMPD hours are local standard time: give the plants\' UTC offset (e.g. -5 for US Eastern)');
  const hasOpTime = table.header.includes('Operating Time');
  const hasCo2 = table.header.includes('CO2 Mass (short tons)');
  return table.rows.map((row) => {
    const date = requiredString(row, 'Date', file);
    const hour = optionalNumber(row, 'Hour', file);
    if (hour === null || !Number.isInteger(hour) || hour < 0 || hour > 23) throw new InputError(file, `line ${row.lineNo}, column 'Hour': '${row.cells.Hour ?? ''}' is not an hour 0-23`);
    const dayStart = parseZonedTime(`${date}T00:00:00Z`);
    if (typeof dayStart === 'string') throw new InputError(file, `line ${row.lineNo}, column 'Date': ${dayStart}`);
    const time_ms = dayStart + (hour - offset) * 3_600_000 + 1_800_000;
    const load = optionalNumber(row, 'Gross Load (MW)', file);
    const opTime = hasOpTime ? optionalNumber(row, 'Operating Time', file) : 1;
    // A unit that did not operate reports a blank load: it generated nothing that hour.
    const generation_mw = opTime === 0 ? 0 : load === null || opTime === null ? null : load * opTime;
    const tons = hasCo2 ? optionalNumber(row, 'CO2 Mass (short tons)', file) : null;
    const co2_t_per_h = opTime === 0 ? 0 : tons === null ? null : tons * SHORT_TON_T;
    const facility = requiredString(row, 'Facility ID', file);
    return { unit_id: `${facility}/${requiredString(row, 'Unit ID', file)}`, plant_id: facility, time_ms, generation_mw, co2_t_per_h, file, lineNo: row.lineNo };
  });
}

function readGeneric(table: CsvTable, file: string, o: SeriesReadOptions): SeriesSample[] {
  const c = o.columns ?? DEFAULT_SERIES_COLUMNS;
  const unitCol = o.columns ? c.unit_id : table.header.includes('unit_id') ? 'unit_id' : c.unit_id;
  for (const col of [unitCol, c.datetime, c.generation_mw]) {
    if (!table.header.includes(col)) throw new InputError(file, `missing column '${col}' (header: ${table.header.join(', ')}); map columns with --columns unit_id=…,datetime=…,generation_mw=…`);
  }
  const co2Col = c.co2_t_per_h !== undefined && table.header.includes(c.co2_t_per_h) ? c.co2_t_per_h : null;
  return table.rows.map((row) => ({
    unit_id: requiredString(row, unitCol, file),
    time_ms: requiredTime(row, c.datetime, file, o),
    generation_mw: optionalNumber(row, c.generation_mw, file),
    co2_t_per_h: co2Col ? optionalNumber(row, co2Col, file) : null,
    file,
    lineNo: row.lineNo,
  }));
}

/**
 * Reads one series file in its format (detected from the header unless given).
 * @throws InputError naming the file, line and column of a bad value
 */
export function parseGenerationSeries(text: string, file: string, o: SeriesReadOptions = {}): { format: SeriesFormat; samples: SeriesSample[] } {
  const table = parseCsvTable(text, file, []);
  const format = o.format ?? detectSeriesFormat(table.header);
  const samples = format === 'entsoe' ? readEntsoe(table, file) : format === 'campd' ? readCampd(table, file, o) : readGeneric(table, file, o);
  for (const s of samples) {
    for (const [k, v] of [['generation', s.generation_mw], ['CO2', s.co2_t_per_h]] as const) {
      if (v !== null && v < 0) throw new InputError(file, `line ${s.lineNo}: ${k} ${v} is negative`);
    }
  }
  return { format, samples };
}
