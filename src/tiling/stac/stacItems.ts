/**
 * STAC input: an Item, ItemCollection or FeatureCollection JSON file (or a folder of them)
 * read as per-band scenes. Each item is one scene: its id is the scene id, its
 * `properties.datetime` the acquisition time, its assets the band files. An asset becomes
 * band X of a band set when its `eo:bands` name, its asset key or its common name (through
 * the alias table, Earth Search style `red`/`nir`/`scl`) is X (Planetary Computer style
 * `B04`/`SCL`). Hrefs may be relative (to the JSON file), `file://` or `http(s)://`.
 * `proj:epsg` / `proj:wkt2` are carried on the scene ref for the CRS code.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { isRemoteHref } from '../../geo/source/byteSource.js';
import { httpValidators } from '../../geo/source/httpSource.js';
import { preferredBandSet, type BandSet } from '../bandSet.js';
import type { DiscoverOptions, PerBandSceneRef, StacSceneFacts } from '../discoverScenes.js';

/**
 * Asset keys and `eo:bands` common names → band ids, tried in order (the first id the band
 * set has wins). Sentinel-2 names as Earth Search v1 writes them; Landsat as USGS/Earth
 * Search Collection 2 items do.
 */
const ALIASES: Record<string, string[]> = {
  COASTAL: ['B01', 'B1'],
  BLUE: ['B02', 'B2'],
  GREEN: ['B03', 'B3'],
  RED: ['B04', 'B4'],
  REDEDGE1: ['B05'],
  REDEDGE2: ['B06'],
  REDEDGE3: ['B07'],
  NIR: ['B08', 'B5'],
  NIR08: ['B8A', 'B5'],
  NIR09: ['B09'],
  CIRRUS: ['B10', 'B9'],
  SWIR16: ['B11', 'B6'],
  SWIR22: ['B12', 'B7'],
  LWIR11: ['B10'],
  LWIR12: ['B11'],
  SCL: ['SCL'],
};

/** GeoTIFF assets only: JP2 copies (`red-jp2`) and thumbnails are not bands. */
function isTiffAsset(key: string, a: StacAsset): boolean {
  if (typeof a.type === 'string') return /image\/tiff|geotiff/i.test(a.type);
  return /\.tiff?(\?|#|$)/i.test(a.href) && !/jp2/i.test(key);
}

interface StacAsset {
  href: string;
  type?: string;
  'eo:bands'?: { name?: string; common_name?: string }[];
  bands?: { name?: string; 'eo:common_name'?: string }[];
  'proj:epsg'?: number | null;
  'proj:code'?: string | null;
  'proj:wkt2'?: string | null;
}

interface StacItem {
  id: string;
  properties: Record<string, unknown>;
  assets: Record<string, StacAsset>;
}

/** Band ids an asset could be, most specific first. */
function candidateIds(key: string, a: StacAsset): string[] {
  const names: string[] = [];
  for (const b of a['eo:bands'] ?? []) if (typeof b.name === 'string') names.push(b.name);
  for (const b of a.bands ?? []) if (typeof b.name === 'string') names.push(b.name);
  names.push(key);
  for (const b of a['eo:bands'] ?? []) if (typeof b.common_name === 'string') names.push(b.common_name);
  for (const b of a.bands ?? []) if (typeof b['eo:common_name'] === 'string') names.push(b['eo:common_name']);
  const out: string[] = [];
  for (const n of names) {
    const up = n.toUpperCase().replace(/[^A-Z0-9]/g, '');
    // As written first (Landsat C2 band ids keep their underscore: SR_B4, QA_PIXEL).
    out.push(n.toUpperCase(), up, ...(ALIASES[up] ?? []));
    // Landsat C2 keys: SR_B4, ST_B10.
    const landsat = /^S[RT]B(\d+)$/.exec(up);
    if (landsat) out.push(`B${landsat[1]}`);
  }
  return out;
}

function fail(file: string, problem: string): never {
  throw new InputError(file, problem);
}

/** The items of one parsed JSON document; problems name the file and the item. */
export function itemsOf(doc: unknown, file: string): StacItem[] {
  const o = doc as Record<string, unknown>;
  if (typeof o !== 'object' || o === null) fail(file, 'not a STAC Item or ItemCollection (not a JSON object)');
  const list: unknown[] = o.type === 'FeatureCollection' && Array.isArray(o.features) ? o.features : o.type === 'Feature' ? [o] : fail(file, `not a STAC Item or ItemCollection: 'type' is ${JSON.stringify(o.type)}, expected "Feature" or "FeatureCollection"`);
  return list.map((raw, i) => {
    const it = raw as Record<string, unknown>;
    const where = o.type === 'Feature' ? '' : `features[${i}]`;
    const at = (k: string): string => (where ? `${where}.${k}` : k);
    if (typeof it !== 'object' || it === null || typeof it.id !== 'string' || it.id.length === 0) fail(file, `${at('id')} must be a non-empty string`);
    if (typeof it.properties !== 'object' || it.properties === null) fail(file, `${at('properties')} missing (item ${it.id})`);
    if (typeof it.assets !== 'object' || it.assets === null) fail(file, `${at('assets')} missing (item ${it.id})`);
    for (const [k, a] of Object.entries(it.assets as Record<string, unknown>)) {
      if (typeof a !== 'object' || a === null || typeof (a as StacAsset).href !== 'string') fail(file, `${at(`assets.${k}.href`)} must be a string (item ${it.id})`);
    }
    return { id: it.id, properties: it.properties as Record<string, unknown>, assets: it.assets as Record<string, StacAsset> };
  });
}

/** An asset href as something Raster.open reads: an absolute path or a URL. */
export function resolveHref(href: string, jsonFile: string): string {
  if (isRemoteHref(href) || /^file:\/\//i.test(href)) return href;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(href)) fail(jsonFile, `asset href '${href}': only relative paths, file:// and http(s):// are read (s3:// etc. need a signed https URL)`);
  return path.resolve(path.dirname(jsonFile), href);
}

/** The item's acquisition time as ISO 8601 UTC, keeping sub-second digits, or null. */
function itemDatetime(item: StacItem): string | null {
  const p = item.properties;
  const t = typeof p.datetime === 'string' ? p.datetime : typeof p.start_datetime === 'string' ? p.start_datetime : null;
  if (!t || Number.isNaN(Date.parse(t))) return null;
  const iso = new Date(Date.parse(t)).toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
}

function projOf(item: StacItem, assets: StacAsset[]): Pick<StacSceneFacts, 'epsg' | 'wkt2'> {
  const sources: Record<string, unknown>[] = [item.properties, ...(assets as unknown as Record<string, unknown>[])];
  let epsg: number | null = null;
  let wkt2: string | null = null;
  for (const s of sources) {
    if (epsg === null && typeof s['proj:epsg'] === 'number') epsg = s['proj:epsg'];
    if (epsg === null && typeof s['proj:code'] === 'string') {
      const m = /^EPSG:(\d+)$/i.exec(s['proj:code']);
      if (m) epsg = Number(m[1]);
    }
    if (wkt2 === null && typeof s['proj:wkt2'] === 'string') wkt2 = s['proj:wkt2'];
  }
  return { epsg, wkt2 };
}

/** What identifies a file's version: size+mtime locally, ETag/Last-Modified remotely. */
async function versionOf(href: string): Promise<string> {
  try {
    if (isRemoteHref(href)) {
      const v = await httpValidators(href);
      return `${v.etag ?? ''}\0${v.lastModified ?? ''}`;
    }
    const st = await fs.stat(href.startsWith('file:') ? new URL(href) : href);
    return `${st.size}\0${Math.round(st.mtimeMs)}`;
  } catch {
    // Unreachable now: the scene fails when opened; the key still names the href.
    return 'unavailable';
  }
}

function matchAssets(item: StacItem, set: BandSet): { files: Map<string, [string, StacAsset]>; mask: [string, StacAsset] | null; problem: string | null } {
  const wanted = new Set(set.bands.map((b) => b.id));
  const maskId = set.cloud_mask?.band ?? null;
  const files = new Map<string, [string, StacAsset]>();
  let mask: [string, StacAsset] | null = null;
  for (const [key, asset] of Object.entries(item.assets).sort(([a], [b]) => a.localeCompare(b))) {
    if (!isTiffAsset(key, asset)) continue;
    // A multi-band asset (Earth Search's `visual` true-colour image) is not a band file.
    if ((asset['eo:bands']?.length ?? 0) > 1 || (asset.bands?.length ?? 0) > 1) continue;
    const id = candidateIds(key, asset).find((c) => wanted.has(c) || c === maskId);
    if (!id) continue;
    if (id === maskId) {
      if (mask) return { files, mask, problem: `two assets for cloud mask ${id}: ${mask[0]}, ${key}` };
      mask = [key, asset];
    } else {
      const prev = files.get(id);
      if (prev) return { files, mask, problem: `two assets for band ${id}: ${prev[0]}, ${key}` };
      files.set(id, [key, asset]);
    }
  }
  const missing = set.bands.filter((b) => !files.has(b.id)).map((b) => b.id);
  return { files, mask, problem: missing.length > 0 ? `missing band${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (band set ${set.name})` : null };
}

/** One item as a per-band scene; the first complete band set wins, as for folders. */
export async function sceneOfItem(item: StacItem, jsonFile: string, opts: DiscoverOptions): Promise<PerBandSceneRef> {
  const best = preferredBandSet(opts.bandSets, (set) => matchAssets(item, set));
  if (!best) fail(jsonFile, 'no band sets to match assets against');
  const { set, m } = best;
  const bandFiles: [string, string][] = set.bands.filter((b) => m.files.has(b.id)).map((b) => [b.id, resolveHref(m.files.get(b.id)![1].href, jsonFile)]);
  const maskFile = m.mask ? resolveHref(m.mask[1].href, jsonFile) : null;
  const hrefs = [...bandFiles.map(([, f]) => f), ...(maskFile ? [maskFile] : [])];
  const h = createHash('sha256');
  h.update(`${item.id}\n`);
  for (const href of hrefs) h.update(`${href}\0${await versionOf(href)}\n`);
  h.update(JSON.stringify({ ...opts.params, bandSet: set.name }));
  const used = [...m.files.values(), ...(m.mask ? [m.mask] : [])].map(([, a]) => a);
  return {
    kind: 'per-band',
    scene_id: item.id,
    source: `${jsonFile}#${item.id}`,
    bandSet: set,
    bandFiles,
    maskFile,
    fingerprint: h.digest('hex').slice(0, 32),
    problem: m.problem,
    stac: { item_id: item.id, datetime: itemDatetime(item), ...projOf(item, used) },
  };
}

/** Reads a JSON file's items. @throws InputError naming the file */
export async function readStacFile(file: string): Promise<StacItem[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    fail(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    fail(file, `not valid JSON: ${(err as Error).message}`);
  }
  return itemsOf(doc, file);
}

/** The JSON files a STAC input names: the file itself, or a folder's *.json files. */
export async function stacFilesOf(input: string): Promise<string[] | null> {
  if (/\.(geo)?json$/i.test(input)) return [input];
  let names: string[];
  try {
    names = await fs.readdir(input);
  } catch {
    return null;
  }
  const json = names.filter((n) => /\.json$/i.test(n) && !n.startsWith('.')).sort();
  // A folder of items holds JSON and no GeoTIFFs or scene subfolders.
  if (json.length === 0) return null;
  for (const n of names) {
    if (n.startsWith('.') || /\.json$/i.test(n)) continue;
    if (/\.tiff?$/i.test(n)) return null;
    const st = await fs.stat(path.join(input, n));
    if (st.isDirectory()) return null;
  }
  return json.map((n) => path.join(input, n));
}

/** Every item of the STAC input as a scene, in file then item order. */
export async function discoverStacScenes(files: string[], opts: DiscoverOptions): Promise<PerBandSceneRef[]> {
  const scenes: PerBandSceneRef[] = [];
  for (const f of files) for (const item of await readStacFile(f)) scenes.push(await sceneOfItem(item, f, opts));
  if (scenes.length === 0) fail(files[0] ?? '.', 'no STAC items');
  return scenes;
}
