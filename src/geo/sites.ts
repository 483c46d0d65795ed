/**
 * Plant sites: GeoJSON Point features in WGS 84 (RFC 7946) with a `site_id` property and,
 * when known, `fuel` and `capacity_mw`. Every problem is an InputError naming the file and
 * the feature, because a site list drives every later stage and a silently dropped plant
 * is worse than a failed run. `site_id` becomes a file name, so path tricks are refused.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

export interface Site {
  site_id: string;
  /** WGS 84 longitude, degrees east. */
  lon: number;
  /** WGS 84 latitude, degrees north. */
  lat: number;
  fuel: string | null;
  capacity_mw: number | null;
  name: string | null;
  technology: string | null;
}

/** Why `id` cannot be a site id (used as a file name), or null when it is fine. */
export function siteIdProblem(id: string): string | null {
  if (id.length === 0) return 'is empty';
  if (id.length > 200) return 'is longer than 200 characters';
  if (id.includes('/') || id.includes('\\')) return "contains a path separator ('/' or '\\')";
  if (id.includes('..')) return "contains '..'";
  if (id === '.' || id.startsWith('.')) return "starts with '.'";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) return 'contains control characters';
  return null;
}

/** Parses and checks a sites GeoJSON text; `file` only names the source in errors. */
export function parseSites(text: string, file: string): Site[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, `not GeoJSON: not valid JSON (${(err as Error).message})`);
  }
  const root = raw as Record<string, unknown>;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw new InputError(file, 'not GeoJSON: expected a FeatureCollection object');
  let features: unknown[];
  if (root.type === 'FeatureCollection' && Array.isArray(root.features)) features = root.features;
  else if (root.type === 'Feature') features = [root];
  else throw new InputError(file, `not GeoJSON: expected a FeatureCollection, got type ${JSON.stringify(root.type)}`);
  const crs = root.crs as { properties?: { name?: string } } | undefined;
  if (crs?.properties?.name && !/CRS84|EPSG:?:?4326/i.test(crs.properties.name)) {
    throw new InputError(file, `sites must be WGS 84 longitude/latitude (RFC 7946), file declares crs ${crs.properties.name}`);
  }
  const sites: Site[] = [];
  const seen = new Set<string>();
  features.forEach((f, i) => {
    const feat = f as Record<string, unknown>;
    const where = `feature ${i + 1}`;
    if (typeof feat !== 'object' || feat === null || feat.type !== 'Feature') throw new InputError(file, `${where}: not a GeoJSON Feature`);
    const geom = feat.geometry as { type?: unknown; coordinates?: unknown } | null;
    const props = (feat.properties ?? {}) as Record<string, unknown>;
    const rawId = props.site_id;
    if (typeof rawId !== 'string' && typeof rawId !== 'number') throw new InputError(file, `${where}: missing 'site_id' property`);
    const site_id = String(rawId);
    const idProblem = siteIdProblem(site_id);
    if (idProblem) throw new InputError(file, `${where}: site_id ${JSON.stringify(site_id)} ${idProblem}`);
    const at = `${where} (site_id '${site_id}')`;
    if (seen.has(site_id)) throw new InputError(file, `${at}: duplicate site_id`);
    seen.add(site_id);
    if (!geom || geom.type !== 'Point') throw new InputError(file, `${at}: geometry must be a Point, got ${geom ? JSON.stringify(geom.type) : 'null'}`);
    const c = geom.coordinates;
    if (!Array.isArray(c) || c.length < 2 || !c.slice(0, 2).every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new InputError(file, `${at}: coordinates must be [longitude, latitude] numbers`);
    }
    const [lon, lat] = c as [number, number];
    if (lon < -180 || lon > 180) throw new InputError(file, `${at}: longitude ${lon} out of range [-180, 180]`);
    if (lat < -90 || lat > 90) throw new InputError(file, `${at}: latitude ${lat} out of range [-90, 90]`);
    const fuel = typeof props.fuel === 'string' && props.fuel.length > 0 ? props.fuel : null;
    const cap = props.capacity_mw;
    if (cap !== undefined && cap !== null && !(typeof cap === 'number' && Number.isFinite(cap) && cap >= 0)) {
      throw new InputError(file, `${at}: capacity_mw must be a non-negative number, got ${JSON.stringify(cap)}`);
    }
    const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
    sites.push({ site_id, lon, lat, fuel, capacity_mw: typeof cap === 'number' ? cap : null, name: text(props.name), technology: text(props.technology) });
  });
  if (sites.length === 0) throw new InputError(file, 'no Point features: a sites file needs at least one site');
  return sites;
}

/** Reads and checks a sites file. @throws InputError naming the file and the feature */
export async function loadSites(file: string): Promise<Site[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot read sites file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseSites(text, file);
}
