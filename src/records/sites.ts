/**
 * `sites.geojson`: plant sites as GeoJSON Point features in WGS 84 (RFC 7946) with a
 * `site_id` property and, when known, `name`, `fuel`, `technology` and `capacity_mw`. The one
 * home of the format: the `Site` type every stage uses, its parser and its writer. Tiling
 * needs only where a site is; the model narrows a site to `ModelSite` (known fuel, positive
 * capacity, both model inputs) with `toModelSites`. A run reads the file once.
 *
 * Every problem is an InputError naming the file and the feature, because a site list drives
 * every later stage and a silently dropped plant is worse than a failed run. `site_id`
 * becomes a file name, so path tricks are refused.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

/** The fuels co2sat models, as written in a sites file's `fuel` property. */
export type Fuel = 'lignite' | 'coal' | 'gas' | 'oil';
export const FUELS: readonly Fuel[] = ['lignite', 'coal', 'gas', 'oil'];

export function isFuel(value: unknown): value is Fuel {
  return typeof value === 'string' && (FUELS as readonly string[]).includes(value);
}

/**
 * The cooling technologies co2sat knows, as written in a sites file's `technology` property:
 * what a plant's waste heat looks like from above. Natural- and mechanical-draught towers and
 * wet FGD stacks make vapour plumes; once-through (river, sea) and air cooling make next to
 * none, so their plants' state barely shows in visible and SWIR bands. Other values are kept
 * as written and count as unknown to the model.
 */
export type Cooling = 'natural_draught' | 'wet_fgd_stack' | 'mechanical_draught' | 'once_through' | 'air';
export const COOLINGS: readonly Cooling[] = ['natural_draught', 'wet_fgd_stack', 'mechanical_draught', 'once_through', 'air'];

export function isCooling(value: unknown): value is Cooling {
  return typeof value === 'string' && (COOLINGS as readonly string[]).includes(value);
}

/** The coolings whose heat leaves as a vapour plume, so a plant's state can show in its images. */
export const PLUME_COOLINGS: readonly Cooling[] = ['natural_draught', 'wet_fgd_stack', 'mechanical_draught'];

/** Whether a plant's cooling can show a plume (`plume`), cannot (`no_plume`), or is not known. */
export type CoolingClass = 'plume' | 'no_plume' | 'unknown';
export const COOLING_CLASSES: readonly CoolingClass[] = ['plume', 'no_plume', 'unknown'];

export function coolingClassOf(technology: string | null | undefined): CoolingClass {
  if (!isCooling(technology)) return 'unknown';
  return PLUME_COOLINGS.includes(technology) ? 'plume' : 'no_plume';
}

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
  /**
   * Other string or number properties, kept as they are (e.g. `source`, `country`, and the
   * source's ids `gppd_idnr` or `eic_p` that `sites import` writes so labels can be matched).
   */
  extra?: Record<string, string | number>;
}

const KNOWN_PROPERTIES = new Set(['site_id', 'name', 'fuel', 'technology', 'capacity_mw']);

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
    const extra: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(props)) if (!KNOWN_PROPERTIES.has(k) && (typeof v === 'string' || typeof v === 'number')) extra[k] = v;
    const site: Site = { site_id, lon, lat, fuel, capacity_mw: typeof cap === 'number' ? cap : null, name: text(props.name), technology: text(props.technology) };
    if (Object.keys(extra).length > 0) site.extra = extra;
    sites.push(site);
  });
  if (sites.length === 0) throw new InputError(file, 'no Point features: a sites file needs at least one site');
  return sites;
}

/** A sites file as read: its text (for content hashes) and its checked sites. */
export interface SitesFile {
  file: string;
  text: string;
  sites: Site[];
}

function cannotRead(file: string, err: unknown): InputError {
  return new InputError(file, `cannot read sites file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
}

/** Reads and checks a sites file. @throws InputError naming the file and the feature */
export async function readSitesFile(file: string): Promise<SitesFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw cannotRead(file, err);
  }
  return { file, text, sites: parseSites(text, file) };
}

/** `readSitesFile` for the synchronous callers (training data loading). */
export function readSitesFileSync(file: string): SitesFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw cannotRead(file, err);
  }
  return { file, text, sites: parseSites(text, file) };
}

/** Reads and checks a sites file. @throws InputError naming the file and the feature */
export async function loadSites(file: string): Promise<Site[]> {
  return (await readSitesFile(file)).sites;
}

/** A site as the model needs it: a fuel it knows and a positive capacity. */
export interface ModelSite extends Site {
  fuel: Fuel;
  capacity_mw: number;
}

/**
 * Narrows parsed sites for the model.
 * @param file the sites file, for error messages
 * @throws InputError naming the file and the site for an unknown fuel or a missing or
 *   non-positive capacity
 */
export function toModelSites(sites: readonly Site[], file: string): ModelSite[] {
  return sites.map((s) => {
    const at = `site_id '${s.site_id}'`;
    if (!isFuel(s.fuel)) throw new InputError(file, `${at}: unknown fuel '${String(s.fuel)}' (expected ${FUELS.join('|')})`);
    if (!(s.capacity_mw !== null && s.capacity_mw > 0)) throw new InputError(file, `${at}: capacity_mw must be a positive number`);
    return { ...s, fuel: s.fuel, capacity_mw: s.capacity_mw };
  });
}

/**
 * Writes sites as an RFC 7946 FeatureCollection: lon/lat rounded to 7 decimals (~1 cm), flat
 * properties in the order site_id, name, fuel, technology, capacity_mw, then the extras; unknown
 * values left out,
 * one feature per line group (`JSON.stringify(…, null, 1)`) so diffs stay readable.
 */
export function formatSitesGeoJson(sites: readonly Site[]): string {
  const features = sites.map((s) => {
    const properties: Record<string, string | number> = { site_id: s.site_id };
    if (s.name !== null) properties.name = s.name;
    if (s.fuel !== null) properties.fuel = s.fuel;
    if (s.technology !== null) properties.technology = s.technology;
    if (s.capacity_mw !== null) properties.capacity_mw = s.capacity_mw;
    for (const [k, v] of Object.entries(s.extra ?? {})) if (!KNOWN_PROPERTIES.has(k)) properties[k] = v;
    return { type: 'Feature', geometry: { type: 'Point', coordinates: [Number(s.lon.toFixed(7)), Number(s.lat.toFixed(7))] }, properties };
  });
  return `${JSON.stringify({ type: 'FeatureCollection', features }, null, 1)}\n`;
}

/** Reads a sites file and narrows it for the model (`readSitesFileSync` + `toModelSites`). */
export function readModelSites(file: string): ModelSite[] {
  return toModelSites(readSitesFileSync(file).sites, file);
}
