/**
 * The sites file as post-processing sees it: the model's site metadata (parsed and checked
 * by src/model/data/sites.ts) narrowed to SiteInfo. Aggregates are placed on the map, so a
 * site without Point coordinates is an error naming the file and the site.
 */
import { InputError } from '../errors.js';
import type { SiteMeta } from '../model/data/sites.js';
import type { SiteInfo } from './siteInfo.js';

/**
 * @param sites parsed sites, in file order
 * @param file the sites file, for error messages
 * @throws InputError for a site without WGS84 Point coordinates
 */
export function siteInfoFromMeta(sites: readonly SiteMeta[], file: string): SiteInfo[] {
  return sites.map((s) => {
    if (typeof s.lon !== 'number' || typeof s.lat !== 'number' || !Number.isFinite(s.lon) || !Number.isFinite(s.lat)) {
      throw new InputError(file, `site '${s.site_id}' has no Point coordinates`);
    }
    if (Math.abs(s.lon) > 180 || Math.abs(s.lat) > 90) {
      throw new InputError(file, `site '${s.site_id}' has coordinates (${s.lon}, ${s.lat}) outside WGS84 lon/lat (RFC 7946 order is lon, lat)`);
    }
    return { site_id: s.site_id, lon: s.lon, lat: s.lat, name: s.name ?? null, fuel: s.fuel, capacity_mw: s.capacity_mw };
  });
}
