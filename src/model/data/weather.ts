/**
 * `weather.csv`: plume-visibility covariates at each site and overpass
 * (`site_id,datetime,temperature_c,relative_humidity,wind_u,wind_v`; wind in m/s, u
 * towards east, v towards north). Blank cells are missing and imputed with training means.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { optionalNumber, readCsv, requiredString, requiredTime } from './csv.js';

export interface WeatherRow {
  site_id: string;
  datetime: string;
  time_ms: number;
  temperature_c: number | null;
  relative_humidity: number | null;
  /** Eastward wind (m/s). */
  wind_u: number | null;
  /** Northward wind (m/s). */
  wind_v: number | null;
}

export const WEATHER_COLUMNS = ['site_id', 'datetime', 'temperature_c', 'relative_humidity', 'wind_u', 'wind_v'] as const;

/**
 * Parses weather.csv text.
 * @throws InputError naming the file and line for a non-numeric value, a bad datetime or a
 *   relative humidity outside [0, 100].
 */
export function parseWeatherCsv(text: string, file: string): WeatherRow[] {
  return readCsv(text, file, WEATHER_COLUMNS).map((row) => {
    const rh = optionalNumber(row, 'relative_humidity', file);
    if (rh !== null && (rh < 0 || rh > 100)) throw new InputError(file, `line ${row.lineNo}: relative_humidity ${rh} outside [0, 100]`);
    return {
      site_id: requiredString(row, 'site_id', file),
      datetime: row.cells.datetime ?? '',
      time_ms: requiredTime(row, 'datetime', file),
      temperature_c: optionalNumber(row, 'temperature_c', file),
      relative_humidity: rh,
      wind_u: optionalNumber(row, 'wind_u', file),
      wind_v: optionalNumber(row, 'wind_v', file),
    };
  });
}

export function readWeatherCsv(file: string): WeatherRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read: ${(e as Error).message}`);
  }
  return parseWeatherCsv(text, file);
}
