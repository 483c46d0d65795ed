/**
 * Reads back the per-site, per-window GeoJSON that formatGeoJSON.ts writes (sites.geojson of
 * `run` and `aggregate`), checking every property against the writer's SITE_FIELDS, so
 * `co2sat report RUN_DIR` can draw a run's windows without re-aggregating. Kept beside its
 * writer: the field table is the one description of the format.
 */
import { InputError } from '../errors.js';
import type { SiteWindowAggregate } from './aggregateSite.js';
import { SITE_FIELDS } from './formatGeoJSON.js';
import type { Site } from '../records/sites.js';

export interface ParsedAggregates {
  /** One per site_id, in order of first appearance. */
  sites: Site[];
  aggregates: SiteWindowAggregate[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * @param text the GeoJSON text
 * @param file its name, for messages
 * @throws InputError naming the file, the feature index and the field
 */
export function parseAggregatesGeoJSON(text: string, file: string): ParsedAggregates {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `not JSON: ${(e as Error).message}`);
  }
  if (!isRecord(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new InputError(file, 'expected a GeoJSON FeatureCollection (sites.geojson from co2sat run or aggregate)');
  }
  const sites = new Map<string, Site>();
  const aggregates = doc.features.map((f: unknown, i: number): SiteWindowAggregate => {
    const at = `feature ${i}`;
    if (!isRecord(f) || !isRecord(f.properties) || !isRecord(f.geometry) || f.geometry.type !== 'Point') throw new InputError(file, `${at}: expected a Point feature with properties`);
    const [lon, lat] = Array.isArray(f.geometry.coordinates) ? (f.geometry.coordinates as unknown[]) : [];
    if (typeof lon !== 'number' || typeof lat !== 'number' || Math.abs(lon) > 180 || Math.abs(lat) > 90) throw new InputError(file, `${at}: coordinates must be [lon, lat] in degrees`);
    const props = f.properties;
    const out: Record<string, unknown> = {};
    for (const [key, type] of SITE_FIELDS) {
      const v = props[key];
      const required = key === 'site_id' || key === 'window_start' || key === 'window_end' || key === 'window' || type === 'integer' || key === 'window_hours';
      if (v === null || v === undefined) {
        if (required) throw new InputError(file, `${at}: property '${key}' is missing (is this a co2sat sites.geojson with per-window properties?)`);
        out[key] = null;
        continue;
      }
      const ok =
        type === 'string' ? typeof v === 'string' :
        type === 'datetime' ? typeof v === 'string' && Number.isFinite(Date.parse(v)) :
        type === 'integer' ? Number.isInteger(v) && (v as number) >= 0 :
        typeof v === 'number' && Number.isFinite(v);
      if (!ok) throw new InputError(file, `${at}: property '${key}' must be ${type === 'datetime' ? 'an ISO 8601 time' : `a ${type}`}, got ${JSON.stringify(v)}`);
      out[key] = v;
    }
    const agg = out as unknown as SiteWindowAggregate;
    if (!sites.has(agg.site_id)) sites.set(agg.site_id, { site_id: agg.site_id, lon, lat, name: agg.name, fuel: agg.fuel, capacity_mw: agg.capacity_mw, technology: null });
    return agg;
  });
  return { sites: [...sites.values()], aggregates };
}
