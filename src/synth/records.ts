/**
 * The on-disk tables of a synthetic world, as typed records with their writers and
 * parsers: `labels.csv` (one row per site and acquisition; an empty cell is a missing
 * label) and `weather.csv`; `sites.geojson` is src/records/sites.ts's. Datetimes are the scene
 * acquisition times in ISO 8601 UTC, the same strings the tiling manifest carries, so
 * consumers join on (site_id, datetime).
 */

export const LABEL_COLUMNS = ['site_id', 'datetime', 'active', 'generation_mw', 'co2_t_per_h'] as const;
export const WEATHER_COLUMNS = ['site_id', 'datetime', 'temperature_c', 'relative_humidity', 'wind_u', 'wind_v'] as const;

export interface LabelRecord {
  site_id: string;
  datetime: string;
  /** null = missing label for this task. */
  active: boolean | null;
  generation_mw: number | null;
  co2_t_per_h: number | null;
}

export interface WeatherRecord {
  site_id: string;
  datetime: string;
  temperature_c: number;
  relative_humidity: number;
  /** m/s towards east. */
  wind_u: number;
  /** m/s towards north. */
  wind_v: number;
}

/** Shortest decimal for a value rounded to `digits` places (no trailing zeros, no "-0"). */
export function fmt(value: number, digits: number): string {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return String(Object.is(r, -0) ? 0 : r);
}

export function formatLabelsCsv(rows: readonly LabelRecord[]): string {
  const cell = (v: number | boolean | null, digits = 3) => (v === null ? '' : typeof v === 'boolean' ? (v ? '1' : '0') : fmt(v, digits));
  const lines = rows.map((r) => [r.site_id, r.datetime, cell(r.active), cell(r.generation_mw), cell(r.co2_t_per_h)].join(','));
  return `${LABEL_COLUMNS.join(',')}\n${lines.join('\n')}\n`;
}

export function formatWeatherCsv(rows: readonly WeatherRecord[]): string {
  const lines = rows.map((r) => [r.site_id, r.datetime, fmt(r.temperature_c, 1), fmt(r.relative_humidity, 1), fmt(r.wind_u, 1), fmt(r.wind_v, 1)].join(','));
  return `${WEATHER_COLUMNS.join(',')}\n${lines.join('\n')}\n`;
}
