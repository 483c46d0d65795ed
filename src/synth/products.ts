/**
 * Writes one scene the way Sentinel-2 L2A delivers it. `per-band`: a folder named like the
 * product holding one GeoTIFF per band at its native resolution
 * (`T32UPC_20240102T102559_B02_10m.tif` … `_SCL_20m.tif`). `multiband`: one 12-band GeoTIFF
 * per scene at 10 m (20 m and 60 m bands resampled by nearest neighbour, as a stacked
 * product would be), and its SCL as a single-band sidecar in `scl/` (outside `scenes/`, so
 * a reader taking every GeoTIFF in `scenes/` as a scene is not misled).
 *
 * UInt16 DNs with nodata 0, DEFLATE with horizontal differencing, 256² tiles, the TIFF
 * DateTime from the acquisition (never the wall clock): the same seed writes the same bytes.
 */
import path from 'node:path';
import { writeGeoTiff } from '../geo/writeGeoTiff.js';
import { S2_BANDS, SCL_RESOLUTION, type Resolution } from './bands.js';
import { geoTransform, type SceneGrid } from './grid.js';
import type { SceneLayers } from './layers.js';
import { renderBand, renderScl } from './render.js';
import type { Scene } from './scene.js';

/** The TIFF DateTime tag of a scene: its sensing time, 'YYYY:MM:DD HH:MM:SS'. */
export function tiffDateTime(scene: Scene): string {
  const iso = scene.acq.date.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, ':')} ${iso.slice(11, 19)}`;
}

export function bandFileName(scene: Scene, bandId: string, res: Resolution): string {
  return `${scene.sceneId}_${bandId}_${res}m.tif`;
}

/**
 * zlib level 1: sensor noise makes DNs nearly incompressible past differencing, so higher
 * levels cost several times the time for a few percent of size.
 */
const DEFLATE_LEVEL = 1;

function blockSizeFor(n: number): number | undefined {
  return n >= 256 ? 256 : undefined;
}

async function writeBand(file: string, grid: SceneGrid, scene: Scene, res: Resolution, n: number, data: Uint16Array | Uint8Array, description: string): Promise<void> {
  await writeGeoTiff(file, {
    width: n,
    height: n,
    dataType: data instanceof Uint8Array ? 'uint8' : 'uint16',
    bands: [data],
    geoTransform: geoTransform(grid, res),
    epsg: grid.epsg,
    nodata: 0,
    compression: 'deflate',
    deflateLevel: DEFLATE_LEVEL,
    predictor: data instanceof Uint8Array ? 1 : 2,
    blockSize: blockSizeFor(n),
    datetime: tiffDateTime(scene),
    bandDescriptions: [description],
  });
}

/** Called with each written band: its index in S2_BANDS (−1 for SCL), resolution and DNs. */
export type BandSink = (bandIdx: number, res: Resolution, data: Uint16Array | Uint8Array) => void;

/** Writes a per-band scene folder; returns the files written. One band in memory at a time. */
export async function writePerBandScene(dir: string, grid: SceneGrid, layers: SceneLayers, sink: BandSink, onFile: () => void): Promise<string[]> {
  const scene = layers.scene;
  const folder = path.join(dir, scene.productId);
  const files: string[] = [];
  for (let b = 0; b < S2_BANDS.length; b++) {
    const band = S2_BANDS[b]!;
    const data = renderBand(layers, b);
    sink(b, band.resolutionM, data);
    const file = path.join(folder, bandFileName(scene, band.id, band.resolutionM));
    await writeBand(file, grid, scene, band.resolutionM, layers.size(band.resolutionM), data, band.id);
    files.push(file);
    onFile();
  }
  const scl = renderScl(layers);
  sink(-1, SCL_RESOLUTION, scl);
  const sclFile = path.join(folder, bandFileName(scene, 'SCL', SCL_RESOLUTION));
  await writeBand(sclFile, grid, scene, SCL_RESOLUTION, layers.size(SCL_RESOLUTION), scl, 'SCL');
  files.push(sclFile);
  onFile();
  return files;
}

/** Nearest-neighbour upsampling of a coarse band onto the 10 m grid (same origin). */
export function upsampleNearest(data: Uint16Array, n: number, factor: number, target: number): Uint16Array {
  const out = new Uint16Array(target * target);
  for (let r = 0; r < target; r++) {
    const src = Math.min(n - 1, Math.floor(r / factor)) * n;
    for (let c = 0; c < target; c++) out[r * target + c] = data[src + Math.min(n - 1, Math.floor(c / factor))]!;
  }
  return out;
}

/**
 * Writes a 12-band scene file plus its SCL sidecar. Holds the 12 bands at 10 m in memory
 * (the GeoTIFF writer takes whole bands), so it is meant for small worlds.
 */
export async function writeMultibandScene(dir: string, sclDir: string, grid: SceneGrid, layers: SceneLayers, sink: BandSink, onFile: () => void): Promise<string[]> {
  const scene = layers.scene;
  const n10 = layers.size(10);
  const bands: Uint16Array[] = [];
  for (let b = 0; b < S2_BANDS.length; b++) {
    const res = S2_BANDS[b]!.resolutionM;
    const data = renderBand(layers, b);
    sink(b, res, data);
    bands.push(res === 10 ? data : upsampleNearest(data, layers.size(res), res / 10, n10));
  }
  const file = path.join(dir, `${scene.productId}.tif`);
  await writeGeoTiff(file, {
    width: n10,
    height: n10,
    dataType: 'uint16',
    bands,
    geoTransform: geoTransform(grid, 10),
    epsg: grid.epsg,
    nodata: 0,
    compression: 'deflate',
    deflateLevel: DEFLATE_LEVEL,
    predictor: 2,
    blockSize: blockSizeFor(n10),
    datetime: tiffDateTime(scene),
    bandDescriptions: S2_BANDS.map((b) => b.id),
  });
  onFile();
  const scl = renderScl(layers);
  sink(-1, SCL_RESOLUTION, scl);
  const sclFile = path.join(sclDir, `${scene.productId}_SCL_20m.tif`);
  await writeBand(sclFile, grid, scene, SCL_RESOLUTION, layers.size(SCL_RESOLUTION), scl, 'SCL');
  onFile();
  return [file, sclFile];
}
