/**
 * Tiling the real GeoTIFFs in ../shared/data/real (written by others; see its SOURCES.md)
 * around its sites.geojson: the Sentinel-2 L1C per-band folder (the default sentinel2-l2a
 * set takes its 12 L2A bands; --band-set sentinel2-l1c all 13), the Landsat 8 folder (landsat8 band set, tiled strips), and the
 * multiband files (LZW tiled Byte with nodata in UTM 18N, pixel-interleaved MERIS Int16 in
 * EPSG:4326, Float32 and Int16 COGs with overviews, MODIS sinusoidal via --crs-proj4).
 * Every patch is compared with gdal_translate -srcwin (VRT for per-band folders). Skipped,
 * and said so, where ../shared is absent.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPatch } from '../../src/geo/readPatch.js';
import { loadBandSet } from '../../src/tiling/bandSet.js';
import { parseSites } from '../../src/records/sites.js';
import { parseManifest, type ManifestRecord } from '../../src/records/manifest.js';
import { tileScenes, type TileSummary } from '../../src/tiling/tileScenes.js';
import { bsqSha256 } from '../geo/gdalChecksum.js';
import { HAS_SHARED_REAL, oracle, ORACLE_NOTE, SHARED_REAL } from '../helpers/oracle.js';
import { gdalBatch } from './gdalBatch.js';
import { gdalSceneAnswer } from './gdalReference.js';

const SIZE = 24;
const MODIS_PROJ4 = '+proj=sinu +lon_0=0 +x_0=0 +y_0=0 +R=6371007.181 +units=m +no_defs';
/** Real multiband files, linked under names that carry an acquisition time. */
const MULTIBAND: Record<string, string> = {
  rgb_lzw_20200101T000000: 'rgb_lzw.tif',
  meris_20080101T000000: 'meris_15band_int16_epsg4326_subset.tif',
  cog_float32_20200101T000000: 'cog_float32_nodata.tif',
  cog_int16_20200101T000000: 'cog_int16_nodata.tif',
  modis_20170106T000000: 'modis_mcd43a4_h21v11_B01_sinusoidal.tif',
};
/** Per-band folders and the band set the default order picks (L2A's 12 bands from L1C files). */
const PER_BAND: Record<string, string> = { sentinel2_l1c_19UDP_20170729: 'sentinel2-l2a', landsat8_l1tp_016037_20170813: 'landsat8' };

describe.skipIf(!HAS_SHARED_REAL)(`tiling ../shared/data/real (${ORACLE_NOTE})`, () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'co2sat-real-'));
  const scenes = path.join(tmp, 'scenes');
  const sitesFile = path.join(SHARED_REAL, 'sites.geojson');
  let summary: TileSummary;
  let records: ManifestRecord[];
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  beforeAll(async () => {
    mkdirSync(scenes);
    for (const [id, file] of Object.entries(MULTIBAND)) symlinkSync(path.join(SHARED_REAL, file), path.join(scenes, `${id}.tif`));
    for (const dir of Object.keys(PER_BAND)) symlinkSync(path.join(SHARED_REAL, dir), path.join(scenes, dir));
    summary = await tileScenes({ scenesDir: scenes, sitesFile, outDir: path.join(tmp, 'tiles'), size: SIZE, crsProj4: MODIS_PROJ4 });
    records = parseManifest(readFileSync(path.join(tmp, 'tiles/manifest.jsonl'), 'utf8'));
  });

  it('tiles every real scene; each site lands in its scene', () => {
    expect(summary.failures).toEqual([]);
    expect(summary.scenes.tiled).toBe(7);
    const sites = parseSites(readFileSync(sitesFile, 'utf8'), sitesFile);
    expect(new Set(records.map((r) => r.site_id))).toEqual(new Set(sites.map((s) => s.site_id)));
  });

  const sceneIds = [...Object.keys(MULTIBAND), ...Object.keys(PER_BAND)];
  for (const sceneId of sceneIds) {
    it(`${sceneId}: patches equal gdal_translate -srcwin`, async () => {
      const sites = parseSites(readFileSync(sitesFile, 'utf8'), sitesFile).map((s) => [s.site_id, s.lon, s.lat] as [string, number, number]);
      const answer = oracle(`tiling/real/${sceneId}`, () => {
        let reference = path.join(scenes, `${sceneId}.tif`);
        if (PER_BAND[sceneId]) {
          const set = loadBandSet(PER_BAND[sceneId]);
          const files = readdirSync(path.join(SHARED_REAL, sceneId));
          const ordered = set.bands.map((b) => path.join(SHARED_REAL, sceneId, files.find((f) => new RegExp(set.file_pattern, 'i').exec(f)?.[1]?.toUpperCase() === b.id)!));
          reference = path.join(tmp, `${sceneId}.vrt`);
          gdalBatch([{ op: 'buildvrt', out: reference, files: ordered, separate: true }]);
        }
        return gdalSceneAnswer(reference, sites, SIZE);
      });
      const mine = records.filter((r) => r.scene_id === sceneId);
      expect(mine.map((r) => r.site_id).sort()).toEqual(answer.inside.map((p) => p.site_id).sort());
      expect(mine.length).toBeGreaterThan(0);
      for (const ref of answer.inside) {
        const rec = mine.find((r) => r.site_id === ref.site_id)!;
        expect(rec.window).toEqual(ref.window);
        expect(rec.valid_fraction).toBe(ref.valid_fraction);
        const patch = await readPatch(path.join(tmp, 'tiles', rec.path));
        expect(bsqSha256(patch.bands), `${sceneId}/${ref.site_id}`).toBe(ref.sha256);
        patch.geoTransform.forEach((v, i) => expect(Math.abs(v - ref.geoTransform[i]!)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(v))));
      }
      if (PER_BAND[sceneId]) expect(mine[0]!.bands).toEqual(loadBandSet(PER_BAND[sceneId]).bands.map((b) => b.id));
    });
  }

  it('--band-set sentinel2-l1c stacks all 13 bands, B10 included', async () => {
    const dir = path.join(tmp, 'l1c');
    mkdirSync(path.join(dir, 'scenes'), { recursive: true });
    symlinkSync(path.join(SHARED_REAL, 'sentinel2_l1c_19UDP_20170729'), path.join(dir, 'scenes', 'sentinel2_l1c_19UDP_20170729'));
    const s = await tileScenes({ scenesDir: path.join(dir, 'scenes'), sitesFile, outDir: path.join(dir, 'tiles'), size: SIZE, bandSet: 'sentinel2-l1c' });
    expect(s.failures).toEqual([]);
    const recs = parseManifest(readFileSync(path.join(dir, 'tiles/manifest.jsonl'), 'utf8'));
    expect(recs.length).toBeGreaterThan(0);
    expect(recs[0]!.bands).toEqual(loadBandSet('sentinel2-l1c').bands.map((b) => b.id));
    const base = recs.find((r) => r.scene_id === 'sentinel2_l1c_19UDP_20170729')!;
    const viaL2a = records.find((r) => r.scene_id === base.scene_id && r.site_id === base.site_id)!;
    const [a, b] = await Promise.all([readPatch(path.join(dir, 'tiles', base.path)), readPatch(path.join(tmp, 'tiles', viaL2a.path))]);
    expect(a.bands).toHaveLength(13);
    // Every L2A band is the same patch band in both stacks; B10 is the extra one.
    viaL2a.bands.forEach((id, i) => expect(Array.from(a.bands[base.bands.indexOf(id)]!)).toEqual(Array.from(b.bands[i]!)));
  });
});
