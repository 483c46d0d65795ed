/**
 * The per-overpass predictions as GIS layers, one row per site and overpass with the site's
 * point: `predictions.csv` (with a `.csvt` sidecar so OGR types each column; lon/lat columns
 * for `-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat`, or the `wkt` column) and
 * `predictions.geojsonl` (GeoJSON text sequence, one Feature per line: what GDAL's
 * GeoJSONSeq driver reads and writes for `.geojsonl`; RFC 8142's record separator is left out
 * as GDAL does for this extension). Both are derived from predictions.jsonl and the sites;
 * the columns and their types are declared once here.
 */
import type { PredictionRecord } from './predictions.js';
import { CSVT_TYPE, formatJsonValue, formatReal, type FieldList } from './fieldTypes.js';
import type { Site } from './sites.js';

/** One row: the prediction with its site's name, fuel, capacity and WGS 84 point. */
export interface PredictionTableRow extends Omit<PredictionRecord, 'fingerprint'> {
  name: string | null;
  fuel: string | null;
  capacity_mw: number | null;
  lon: number;
  lat: number;
}

export const PREDICTION_TABLE_FIELDS: FieldList<PredictionTableRow> = [
  ['site_id', 'string'],
  ['name', 'string'],
  ['fuel', 'string'],
  ['capacity_mw', 'real'],
  ['lon', 'real'],
  ['lat', 'real'],
  ['scene_id', 'string'],
  ['datetime', 'datetime'],
  ['valid_fraction', 'real'],
  ['cloud_fraction', 'real'],
  ['p_on', 'real'],
  ['generation_mw', 'real'],
  ['generation_mw_sd', 'real'],
  ['generation_mw_p05', 'real'],
  ['generation_mw_p95', 'real'],
  ['co2_t_per_h', 'real'],
  ['co2_t_per_h_sd', 'real'],
  ['co2_t_per_h_p05', 'real'],
  ['co2_t_per_h_p95', 'real'],
  ['model_id', 'string'],
  ['backend', 'string'],
];

/**
 * The rows, sorted by site then time; predictions of sites not in `sites` are left out (and
 * returned) since they have no point.
 */
export function predictionTableRows(predictions: readonly PredictionRecord[], sites: readonly Site[]): { rows: PredictionTableRow[]; unknownSites: string[] } {
  const byId = new Map(sites.map((s) => [s.site_id, s]));
  const unknown = new Set<string>();
  const rows: PredictionTableRow[] = [];
  for (const p of predictions) {
    const s = byId.get(p.site_id);
    if (!s) {
      unknown.add(p.site_id);
      continue;
    }
    const { fingerprint: _fingerprint, ...rest } = p;
    rows.push({ ...rest, name: s.name, fuel: s.fuel, capacity_mw: s.capacity_mw, lon: Math.round(s.lon * 1e7) / 1e7, lat: Math.round(s.lat * 1e7) / 1e7 });
  }
  rows.sort((a, b) => a.site_id.localeCompare(b.site_id) || a.datetime.localeCompare(b.datetime) || a.scene_id.localeCompare(b.scene_id));
  return { rows, unknownSites: [...unknown].sort() };
}

function csvCell(type: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (type === 'real' && typeof v === 'number') return formatReal(v);
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** WGS 84 as a `.prj` sidecar (WKT 1 with the EPSG authority), read by GDAL's CSV driver and QGIS. */
export const WGS84_PRJ =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]\n';

/**
 * predictions.csv text (RFC 4180, header line, empty cell = null), its GDAL `.csvt` (column
 * types; the `wkt` column is the geometry) and `.prj` (WGS 84).
 */
export function formatPredictionsCsv(rows: readonly PredictionTableRow[]): { csv: string; csvt: string; prj: string } {
  const header = [...PREDICTION_TABLE_FIELDS.map(([n]) => n), 'wkt'];
  const lines = rows.map((r) => [...PREDICTION_TABLE_FIELDS.map(([n, t]) => csvCell(t, r[n])), `"POINT (${r.lon} ${r.lat})"`].join(','));
  const csv = `${header.join(',')}\n${lines.map((l) => `${l}\n`).join('')}`;
  const csvt = `${[...PREDICTION_TABLE_FIELDS.map(([, t]) => `"${CSVT_TYPE[t]}"`), '"WKT"'].join(',')}\n`;
  return { csv, csvt, prj: WGS84_PRJ };
}

/** predictions.geojsonl text: one RFC 7946 Point Feature per line, typed properties. */
export function formatPredictionsGeojsonl(rows: readonly PredictionTableRow[]): string {
  const props = PREDICTION_TABLE_FIELDS.filter(([n]) => n !== 'lon' && n !== 'lat');
  return rows
    .map((r) => {
      const p = props.map(([n, t]) => `${JSON.stringify(n)}:${formatJsonValue(n, t, r[n])}`).join(',');
      return `{"type":"Feature","geometry":{"type":"Point","coordinates":[${JSON.stringify(r.lon)},${JSON.stringify(r.lat)}]},"properties":{${p}}}\n`;
    })
    .join('');
}
