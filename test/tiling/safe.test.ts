/**
 * Sentinel-2 SAFE folders (L2A and L1C, JPEG 2000 bands made lossless by GDAL from real
 * Sentinel-2 pixels, test/fixtures/tiling/safe/make.py) tile as GDAL reads the same files:
 * windows from the MTD_TL.xml grid, pixels equal to `gdal_translate -srcwin` of GDAL's stack
 * of the chosen JP2 files (finest file per band, nearest to the 10 m grid), SCL's cloud
 * fraction and nodata 0 from the product metadata; the time is the product start time.
 * Then: the L1C band set on request, and broken products failing alone with a clear reason.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, truncateSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, type ManifestRecord } from '../../src/records/manifest.js';
import { parseSites } from '../../src/records/sites.js';
import { tileScenes, type TileSummary } from '../../src/tiling/tileScenes.js';
import { oracle, ORACLE_NOTE, REPO_ROOT } from '../helpers/oracle.js';
import { gdalBatch } from './gdalBatch.js';
import { gdalSceneAnswer } from './gdalReference.js';
import { expectPatchAsGdal } from './expectPatch.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/tiling/safe');
const SITES_FILE = path.join(FIX, 'sites.geojson');
const L2A = 'S2B_MSIL2A_20170729T153641_N0500_R068_T19UDP_20170729T190000';
const L1C = 'S2B_MSIL1C_20170729T153641_N0500_R068_T19UDP_20170729T170000';
const L2A_ORDER = ['B01', 'B02', 'B03', 'B04', 'B05', 'B06', 'B07', 'B08', 'B8A', 'B09', 'B11', 'B12'];
const L1C_ORDER = ['B01', 'B02', 'B03', 'B04', 'B05', 'B06', 'B07', 'B08', 'B8A', 'B09', 'B10', 'B11', 'B12'];
const RES: Record<string, number> = { B01: 60, B02: 10, B03: 10, B04: 10, B05: 20, B06: 20, B07: 20, B08: 10, B8A: 20, B09: 60, B10: 60, B11: 20, B12: 20 };
const SIZE = 16;
const sites = parseSites(readFileSync(SITES_FILE, 'utf8'), SITES_FILE).map((s) => [s.site_id, s.lon, s.lat] as [string, number, number]);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'co2sat-safe-'));
const scenesDir = path.join(tmp, 'scenes');
let summary: TileSummary;
let records: ManifestRecord[];

function granuleImg(product: string): string {
  const g = path.join(FIX, 'scenes', `${product}.SAFE`, 'GRANULE');
  return path.join(g, readdirSync(g)[0]!, 'IMG_DATA');
}

beforeAll(async () => {
  cpSync(path.join(FIX, 'scenes'), scenesDir, { recursive: true });
  summary = await tileScenes({ scenesDir, sitesFile: SITES_FILE, outDir: path.join(tmp, 'tiles'), size: SIZE, concurrency: 2 });
  records = parseManifest(readFileSync(path.join(tmp, 'tiles', 'manifest.jsonl'), 'utf8'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** GDAL's answer for a product's stack of `order` (the finest file of each band), SCL as the mask for L2A. */
function gdalAnswer(product: string, order: string[], name: string): ReturnType<typeof gdalSceneAnswer> {
  const img = granuleImg(product);
  const fileOf = (b: string): string =>
    product === L2A ? path.join(img, `R${RES[b]}m`, `T19UDP_20170729T153641_${b}_${RES[b]}m.jp2`) : path.join(img, `T19UDP_20170729T153641_${b}.jp2`);
  return oracle(`tiling/safe/${name}`, () => {
    const vrt = path.join(tmp, `${name}.vrt`);
    gdalBatch([{ op: 'buildvrt', out: vrt, files: order.map(fileOf), separate: true, nodata: 0 }]);
    if (product !== L2A) return gdalSceneAnswer(vrt, sites, SIZE);
    const maskVrt = path.join(tmp, `${name}-scl.vrt`);
    const sclOnGrid = path.join(tmp, `${name}-scl-grid.vrt`);
    gdalBatch([
      { op: 'buildvrt', out: maskVrt, files: [fileOf('B02'), path.join(img, 'R20m', 'T19UDP_20170729T153641_SCL_20m.jp2')], separate: true },
      { op: 'band_vrt', src: maskVrt, band: 2, out: sclOnGrid },
    ]);
    return gdalSceneAnswer(vrt, sites, SIZE, { file: sclOnGrid, classes: [3, 8, 9, 10] });
  });
}

async function expectSameAsGdal(recs: ManifestRecord[], answer: ReturnType<typeof gdalSceneAnswer>, tilesDir: string): Promise<void> {
  expect(recs.map((r) => r.site_id).sort()).toEqual(answer.inside.map((p) => p.site_id).sort());
  expect(answer.inside.length).toBeGreaterThanOrEqual(4);
  expect(answer.inside.some((p) => p.valid_fraction < 1)).toBe(true);
  for (const ref of answer.inside) {
    const { patch } = await expectPatchAsGdal(recs, ref, tilesDir);
    expect(patch.geoTransform.map((v, i) => Math.abs(v - ref.geoTransform[i]!))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(patch.epsg).toBe(32619);
    expect(patch.nodata).toBe(0);
  }
}

describe(`Sentinel-2 SAFE folders (${ORACLE_NOTE})`, () => {
  it('finds both products as scenes named after the folders; the far-away site is skipped', () => {
    expect(summary.failures).toEqual([]);
    expect(summary.scenes).toEqual({ total: 2, tiled: 2, failed: 0 });
    expect(new Set(records.map((r) => r.scene_id))).toEqual(new Set([L1C, L2A]));
    for (const id of [L1C, L2A]) expect(summary.sites_skipped).toContainEqual({ scene_id: id, site_id: 'far-away', reason: 'outside scene footprint' });
  });

  it('takes the time from PRODUCT_START_TIME (milliseconds), not the name', () => {
    for (const r of records) expect(r.datetime).toBe('2017-07-29T15:36:41.026Z');
  });

  it('L2A: 12 bands from R10m/R20m/R60m (finest file per band), SCL as cloud mask, pixel-exact to GDAL', async () => {
    const mine = records.filter((r) => r.scene_id === L2A);
    for (const r of mine) expect(r.bands).toEqual(L2A_ORDER);
    const answer = gdalAnswer(L2A, L2A_ORDER, L2A);
    expect(answer.inside.some((p) => p.cloud_fraction !== null && p.cloud_fraction > 0 && p.cloud_fraction < 1)).toBe(true);
    await expectSameAsGdal(mine, answer, path.join(tmp, 'tiles'));
  });

  it('L1C: tiles as L2A bands by default (no SCL, no cloud fraction), all 13 with --band-set sentinel2-l1c', async () => {
    const byDefault = records.filter((r) => r.scene_id === L1C);
    for (const r of byDefault) {
      expect(r.bands).toEqual(L2A_ORDER);
      expect(r.cloud_fraction).toBeNull();
    }
    const out = path.join(tmp, 'tiles-l1c');
    const s = await tileScenes({ scenesDir: path.join(scenesDir, `${L1C}.SAFE`), sitesFile: SITES_FILE, outDir: out, size: SIZE, bandSet: 'sentinel2-l1c' });
    expect(s.failures).toEqual([]);
    const recs = parseManifest(readFileSync(path.join(out, 'manifest.jsonl'), 'utf8'));
    for (const r of recs) expect(r.bands).toEqual(L1C_ORDER);
    await expectSameAsGdal(recs, gdalAnswer(L1C, L1C_ORDER, L1C), out);
  });
});

describe('broken SAFE products fail alone, naming the file and the problem', () => {
  const broken = path.join(tmp, 'broken');
  let result: TileSummary;

  beforeAll(async () => {
    cpSync(path.join(FIX, 'scenes', `${L2A}.SAFE`), path.join(broken, `${L2A}.SAFE`), { recursive: true });
    // A cut band file in a second copy of the product.
    const cut = `${L2A.replace('T190000', 'T190001')}`;
    cpSync(path.join(FIX, 'scenes', `${L2A}.SAFE`), path.join(broken, `${cut}.SAFE`), { recursive: true });
    const g = path.join(broken, `${cut}.SAFE`, 'GRANULE');
    const b04 = path.join(g, readdirSync(g)[0]!, 'IMG_DATA', 'R10m', 'T19UDP_20170729T153641_B04_10m.jp2');
    truncateSync(b04, Math.floor(statSync(b04).size * 0.7));
    // A tile metadata file without the 60 m grid.
    const no60 = `${L2A.replace('T190000', 'T190002')}`;
    cpSync(path.join(FIX, 'scenes', `${L2A}.SAFE`), path.join(broken, `${no60}.SAFE`), { recursive: true });
    const g60 = path.join(broken, `${no60}.SAFE`, 'GRANULE');
    const mtd = path.join(g60, readdirSync(g60)[0]!, 'MTD_TL.xml');
    writeFileSync(mtd, readFileSync(mtd, 'utf8').replace(/<Geoposition resolution="60">.*?<\/Geoposition>/s, ''));
    // A zipped product (not read in place).
    writeFileSync(path.join(broken, 'S2A_MSIL2A_20240102T102339_N0510_R065_T32UPC_20240102T124317.SAFE.zip'), 'PK');
    result = await tileScenes({ scenesDir: broken, sitesFile: SITES_FILE, outDir: path.join(tmp, 'tiles-broken'), size: SIZE });
  });

  it('tiles the good product and lists each broken one with its reason', () => {
    expect(result.scenes).toEqual({ total: 4, tiled: 1, failed: 3 });
    const reasons = result.failures.map((f) => `${path.basename(f.item)}: ${f.reason}`).sort();
    expect(reasons[0]).toMatch(/^S2A_MSIL2A_20240102T102339_.*\.SAFE\.zip: a zipped SAFE product: unzip it .*unzip -q/);
    expect(reasons[1]).toMatch(/T190002\.SAFE: GRANULE\/.*\/MTD_TL\.xml has no Geoposition for 60 m \(needed by B01\)/);
    expect(reasons[2]).toMatch(/^T19UDP_20170729T153641_B04_10m\.jp2: not a readable JPEG 2000 file: .*truncated/);
    expect(result.failures.find((f) => f.reason.includes('truncated'))!.item).toContain('T190001.SAFE');
  });
});
