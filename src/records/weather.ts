/**
 * `weather.csv`: plume-visibility covariates per site over time
 * (`site_id,datetime,temperature_c,relative_humidity,wind_u,wind_v`; wind in m/s, u towards
 * east, v towards north). Blank cells are missing and imputed with training means. The rows
 * may sit at each overpass (a synthetic world) or on an hourly grid (an ERA5 extract):
 * `weatherAt` is the one rule train, evaluate and predict use to get the weather at an
 * overpass, so the model sees the same inputs in all three.
 */
import { InputError } from '../errors.js';
import { formatDecimal, optionalNumber, readCsv, readCsvText, requiredString, requiredTime } from './csv.js';
import type { TimeOptions } from './time.js';
import { bracket, interpolate } from './bracket.js';

export const WEATHER_COLUMNS = ['site_id', 'datetime', 'temperature_c', 'relative_humidity', 'wind_u', 'wind_v'] as const;
/** The covariates, in file order. */
export const WEATHER_VALUES = ['temperature_c', 'relative_humidity', 'wind_u', 'wind_v'] as const;
export type WeatherValue = (typeof WEATHER_VALUES)[number];

/** One row as written; null = missing. */
export interface WeatherRecord {
  site_id: string;
  /** ISO 8601 with a zone. */
  datetime: string;
  temperature_c: number | null;
  relative_humidity: number | null;
  /** Eastward wind (m/s). */
  wind_u: number | null;
  /** Northward wind (m/s). */
  wind_v: number | null;
}

/** A row as read, with its time as epoch milliseconds. */
export interface WeatherRow extends WeatherRecord {
  time_ms: number;
}

/**
 * Parses weather.csv text.
 * @throws InputError naming the file, line and column for a non-numeric value, a datetime
 *   without a zone (unless `assumeUtc`) or a relative humidity outside [0, 100].
 */
export function parseWeatherCsv(text: string, file: string, o: TimeOptions = {}): WeatherRow[] {
  return readCsv(text, file, WEATHER_COLUMNS).map((row) => {
    const rh = optionalNumber(row, 'relative_humidity', file);
    if (rh !== null && (rh < 0 || rh > 100)) throw new InputError(file, `line ${row.lineNo}, column 'relative_humidity': ${rh} outside [0, 100]`);
    return {
      site_id: requiredString(row, 'site_id', file),
      datetime: requiredString(row, 'datetime', file),
      time_ms: requiredTime(row, 'datetime', file, o),
      temperature_c: optionalNumber(row, 'temperature_c', file),
      relative_humidity: rh,
      wind_u: optionalNumber(row, 'wind_u', file),
      wind_v: optionalNumber(row, 'wind_v', file),
    };
  });
}

export function readWeatherCsv(file: string, o: TimeOptions = {}): WeatherRow[] {
  return parseWeatherCsv(readCsvText(file), file, o);
}

/** weather.csv text, values to one decimal, blank for missing. */
export function formatWeatherCsv(rows: readonly WeatherRecord[]): string {
  const cell = (v: number | null) => (v === null ? '' : formatDecimal(v, 1));
  const lines = rows.map((r) => [r.site_id, r.datetime, ...WEATHER_VALUES.map((k) => cell(r[k]))].join(','));
  return `${WEATHER_COLUMNS.join(',')}\n${lines.map((l) => `${l}\n`).join('')}`;
}

/** The longest gap between two samples that an overpass may be interpolated across. */
export const DEFAULT_MAX_GAP_HOURS = 2;

/** Weather of one site at one time; each value null where it cannot be had. */
export type WeatherAtTime = Pick<WeatherRecord, WeatherValue>;

/**
 * The one join rule for weather: the rows of the overpass's site around its time, linearly
 * interpolated (a row at the very time is taken as is); refused (null) before the first row,
 * after the last, or where the two rows around the overpass are more than `maxGapHours`
 * apart. A value missing in either row is missing in the result.
 * @returns a lookup (site_id, epoch ms) → weather, or null without a usable pair of rows
 */
export function weatherAt(rows: readonly WeatherRow[], maxGapHours = DEFAULT_MAX_GAP_HOURS): (siteId: string, timeMs: number) => WeatherAtTime | null {
  const bySite = new Map<string, WeatherRow[]>();
  for (const r of rows) {
    const list = bySite.get(r.site_id);
    if (list) list.push(r);
    else bySite.set(r.site_id, [r]);
  }
  for (const list of bySite.values()) list.sort((a, b) => a.time_ms - b.time_ms);
  const maxGapMs = maxGapHours * 3_600_000;
  return (siteId, t) => {
    const list = bySite.get(siteId);
    if (!list) return null;
    const b = bracket(list, t, maxGapMs);
    if (b.kind === 'gap' || b.kind === 'outside') return null;
    const out = {} as WeatherAtTime;
    for (const k of WEATHER_VALUES) out[k] = interpolate(b, (r) => r[k]);
    return out;
  };
}
