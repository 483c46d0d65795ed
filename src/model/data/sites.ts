/**
 * Plant metadata from the sites GeoJSON (Point features with `site_id`, `name`, `fuel`,
 * `technology`, `capacity_mw`). The model only needs fuel and capacity; the rest is carried
 * for reports.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { parseSites } from '../../geo/sites.js';
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
 * Parses a sites FeatureCollection for the model: the GeoJSON, geometry and site_id checks
 * are geo/sites.ts's (one parser for every stage); the model adds that each plant has a
 * known fuel and a positive capacity, since both are model inputs.
 * @throws InputError naming the file and the site for an unknown fuel or a missing or
 *   non-positive capacity, and whatever parseSites throws.
 */
export function parseSitesGeoJson(text: string, file: string): SiteMeta[] {
  return parseSites(text, file).map((s) => {
    const at = `site_id '${s.site_id}'`;
    if (!isFuel(s.fuel)) throw new InputError(file, `${at}: unknown fuel '${String(s.fuel)}' (expected ${FUELS.join('|')})`);
    if (!(s.capacity_mw !== null && s.capacity_mw > 0)) throw new InputError(file, `${at}: capacity_mw must be a positive number`);
    const out: SiteMeta = { site_id: s.site_id, fuel: s.fuel, capacity_mw: s.capacity_mw, lon: s.lon, lat: s.lat };
    if (s.name !== null) out.name = s.name;
    if (s.technology !== null) out.technology = s.technology;
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
