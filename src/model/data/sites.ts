/**
 * Plant metadata from the sites GeoJSON (Point features with `site_id`, `name`, `fuel`,
 * `technology`, `capacity_mw`). The model only needs fuel and capacity; the rest is carried
 * for reports.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../cli/errors.js';
import { FUELS, isFuel, type Fuel } from '../physics.js';

export interface SiteMeta {
  site_id: string;
  fuel: Fuel;
  capacity_mw: number;
  name?: string;
  technology?: string;
  /** WGS84 longitude, latitude. */
  lon?: number;
  lat?: number;
}

/**
 * Parses a sites FeatureCollection.
 * @throws InputError naming the file and feature index for an unknown fuel, a missing or
 *   non-positive capacity, or a missing/duplicated site_id.
 */
export function parseSitesGeoJson(text: string, file: string): SiteMeta[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError(file, 'not valid JSON');
  }
  const fc = raw as { type?: string; features?: unknown };
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new InputError(file, 'not a GeoJSON FeatureCollection');
  const seen = new Set<string>();
  return fc.features.map((f: unknown, i: number) => {
    const feat = f as { properties?: Record<string, unknown> | null; geometry?: { type?: string; coordinates?: unknown } | null };
    const p = feat.properties ?? {};
    const where = `feature ${i}`;
    const id = p.site_id;
    if (typeof id !== 'string' && typeof id !== 'number') throw new InputError(file, `${where}: missing site_id`);
    const site_id = String(id);
    if (seen.has(site_id)) throw new InputError(file, `${where}: duplicate site_id '${site_id}'`);
    seen.add(site_id);
    if (!isFuel(p.fuel)) throw new InputError(file, `${where} (${site_id}): unknown fuel '${String(p.fuel)}' (expected ${FUELS.join('|')})`);
    const cap = Number(p.capacity_mw);
    if (!(Number.isFinite(cap) && cap > 0)) throw new InputError(file, `${where} (${site_id}): capacity_mw must be a positive number`);
    const out: SiteMeta = { site_id, fuel: p.fuel, capacity_mw: cap };
    if (typeof p.name === 'string') out.name = p.name;
    if (typeof p.technology === 'string') out.technology = p.technology;
    const c = feat.geometry?.coordinates;
    if (feat.geometry?.type === 'Point' && Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') {
      out.lon = c[0];
      out.lat = c[1];
    }
    return out;
  });
}

export function readSitesGeoJson(file: string): SiteMeta[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read: ${(e as Error).message}`);
  }
  return parseSitesGeoJson(text, file);
}
