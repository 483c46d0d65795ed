/**
 * A Sentinel-2 SAFE product folder (`S2B_MSIL2A_…_T32UPC_….SAFE/`, as the Copernicus Data
 * Space delivers it once unzipped) as a per-band scene. The product file (MTD_MSIL2A.xml or
 * MTD_MSIL1C.xml) gives the acquisition time and the nodata value; the one granule's
 * MTD_TL.xml gives the EPSG code and, per resolution, the grid every JPEG 2000 band file is
 * placed on. Band files are found under `GRANULE/<granule>/IMG_DATA/` (L1C: `T…_B04.jp2`;
 * L2A: `R10m/T…_B04_10m.jp2`, `R20m/…`, `R60m/…`, where a band appears at several
 * resolutions and its finest file is taken, as is SCL's 20 m file).
 *
 * Problems of one product (no granule, a missing band, a grid the tile metadata lacks) are
 * recorded on the scene, so the run reports it and goes on.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseSafeProductMetadata, parseSafeTileMetadata } from '../../records/safeMetadata.js';
import { bandIdOf, preferredBandSet, type BandSet } from '../bandSet.js';
import { fingerprintOf, type DiscoverOptions, type PerBandSceneRef, type SidecarGeoref } from '../discoverScenes.js';

const PRODUCT_FILES = ['MTD_MSIL2A.xml', 'MTD_MSIL1C.xml'];

/** The product metadata file of a SAFE folder, or null when `dir` is not one. */
export async function safeProductFile(dir: string): Promise<string | null> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return null;
  }
  const mtd = PRODUCT_FILES.find((n) => names.includes(n));
  return mtd && names.includes('GRANULE') ? path.join(dir, mtd) : null;
}

/** The scene id of a product folder or zip: its name without `.SAFE` / `.zip`. */
function productId(name: string): string {
  return name.replace(/\.zip$/i, '').replace(/\.SAFE$/i, '');
}

interface BandFile {
  file: string;
  resolution: number;
}

/** Resolution of an IMG_DATA file: `_10m.jp2` / `R10m/`, else the band set's resolution for its id. */
function resolutionOf(file: string, id: string, set: BandSet): number | null {
  const named = /_(\d+)m\.jp2$/i.exec(file) ?? /(?:^|[/\\])R(\d+)m[/\\][^/\\]+$/i.exec(file);
  if (named) return Number(named[1]);
  return set.bands.find((b) => b.id === id)?.resolution_m ?? null;
}

function matchSafeBands(files: string[], set: BandSet): { bands: Map<string, BandFile>; mask: BandFile | null; problem: string | null } {
  const bands = new Map<string, BandFile>();
  let mask: BandFile | null = null;
  const maskId = set.cloud_mask?.band ?? null;
  for (const file of files) {
    const id = bandIdOf(path.basename(file), set);
    if (!id || (id !== maskId && !set.bands.some((b) => b.id === id))) continue;
    const resolution = resolutionOf(file, id, set);
    if (resolution === null) return { bands, mask, problem: `${path.basename(file)}: no resolution in its name (_10m.jp2) or folder (R10m/), and band set ${set.name} gives none for ${id}` };
    const candidate = { file, resolution };
    if (id === maskId) {
      if (!mask || resolution < mask.resolution) mask = candidate;
      continue;
    }
    const prev = bands.get(id);
    if (prev && prev.resolution === resolution) return { bands, mask, problem: `two files for band ${id} at ${resolution} m: ${path.basename(prev.file)}, ${path.basename(file)}` };
    if (!prev || resolution < prev.resolution) bands.set(id, candidate);
  }
  const missing = set.bands.filter((b) => !bands.has(b.id)).map((b) => b.id);
  return { bands, mask, problem: missing.length > 0 ? `missing band${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (band set ${set.name})` : null };
}

/** JPEG 2000 files in IMG_DATA and its R10m/R20m/R60m folders, sorted. */
async function imageFiles(imgData: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(imgData, { withFileTypes: true })) {
    const full = path.join(imgData, e.name);
    if (e.isDirectory()) {
      for (const n of await fs.readdir(full)) if (/\.jp2$/i.test(n)) out.push(path.join(full, n));
    } else if (/\.jp2$/i.test(e.name)) {
      out.push(full);
    }
  }
  return out.sort();
}

async function failed(source: string, opts: DiscoverOptions, problem: string, versionFile: string): Promise<PerBandSceneRef> {
  const fingerprint = await fingerprintOf([versionFile], opts.params);
  return { kind: 'per-band', scene_id: productId(path.basename(source)), source, bandSet: opts.bandSets[0]!, bandFiles: [], maskFile: null, fingerprint, problem };
}

/**
 * A zipped SAFE product (`S2B_MSIL2A_….SAFE.zip` or `….zip`): not read in place; the scene
 * fails saying how to unzip it. Null when the unzipped folder is already beside it.
 */
export async function zippedSafeScene(zip: string, opts: DiscoverOptions): Promise<PerBandSceneRef | null> {
  const id = productId(path.basename(zip));
  if (await safeProductFile(path.join(path.dirname(zip), `${id}.SAFE`))) return null;
  return failed(zip, opts, `a zipped SAFE product: unzip it beside the others (unzip -q '${path.basename(zip)}') and tile the ${id}.SAFE folder`, zip);
}

/**
 * The scene of a SAFE folder. Metadata files that are not what they claim throw
 * InputError (naming the file and field); a product that is readable but incomplete comes
 * back with `problem` set.
 */
export async function safeScene(dir: string, opts: DiscoverOptions): Promise<PerBandSceneRef> {
  const productFile = (await safeProductFile(dir))!;
  const product = parseSafeProductMetadata(await fs.readFile(productFile, 'utf8'), productFile);
  const granuleRoot = path.join(dir, 'GRANULE');
  const granules = (await fs.readdir(granuleRoot, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  if (granules.length !== 1) {
    return failed(dir, opts, granules.length === 0 ? 'GRANULE/ holds no granule folder' : `GRANULE/ holds ${granules.length} granules (a pre-2017 multi-tile product); co2sat reads single-tile products`, productFile);
  }
  const granule = path.join(granuleRoot, granules[0]!);
  const tileFile = path.join(granule, 'MTD_TL.xml');
  let tileXml: string;
  try {
    tileXml = await fs.readFile(tileFile, 'utf8');
  } catch {
    return failed(dir, opts, `no tile metadata ${path.relative(dir, tileFile)}`, productFile);
  }
  const tile = parseSafeTileMetadata(tileXml, tileFile);
  let files: string[];
  try {
    files = await imageFiles(path.join(granule, 'IMG_DATA'));
  } catch {
    return failed(dir, opts, `no ${path.relative(dir, path.join(granule, 'IMG_DATA'))} folder`, tileFile);
  }
  const best = preferredBandSet(opts.bandSets, (set) => matchSafeBands(files, set));
  if (!best) return failed(dir, opts, 'no band sets to match files against', tileFile);
  const { set, m } = best;
  const chosen: [string, BandFile][] = set.bands.filter((b) => m.bands.has(b.id)).map((b) => [b.id, m.bands.get(b.id)!]);
  const sidecarGeoref: Record<string, SidecarGeoref> = {};
  let problem = m.problem;
  for (const [id, f] of [...chosen, ...(m.mask ? [['mask', m.mask] as [string, BandFile]] : [])]) {
    const grid = tile.grids.get(f.resolution);
    if (!grid) {
      problem ??= `${path.relative(dir, tileFile)} has no Geoposition for ${f.resolution} m (needed by ${id === 'mask' ? 'the cloud mask' : id})`;
      continue;
    }
    sidecarGeoref[f.file] = { geoTransform: grid.geoTransform, epsg: tile.epsg, width: grid.width, height: grid.height, nodata: product.nodata, from: `${path.basename(tileFile)} at ${f.resolution} m` };
  }
  const bandFiles: [string, string][] = chosen.map(([id, f]) => [id, f.file]);
  const maskFile = m.mask?.file ?? null;
  const datetime = product.startTime ?? tile.sensingTime;
  return {
    kind: 'per-band',
    scene_id: productId(path.basename(dir)),
    source: dir,
    bandSet: set,
    bandFiles,
    maskFile,
    fingerprint: await fingerprintOf([productFile, tileFile, ...bandFiles.map(([, f]) => f), ...(maskFile ? [maskFile] : [])], { ...opts.params, bandSet: set.name }),
    problem,
    sidecarGeoref,
    ...(datetime ? { productDatetime: datetime } : {}),
  };
}
