/**
 * Finds the scenes of a scenes folder: each GeoTIFF directly in it is a multiband scene;
 * each subfolder of single-band GeoTIFFs is a per-band scene whose files are matched to a
 * band set's ids; each Sentinel-2 SAFE folder (L1C or L2A, JPEG 2000 bands) is a per-band
 * scene too (safe/safeScene.ts), and the scenes folder may itself be one. Problems of one scene (a missing band, two files for one band) are
 * recorded on that scene so the run reports it and goes on; an unreadable or empty
 * folder is an InputError (nothing to do).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { GeoTransform } from '../geo/geoTransform.js';
import { bandIdOf, preferredBandSet, type BandSet } from './bandSet.js';
import { parseMtlDatetime, mtlFileOf } from '../records/landsatMtl.js';
import { sceneIdOfFile } from './sceneName.js';
import { safeProductFile, safeScene, zippedSafeScene } from './safe/safeScene.js';
import { discoverStacScenes, stacFilesOf } from './stac/stacItems.js';

const TIFF = /\.tiff?$/i;

export interface MultibandSceneRef {
  kind: 'multiband';
  scene_id: string;
  /** The file as found under the scenes folder (the manifest's `source`). */
  source: string;
  fingerprint: string;
}

export interface PerBandSceneRef {
  kind: 'per-band';
  scene_id: string;
  /** The folder as found under the scenes folder. */
  source: string;
  bandSet: BandSet;
  /** Band id → file, in band-set order. */
  bandFiles: [string, string][];
  /** The cloud-mask file (SCL), when the band set has one and the folder holds it. */
  maskFile: string | null;
  fingerprint: string;
  /** Why this folder cannot be tiled (missing band …); set instead of throwing. */
  problem: string | null;
  /** Facts from the STAC item, for scenes read from one (src/tiling/stac). */
  stac?: StacSceneFacts;
  /** Acquisition time from the product's own metadata (Landsat MTL, SAFE MTD), ISO 8601 UTC. */
  productDatetime?: string;
  /**
   * Georeferencing of band files that carry none of their own, by file path: the JPEG 2000
   * bands of a SAFE product, placed by the granule's MTD_TL.xml (see safe/safeScene.ts).
   */
  sidecarGeoref?: Record<string, SidecarGeoref>;
}

/** Where a band file without georeferencing lies: its grid as the product metadata gives it. */
export interface SidecarGeoref {
  geoTransform: GeoTransform;
  epsg: number;
  /** The grid's size in pixels; the file must have exactly this size. */
  width: number;
  height: number;
  /** Value of pixels without data, or null. */
  nodata: number | null;
  /** Where the numbers come from, for messages ('MTD_TL.xml at 10 m'). */
  from: string;
}

/** What a STAC item says about its scene, beyond the band files. */
export interface StacSceneFacts {
  item_id: string;
  /** `properties.datetime` as ISO 8601 UTC (sub-second digits kept), or null. */
  datetime: string | null;
  /** `proj:epsg` (or `proj:code` EPSG:n) of the item or its band assets, or null. */
  epsg: number | null;
  /** `proj:wkt2` of the item or its band assets, or null. */
  wkt2: string | null;
}

export type SceneRef = MultibandSceneRef | PerBandSceneRef;

export interface DiscoverOptions {
  /** Band sets to try for per-band folders, in order of preference: the first complete one wins. */
  bandSets: BandSet[];
  /** Tiling parameters folded into fingerprints, so changing them redoes the patches. */
  params: Record<string, unknown>;
}

/** A scene's version: its files' names, sizes and mtimes, and the tiling parameters. */
export async function fingerprintOf(files: string[], params: Record<string, unknown>): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    const st = await fs.stat(f);
    h.update(`${path.basename(f)}\0${st.size}\0${Math.round(st.mtimeMs)}\n`);
  }
  h.update(JSON.stringify(params));
  return h.digest('hex').slice(0, 32);
}

/** Matches a folder's files to one band set; returns the problem or the mapping. */
function matchBands(names: string[], set: BandSet): { files: Map<string, string>; mask: string | null; problem: string | null } {
  const files = new Map<string, string>();
  let mask: string | null = null;
  for (const name of names) {
    const id = bandIdOf(name, set);
    if (!id) continue;
    if (set.cloud_mask && id === set.cloud_mask.band) {
      if (mask) return { files, mask, problem: `two files for cloud mask ${id}: ${mask}, ${name}` };
      mask = name;
      continue;
    }
    if (!set.bands.some((b) => b.id === id)) continue;
    const prev = files.get(id);
    if (prev) return { files, mask, problem: `two files for band ${id}: ${prev}, ${name}` };
    files.set(id, name);
  }
  const missing = set.bands.filter((b) => !files.has(b.id)).map((b) => b.id);
  return { files, mask, problem: missing.length > 0 ? `missing band${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (band set ${set.name})` : null };
}

async function perBandScene(dir: string, name: string, opts: DiscoverOptions): Promise<PerBandSceneRef | null> {
  const all = (await fs.readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  const names = all.filter((n) => TIFF.test(n));
  if (names.length === 0) return null;
  const mtl = mtlFileOf(all);
  const productDatetime = mtl ? parseMtlDatetime(await fs.readFile(path.join(dir, mtl), 'utf8'), path.join(dir, mtl)) : null;
  const best = preferredBandSet(opts.bandSets, (set) => matchBands(names, set));
  if (best === null) return null;
  const { set, m } = best;
  const bandFiles: [string, string][] = set.bands.filter((b) => m.files.has(b.id)).map((b) => [b.id, path.join(dir, m.files.get(b.id)!)]);
  const maskFile = m.mask ? path.join(dir, m.mask) : null;
  const files = [...bandFiles.map(([, f]) => f), ...(maskFile ? [maskFile] : []), ...(mtl ? [path.join(dir, mtl)] : [])];
  return {
    kind: 'per-band',
    scene_id: name,
    source: dir,
    bandSet: set,
    bandFiles,
    maskFile,
    fingerprint: await fingerprintOf(files, { ...opts.params, bandSet: set.name }),
    problem: m.problem,
    ...(productDatetime ? { productDatetime } : {}),
  };
}

/**
 * Every scene in `scenesDir`, sorted by scene id. `scenesDir` may also be a STAC Item /
 * ItemCollection JSON file or a folder of them (see stac/stacItems.ts).
 * @throws InputError when the folder is missing, unreadable or holds no GeoTIFFs
 */
export async function discoverScenes(scenesDir: string, opts: DiscoverOptions): Promise<SceneRef[]> {
  const stacFiles = await stacFilesOf(scenesDir);
  if (stacFiles) return uniqueIds(scenesDir, await discoverStacScenes(stacFiles, opts));
  if (await safeProductFile(scenesDir)) return [await safeScene(scenesDir, opts)];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(scenesDir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(scenesDir, code === 'ENOENT' ? 'scenes folder not found' : code === 'ENOTDIR' ? 'not a folder' : `cannot read scenes folder: ${code ?? (err as Error).message}`);
  }
  const scenes: SceneRef[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(scenesDir, e.name);
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await fs.stat(full)).isDirectory());
    if (isDir && (await safeProductFile(full))) {
      scenes.push(await safeScene(full, opts));
    } else if (isDir) {
      const s = await perBandScene(full, e.name, opts);
      if (s) scenes.push(s);
    } else if (/^S2[A-D]_MSIL(1C|2A)_.*\.zip$/i.test(e.name)) {
      const s = await zippedSafeScene(full, opts);
      if (s) scenes.push(s);
    } else if (TIFF.test(e.name)) {
      scenes.push({ kind: 'multiband', scene_id: sceneIdOfFile(e.name), source: full, fingerprint: await fingerprintOf([full], opts.params) });
    }
  }
  if (scenes.length === 0) throw new InputError(scenesDir, 'no scenes: the folder holds no GeoTIFF files (*.tif), no subfolders of per-band GeoTIFFs and no Sentinel-2 SAFE folders');
  return uniqueIds(scenesDir, scenes);
}

function uniqueIds(scenesDir: string, scenes: SceneRef[]): SceneRef[] {
  const ids = new Map<string, string>();
  for (const s of scenes) {
    const prev = ids.get(s.scene_id);
    if (prev) throw new InputError(scenesDir, `two scenes share the id '${s.scene_id}': ${prev} and ${s.source}`);
    ids.set(s.scene_id, s.source);
  }
  return scenes.sort((a, b) => a.scene_id.localeCompare(b.scene_id));
}
