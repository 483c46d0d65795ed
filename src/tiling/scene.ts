/**
 * An open scene: one multiband GeoTIFF, or a per-band folder stacked in band-set order on
 * the finest band's grid (nearest neighbour, pixel centres mapped through the
 * geotransforms: for grids that share their origin and differ by integer factors, as
 * Sentinel-2's 10/20/60 m bands do, this is exactly what `gdalbuildvrt -separate
 * -resolution highest -r nearest` gives). Opening validates everything a patch needs
 * (georeferencing, CRS, acquisition time, matching CRSs and types), so a scene either
 * opens completely or fails with one InputError naming the file and the problem.
 */
import path from 'node:path';
import { InputError, optionText } from '../errors.js';
import { crsForEpsg, epsgProblem, proj4Problem, type Crs } from '../geo/crs.js';
import { geoKeysForEpsg, proj4FromGeoKeys, type RawGeoKeys } from '../geo/geoKeys.js';
import { allocRaster, type RasterArray, type RasterDataType } from '../geo/rasterTypes.js';
import { readWindow } from '../geo/readWindow.js';
import type { GridRaster } from '../geo/gridRaster.js';
import { Jp2Raster } from '../geo/jp2/jp2Raster.js';
import { Raster } from '../geo/tiff/openRaster.js';
import type { Window } from '../geo/window.js';
import type { GeoTransform } from '../geo/geoTransform.js';
import type { PerBandSceneRef, SceneRef } from './discoverScenes.js';
import { datetimeFromName, datetimeFromTiffTag, mostPreciseDatetime } from './sceneName.js';

/** Decoded-block cache per open scene (see BlockCache). */
const SCENE_CACHE_BYTES = 32 << 20;

export interface OpenSceneOptions {
  /** proj4 definition (or WKT) for scenes whose CRS neither the GeoKeys nor a STAC item give. */
  crsProj4?: string;
  /** ISO 8601 UTC time for scenes whose name and DateTime tag carry none (`--datetime`). */
  fallbackDatetime?: string;
}

export interface SceneWindow {
  bands: RasterArray[];
  /** Cloud-mask values (SCL classes, QA_PIXEL bits) on the same window, or null without a mask. */
  mask: RasterArray | null;
}

export interface Scene {
  readonly ref: SceneRef;
  /** ISO 8601 UTC acquisition time. */
  readonly datetime: string;
  readonly crs: Crs;
  /** GeoKeys copied into every patch, so patches carry the scene's CRS exactly. */
  readonly geoKeys: RawGeoKeys;
  readonly geoTransform: GeoTransform;
  readonly width: number;
  readonly height: number;
  readonly dataType: RasterDataType;
  readonly nodata: number | null;
  readonly bandIds: string[];
  read(window: Window): Promise<SceneWindow>;
  close(): Promise<void>;
}

/**
 * The scene's CRS, from the first source that names one: the GeoKeys' EPSG code (resolved
 * through the EPSG index, crs.ts), the GeoKeys' user-defined projection (geoKeys.ts), the
 * STAC item's `proj:epsg` then `proj:wkt2`, and last `--crs-proj4`. The file wins over its
 * metadata because patches copy the file's GeoKeys, so the pixel placement and the patch's
 * own CRS agree.
 */
function crsOf(r: GridRaster, ref: SceneRef, opts: OpenSceneOptions): Crs {
  const stac = ref.kind === 'per-band' ? ref.stac : undefined;
  const reasons: string[] = [];
  if (r.geoKeys) {
    const epsg = r.epsg;
    if (epsg !== null) {
      const known = crsForEpsg(epsg);
      if (known) return known;
      reasons.push(epsgProblem(epsg) ?? `EPSG:${epsg} has no definition`);
    }
    const fromKeys = proj4FromGeoKeys(r.geoKeys);
    if ('proj4' in fromKeys) {
      const problem = proj4Problem(fromKeys.proj4);
      if (problem === null) return { epsg, proj4: fromKeys.proj4, label: `user-defined CRS '${fromKeys.proj4}'` };
      reasons.push(`proj4 refuses the GeoKeys' projection '${fromKeys.proj4}': ${problem}`);
    } else if (epsg === null) reasons.push(`the CRS is user-defined (no EPSG code) and ${fromKeys.problem}`);
  } else if (stac?.epsg == null) {
    throw new InputError(r.file, 'no CRS: the GeoTIFF has no GeoKeys (assign one with gdal_edit.py -a_srs)');
  }
  if (stac?.epsg != null) {
    const known = crsForEpsg(stac.epsg);
    if (known) return known;
    reasons.push(`the STAC item's proj:epsg: ${epsgProblem(stac.epsg)}`);
  }
  if (stac?.wkt2 && r.geoKeys) {
    const problem = proj4Problem(stac.wkt2);
    if (problem === null) return { epsg: r.epsg, proj4: stac.wkt2, label: "the STAC item's proj:wkt2" };
    reasons.push(`proj4 refuses the STAC item's proj:wkt2: ${problem}`);
  }
  if (opts.crsProj4) {
    const problem = proj4Problem(opts.crsProj4);
    if (problem) throw new InputError(r.file, `${optionText('crs-proj4')} '${opts.crsProj4}' is not a proj4 definition: ${problem}`);
    return { epsg: r.epsg, proj4: opts.crsProj4, label: opts.crsProj4 };
  }
  throw new InputError(r.file, `${reasons.join('; ')}: pass its proj4 definition with ${optionText('crs-proj4')} (e.g. '+proj=omerc +lat_0=4 +lonc=115 +alpha=53.3 +k=0.99984 +x_0=590476.87 +y_0=442857.65 +ellps=evrst69 +units=m')`);
}

/** The GeoKeys a patch carries: the file's, or for a file without its own, those of the STAC item's EPSG code. */
function patchGeoKeys(r: GridRaster, crs: Crs): RawGeoKeys {
  if (r.geoKeys) return r.geoKeys;
  if (crs.epsg !== null) return geoKeysForEpsg(crs.epsg);
  throw new InputError(r.file, 'no CRS: the GeoTIFF has no GeoKeys (assign one with gdal_edit.py -a_srs)');
}

function checkGeoreferenced(r: GridRaster): GeoTransform {
  if (!r.geoTransform) throw new InputError(r.file, 'no georeferencing: no ModelTiepoint/ModelPixelScale or ModelTransformation tags');
  return r.geoTransform;
}

function datetimeOf(ref: SceneRef, r: GridRaster, opts: OpenSceneOptions): string {
  const t = mostPreciseDatetime([ref.kind === 'per-band' ? (ref.stac?.datetime ?? ref.productDatetime ?? null) : null, datetimeFromName(path.basename(ref.source)), datetimeFromTiffTag(r.tiffDateTime)]) ?? opts.fallbackDatetime;
  if (!t) throw new InputError(ref.source, `no acquisition time: the name has no _YYYYMMDDTHHMMSS_ (or _YYYYMMDD_) and the TIFF has no DateTime tag (give one with ${optionText('datetime')})`);
  return t;
}

/** Opens and validates a scene. @throws InputError naming the file and the problem */
export async function openScene(ref: SceneRef, opts: OpenSceneOptions = {}): Promise<Scene> {
  if (ref.kind === 'multiband') {
    const r = await Raster.open(ref.source, { blockCacheBytes: SCENE_CACHE_BYTES });
    try {
      const gt = checkGeoreferenced(r);
      const crs = crsOf(r, ref, opts);
      const datetime = datetimeOf(ref, r, opts);
      const bandIds = r.bandDescriptions.map((d, i) => d ?? String(i + 1));
      return {
        ref,
        datetime,
        crs,
        geoKeys: patchGeoKeys(r, crs),
        geoTransform: gt,
        width: r.width,
        height: r.height,
        dataType: r.dataType,
        nodata: r.nodata,
        bandIds,
        read: async (w) => ({ bands: await readWindow(r, w), mask: null }),
        close: () => r.close(),
      };
    } catch (err) {
      await r.close();
      throw err;
    }
  }
  if (ref.problem) throw new InputError(ref.source, ref.problem);
  const opened: GridRaster[] = [];
  // One block-cache budget per scene, shared by its band files, so memory does not grow
  // with the number of bands.
  const cache = { blockCacheBytes: Math.max(4 << 20, Math.floor(SCENE_CACHE_BYTES / (ref.bandFiles.length + 1))) };
  try {
    for (const [, file] of ref.bandFiles) opened.push(await openBandFile(ref, file, cache));
    const mask = ref.maskFile ? await openBandFile(ref, ref.maskFile, cache) : null;
    if (mask) opened.push(mask);
    return await stackBands(ref, opened.slice(0, ref.bandFiles.length), mask, opts, () => Promise.all(opened.map((r) => r.close())).then(() => undefined));
  } catch (err) {
    await Promise.all(opened.map((r) => r.close()));
    throw err;
  }
}

/**
 * One band file: a GeoTIFF, or a file placed by the product's metadata (a SAFE JPEG 2000
 * band), whose size must then be the metadata's grid size.
 */
async function openBandFile(ref: PerBandSceneRef, file: string, cache: { blockCacheBytes: number }): Promise<GridRaster> {
  const georef = ref.sidecarGeoref?.[file];
  if (!georef) return Raster.open(file, cache);
  const r = await Jp2Raster.open(file, georef, cache);
  if (r.width !== georef.width || r.height !== georef.height) {
    await r.close();
    throw new InputError(file, `is ${r.width} × ${r.height} pixels, but ${georef.from} gives a ${georef.width} × ${georef.height} grid`);
  }
  return r;
}

function sameCrs(a: GridRaster, b: GridRaster): boolean {
  if (a.epsg !== null || b.epsg !== null) return a.epsg === b.epsg;
  return JSON.stringify(a.geoKeys) === JSON.stringify(b.geoKeys);
}

function crsLabel(r: GridRaster): string {
  return r.epsg !== null ? `EPSG:${r.epsg}` : r.geoKeys ? 'a user-defined CRS' : 'no CRS';
}

async function stackBands(
  ref: Extract<SceneRef, { kind: 'per-band' }>,
  bands: GridRaster[],
  mask: GridRaster | null,
  opts: OpenSceneOptions,
  close: () => Promise<void>,
): Promise<Scene> {
  const ids = ref.bandFiles.map(([id]) => id);
  for (const r of [...bands, ...(mask ? [mask] : [])]) {
    const gt = checkGeoreferenced(r);
    if (gt[2] !== 0 || gt[4] !== 0) throw new InputError(r.file, 'rotated grids are not supported in per-band scenes');
    if (r.bandCount !== 1) throw new InputError(r.file, `per-band scene files must hold one band, this one has ${r.bandCount}`);
  }
  const first = bands[0]!;
  const crs = crsOf(first, ref, opts);
  bands.forEach((r, i) => {
    if (!sameCrs(first, r)) throw new InputError(ref.source, `bands in different CRSs: ${ids[0]} is in ${crsLabel(first)}, ${ids[i]} in ${crsLabel(r)}`);
    if (r.dataType !== first.dataType) throw new InputError(ref.source, `bands of different data types: ${ids[0]} is ${first.dataType}, ${ids[i]} ${r.dataType}`);
  });
  if (mask && !sameCrs(first, mask)) throw new InputError(ref.source, `cloud mask ${path.basename(mask.file)} is in ${crsLabel(mask)}, bands in ${crsLabel(first)}`);
  // The finest grid: smallest pixel; ties keep band-set order.
  const finest = bands.reduce((a, b) => (Math.abs(b.geoTransform![1]) < Math.abs(a.geoTransform![1]) ? b : a));
  const target = finest.geoTransform!;
  const datetime = datetimeOf(ref, first, opts);

  /** Nearest-neighbour read of `r` onto window `w` of the target grid. */
  const readOnTarget = async (r: GridRaster, w: Window): Promise<RasterArray> => {
    const gt = r.geoTransform!;
    if (r === finest || (gt.every((v, i) => v === target[i]) && r.width === finest.width && r.height === finest.height)) {
      return (await readWindow(r, w))[0]!;
    }
    const cols = Int32Array.from({ length: w.width }, (_, c) => Math.floor((target[0] + (w.xoff + c + 0.5) * target[1] - gt[0]) / gt[1]));
    const rows = Int32Array.from({ length: w.height }, (_, k) => Math.floor((target[3] + (w.yoff + k + 0.5) * target[5] - gt[3]) / gt[5]));
    const sx = Math.min(...cols);
    const sy = Math.min(...rows);
    const src: Window = { xoff: sx, yoff: sy, width: Math.max(...cols) - sx + 1, height: Math.max(...rows) - sy + 1 };
    const data = (await readWindow(r, src))[0]!;
    const out = allocRaster(r.dataType, w.width * w.height);
    for (let k = 0; k < w.height; k++) {
      const srow = (rows[k]! - sy) * src.width - sx;
      for (let c = 0; c < w.width; c++) out[k * w.width + c] = data[srow + cols[c]!]!;
    }
    return out;
  };

  return {
    ref,
    datetime,
    crs,
    geoKeys: patchGeoKeys(finest, crs),
    geoTransform: target,
    width: finest.width,
    height: finest.height,
    dataType: first.dataType,
    nodata: first.nodata,
    bandIds: ids,
    read: async (w) => {
      const [data, m] = await Promise.all([Promise.all(bands.map((r) => readOnTarget(r, w))), mask ? readOnTarget(mask, w) : Promise.resolve(null)]);
      return { bands: data, mask: m };
    },
    close,
  };
}
