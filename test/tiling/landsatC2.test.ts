/**
 * A Landsat Collection 2 Level-2 folder (USGS names `…_SR_B1.TIF` … `…_ST_B10.TIF`,
 * `…_QA_PIXEL.TIF`, `…_MTL.txt`; real Landsat 8 pixels, made by
 * test/fixtures/tiling/landsat-c2/make.sh) tiles with the landsat-c2-l2 band set chosen on
 * its own: patches pixel-exact to GDAL's `gdal_translate -srcwin` of the stacked bands,
 * cloud_fraction from the QA_PIXEL bits 1-4 as GDAL's pixels count it, and the time from the
 * MTL (date and scene centre time), not the day in the name.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPatch } from '../../src/geo/readPatch.js';
import { parseManifest, type ManifestRecord } from '../../src/records/manifest.js';
import { parseMtlDatetime } from '../../src/records/landsatMtl.js';
import { parseSites } from '../../src/records/sites.js';
import { bandIdOf, cloudTest, loadBandSet, validateBandSet } from '../../src/tiling/bandSet.js';
import { tileScenes, type TileSummary } from '../../src/tiling/tileScenes.js';
import { bsqSha256 } from '../geo/gdalChecksum.js';
import { oracle, ORACLE_NOTE, REPO_ROOT } from '../helpers/oracle.js';
import { gdalBatch } from './gdalBatch.js';
import { gdalSceneAnswer } from './gdalReference.js';
import { expectPatchAsGdal } from './expectPatch.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/tiling/landsat-c2');
const SITES_FILE = path.join(FIX, 'sites.geojson');
const ID = 'LC08_L2SP_016037_20170813_20200903_02_T1';
const BANDS = ['SR_B1', 'SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7', 'ST_B10'];
const SIZE = 16;
const sites = parseSites(readFileSync(SITES_FILE, 'utf8'), SITES_FILE).map((s) => [s.site_id, s.lon, s.lat] as [string, number, number]);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'co2sat-landsat-'));
const out = path.join(tmp, 'tiles');
let summary: TileSummary;
let records: ManifestRecord[];

beforeAll(async () => {
  cpSync(path.join(FIX, 'scenes'), path.join(tmp, 'scenes'), { recursive: true });
  summary = await tileScenes({ scenesDir: path.join(tmp, 'scenes'), sitesFile: SITES_FILE, outDir: out, size: SIZE, concurrency: 2 });
  records = parseManifest(readFileSync(path.join(out, 'manifest.jsonl'), 'utf8'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe(`Landsat Collection 2 Level-2 folder (${ORACLE_NOTE})`, () => {
  it('is tiled as landsat-c2-l2: eight bands in band order, QA_PIXEL as the mask, not a band', () => {
    expect(summary.failures).toEqual([]);
    expect(summary.scenes).toEqual({ total: 1, tiled: 1, failed: 0 });
    expect(records.length).toBeGreaterThanOrEqual(3);
    for (const r of records) expect(r.bands).toEqual(BANDS);
    expect(summary.sites_skipped).toContainEqual({ scene_id: ID, site_id: 'far-away', reason: 'outside scene footprint' });
  });

  it('takes the time from the MTL (DATE_ACQUIRED + SCENE_CENTER_TIME)', () => {
    for (const r of records) expect(r.datetime).toBe('2017-08-13T15:54:15.788Z');
  });

  it('patches, windows, valid and cloud fractions match GDAL (QA_PIXEL bits 1-4 cloudy)', async () => {
    const dir = path.join(FIX, 'scenes', ID);
    const answer = oracle(`tiling/landsat-c2/${ID}`, () => {
      const vrt = path.join(tmp, 'stack.vrt');
      gdalBatch([{ op: 'buildvrt', out: vrt, files: BANDS.map((b) => path.join(dir, `${ID}_${b}.TIF`)), separate: true }]);
      return gdalSceneAnswer(vrt, sites, SIZE, { file: path.join(dir, `${ID}_QA_PIXEL.TIF`), bits: [1, 2, 3, 4] });
    });
    expect(records.map((r) => r.site_id).sort()).toEqual(answer.inside.map((p) => p.site_id).sort());
    expect(answer.inside.some((p) => p.valid_fraction < 1)).toBe(true);
    // The fixture's QA bits make some patches partly cloudy: the mask is really counted.
    expect(answer.inside.some((p) => p.cloud_fraction !== null && p.cloud_fraction > 0 && p.cloud_fraction < 1)).toBe(true);
    for (const ref of answer.inside) {
      const { patch } = await expectPatchAsGdal(records, ref, out);
      expect(patch.nodata).toBe(0);
    }
  });
});

describe('parseMtlDatetime', () => {
  it('reads ODL text and XML MTLs, with and without a centre time', () => {
    expect(parseMtlDatetime('GROUP = X\n  DATE_ACQUIRED = 2024-01-02\n  SCENE_CENTER_TIME = "10:25:59.1234560Z"\nEND', 'a_MTL.txt')).toBe('2024-01-02T10:25:59.123Z');
    expect(parseMtlDatetime('<IMAGE_ATTRIBUTES><DATE_ACQUIRED>2023-07-31</DATE_ACQUIRED><SCENE_CENTER_TIME>09:58:12.0000000Z</SCENE_CENTER_TIME></IMAGE_ATTRIBUTES>', 'b_MTL.xml')).toBe('2023-07-31T09:58:12Z');
    expect(parseMtlDatetime('DATE_ACQUIRED = 2020-02-29\n', 'c_MTL.txt')).toBe('2020-02-29T00:00:00Z');
  });

  it('names the file and the field for bad values', () => {
    expect(() => parseMtlDatetime('SCENE_CENTER_TIME = "10:00:00Z"', 'x_MTL.txt')).toThrow(/x_MTL.txt.*no DATE_ACQUIRED/);
    expect(() => parseMtlDatetime('DATE_ACQUIRED = 2023-02-30', 'y_MTL.txt')).toThrow(/y_MTL.txt.*2023-02-30.*not a calendar date/);
    expect(() => parseMtlDatetime('DATE_ACQUIRED = 2023-02-03\nSCENE_CENTER_TIME = "noon"', 'z_MTL.txt')).toThrow(/z_MTL.txt.*SCENE_CENTER_TIME 'noon'/);
  });
});

describe('band sets with a bit-packed cloud mask', () => {
  it('landsat-c2-l2 reads USGS C2 names and QA_PIXEL bits 1-4; a mask needs exactly one of classes and bits', () => {
    const set = loadBandSet('landsat-c2-l2');
    expect(set.bands.map((b) => b.id)).toEqual(BANDS);
    expect(bandIdOf(`${ID}_SR_B4.TIF`, set)).toBe('SR_B4');
    expect(bandIdOf(`${ID}_QA_PIXEL.TIF`, set)).toBe('QA_PIXEL');
    expect(bandIdOf('LC08_L1TP_016037_20170813_20170814_01_RT_B4.TIF', set)).toBeNull();
    const cloudy = cloudTest(set.cloud_mask!);
    // 21824 = clear with low confidences (bits 6, 8, 10, 12, 14); 21826 adds dilated cloud.
    expect([1, 2, 4, 8, 16, 32, 64, 21824, 21826, 22280].map(cloudy)).toEqual([false, true, true, true, true, false, false, false, true, true]);
    const base = { name: 'x', file_pattern: '_(A|M)\\.tif$', bands: [{ id: 'A' }] };
    expect(() => validateBandSet({ ...base, cloud_mask: { band: 'M', classes: [1], bits: [1] } }, 'x.json')).toThrow(/x.json.*exactly one of 'classes'.*'bits'/);
    expect(() => validateBandSet({ ...base, cloud_mask: { band: 'M' } }, 'x.json')).toThrow(/exactly one/);
    expect(() => validateBandSet({ ...base, cloud_mask: { band: 'M', bits: [16] } }, 'x.json')).toThrow(/'cloud_mask.bits' must be .*0-15/);
  });
});

describe('a Landsat C2 L2 STAC item (Planetary Computer style)', () => {
  it('matches its assets by eo:bands name (SR_B4, ST_B10, QA_PIXEL) and tiles exactly as the folder', async () => {
    const dir = path.join(tmp, 'scenes', ID);
    const asset = (key: string, name: string, common?: string): [string, unknown] => [
      key,
      { href: path.join(dir, `${ID}_${name}.TIF`), type: 'image/tiff; application=geotiff; profile=cloud-optimized', 'eo:bands': [{ name, ...(common ? { common_name: common } : {}) }] },
    ];
    const item = {
      type: 'Feature',
      stac_version: '1.0.0',
      id: ID,
      properties: { datetime: '2017-08-13T15:54:15.788464Z' },
      geometry: null,
      assets: Object.fromEntries([
        asset('coastal', 'SR_B1', 'coastal'), asset('blue', 'SR_B2', 'blue'), asset('green', 'SR_B3', 'green'), asset('red', 'SR_B4', 'red'),
        asset('nir08', 'SR_B5', 'nir08'), asset('swir16', 'SR_B6', 'swir16'), asset('swir22', 'SR_B7', 'swir22'), asset('lwir11', 'ST_B10', 'lwir11'),
        ['qa_pixel', { href: path.join(dir, `${ID}_QA_PIXEL.TIF`), type: 'image/tiff; application=geotiff' }],
      ]),
    };
    const items = path.join(tmp, 'items.json');
    writeFileSync(items, JSON.stringify({ type: 'FeatureCollection', features: [item] }));
    const stacOut = path.join(tmp, 'tiles-stac');
    const s = await tileScenes({ scenesDir: items, sitesFile: SITES_FILE, outDir: stacOut, size: SIZE });
    expect(s.failures).toEqual([]);
    const stacRecords = parseManifest(readFileSync(path.join(stacOut, 'manifest.jsonl'), 'utf8'));
    expect(stacRecords.map((r) => [r.site_id, r.bands, r.window, r.valid_fraction, r.cloud_fraction])).toEqual(records.map((r) => [r.site_id, r.bands, r.window, r.valid_fraction, r.cloud_fraction]));
    for (const r of stacRecords) {
      expect(bsqSha256((await readPatch(path.join(stacOut, r.path))).bands)).toBe(bsqSha256((await readPatch(path.join(out, r.path))).bands));
    }
  });
});
