/**
 * Serialises site features as a GeoJSON FeatureCollection that GIS readers type reliably.
 *
 * OGR (QGIS, ogr2ogr) infers a field's type from the JSON values it sees: `500` is an
 * Integer, `500.0` a Real, and a field seen as both becomes Real in one file but may be
 * Integer in another run where every value happened to be whole. So every property has a
 * declared type here, reals are always written with a decimal point or exponent, integers
 * never are, and nulls are allowed anywhere. Reals are rounded to 6 decimals. No `crs`
 * member (RFC 7946 §4: WGS84 is implied).
 */
import type { Feature, Point } from 'geojson';
import type { SiteWindowAggregate } from './aggregateSite.js';
import { formatJsonValue, type FieldList } from '../records/fieldTypes.js';


/** The declared type of every property, in the order they are written. */
export const SITE_FIELDS: FieldList<SiteWindowAggregate> = [
  ['site_id', 'string'],
  ['name', 'string'],
  ['fuel', 'string'],
  ['capacity_mw', 'real'],
  ['window', 'string'],
  ['window_start', 'datetime'],
  ['window_end', 'datetime'],
  ['window_hours', 'real'],
  ['p_on', 'real'],
  ['generation_mw', 'real'],
  ['generation_mw_sd', 'real'],
  ['generation_mw_p05', 'real'],
  ['generation_mw_p95', 'real'],
  ['capacity_factor', 'real'],
  ['co2_t_per_h', 'real'],
  ['co2_t_per_h_sd', 'real'],
  ['co2_t_per_h_p05', 'real'],
  ['co2_t_per_h_p95', 'real'],
  ['energy_mwh', 'real'],
  ['energy_mwh_p05', 'real'],
  ['energy_mwh_p95', 'real'],
  ['co2_t', 'real'],
  ['co2_t_p05', 'real'],
  ['co2_t_p95', 'real'],
  ['n_obs', 'integer'],
  ['n_valid', 'integer'],
  ['n_cloudy', 'integer'],
  ['model_id', 'string'],
  ['reason', 'string'],
];

/**
 * @param features Point features with SiteWindowAggregate properties (see toFeature)
 * @returns the FeatureCollection text: one feature per line, ending in a newline
 */
export function formatGeoJSON(features: readonly Feature<Point, SiteWindowAggregate>[]): string {
  const lines = features.map((f) => {
    const [lon, lat] = f.geometry.coordinates;
    const props = SITE_FIELDS.map(([name, type]) => `${JSON.stringify(name)}:${formatJsonValue(name, type, f.properties[name])}`).join(',');
    return `{"type":"Feature","geometry":{"type":"Point","coordinates":[${JSON.stringify(lon)},${JSON.stringify(lat)}]},"properties":{${props}}}`;
  });
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}
