/**
 * `tileScenes` end to end on the committed fixture scenes (UTM multiband, EPSG:3857 with
 * the time in the DateTime tag, EPSG:4326, and a Sentinel-2 style per-band folder at
 * 10/20/60 m with SCL), with sites at the centre, near an edge and outside each scene.
 * Every patch is compared pixel for pixel with GDAL (see gdalReference.ts), its
 * geotransform with gdal_translate's, and GDAL's own reading of the written patch
 * (type, nodata, EPSG, band names, checksums) with ours. Then reruns, --force and
 * touched scenes.
 */
import { mkdtempSync, readFileSync, rmSync, utimesSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPatch } from '../../src/geo/readPatch.js';
import { parseSites } from '../../src/records/sites.js';
import { parseManifest, type ManifestRecord } from '../../src/records/manifest.js';
import { tileScenes, type TileSummary } from '../../src/tiling/tileScenes.js';
import { oracle, ORACLE_NOTE, REPO_ROOT, type GdalInfo } from '../helpers/oracle.js';
import { gdalBatch } from './gdalBatch.js';
import { epsgOfWkt, gdalChecksum } from '../geo/gdalChecksum.js';
import { gdalSceneAnswer, type GdalSceneAnswer } from './gdalReference.js';
import { expectPatchAsGdal } from './expectPatch.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/tiling');
const SITES_FILE = path.join(FIX, 'sites.geojson');
const SIZE = 16;
const S2 = 'S2B_MSIL2A_20170729T153641_T19UDP';
const L2A_ORDER = ['B01', 'B02', 'B03', 'B04', 'B05', 'B06', 'B07', 'B08', 'B8A', 'B09', 'B11', 'B12'];
const sites = parseSites(readFileSync(SITES_FILE, 'utf8'), SITES_FILE).map((s) => [s.site_id, s.lon, s.lat] as [string, number, number]);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'co2sat-tile-'));
const scenesDir = path.join(tmp, 'scenes');
const out = path.join(tmp, 'tiles');
let summary: TileSummary;
let records: ManifestRecord[];

beforeAll(async () => {
  cpSync(path.join(FIX, 'scenes'), scenesDir, { recursive: true });
  summary = await tileScenes({ scenesDir, sitesFile: SITES_FILE, outDir: out, size: SIZE, concurrency: 2 });
  records = parseManifest(readFileSync(path.join(out, 'manifest.jsonl'), 'utf8'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** GDAL's reference for one fixture scene (a VRT stack for the per-band folder). */
function referenceFor(sceneId: string): GdalSceneAnswer {
  if (sceneId !== S2) return gdalSceneAnswer(path.join(FIX, 'scenes', `${sceneId}.tif`), sites, SIZE);
  const dir = path.join(FIX, 'scenes', S2);
  const band = (id: string): string => path.join(dir, `T19UDP_20170729T153641_${id}_${['B02', 'B03', 'B04', 'B08'].includes(id) ? '10m' : ['B01', 'B09'].includes(id) ? '60m' : '20m'}.tif`);
  const vrt = path.join(tmp, 'stack.vrt');
  const maskVrt = path.join(tmp, 'scl.vrt');
  const sclOnGrid = path.join(tmp, 'scl_on_grid.vrt');
  gdalBatch([
    { op: 'buildvrt', out: vrt, files: L2A_ORDER.map(band), separate: true },
    { op: 'buildvrt', out: maskVrt, files: [band('B02'), path.join(dir, 'T19UDP_20170729T153641_SCL_20m.tif')], separate: true },
    { op: 'band_vrt', src: maskVrt, band: 2, out: sclOnGrid },
  ]);
  return gdalSceneAnswer(vrt, sites, SIZE, { file: sclOnGrid, classes: [3, 8, 9, 10] });
}

/** gdalinfo -json prints 15 significant digits; equal to that precision (1e-9 of a pixel here). */
function expectSameGeoTransform(mine: readonly number[], gdalGt: readonly number[]): void {
  expect(mine.length).toBe(6);
  mine.forEach((v, i) => expect(Math.abs(v - gdalGt[i]!), `geotransform[${i}] ${v} vs ${gdalGt[i]}`).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(gdalGt[i]!)) * 10));
}

const sceneIds = ['MERIS_20080101T101010_subset', 'S2A_T19UDP_20170729T153641_rgb', S2, 'naip_like_3857'];

describe(`tileScenes on fixture scenes (${ORACLE_NOTE})`, () => {
  it('tiles every scene; the far-away site is skipped everywhere with a reason', () => {
    expect(summary.failures).toEqual([]);
    expect(summary.scenes).toEqual({ total: 4, tiled: 4, failed: 0 });
    for (const id of sceneIds) expect(summary.sites_skipped).toContainEqual({ scene_id: id, site_id: 'far-away', reason: 'outside scene footprint' });
    expect(summary.patches.written).toBe(records.length);
  });

  for (const sceneId of sceneIds) {
    it(`${sceneId}: windows, pixels, geotransforms and fractions match GDAL`, async () => {
      const answer = oracle(`tiling/tile/${sceneId}`, () => referenceFor(sceneId));
      const mine = records.filter((r) => r.scene_id === sceneId);
      expect(mine.map((r) => r.site_id).sort()).toEqual(answer.inside.map((p) => p.site_id).sort());
      expect(answer.inside.length).toBeGreaterThanOrEqual(3); // centre, edge and corner sites
      expect(answer.inside.some((p) => p.valid_fraction < 1)).toBe(true); // a window reaching outside
      for (const id of answer.outside) {
        expect(summary.sites_skipped).toContainEqual({ scene_id: sceneId, site_id: id, reason: 'outside scene footprint' });
      }
      for (const ref of answer.inside) {
        const { rec, patch } = await expectPatchAsGdal(mine, ref, out);
        expectSameGeoTransform(patch.geoTransform, ref.geoTransform);
        expect(patch.epsg).toBe(rec.epsg);
        if (sceneId === S2) {
          expect(rec.bands).toEqual(L2A_ORDER);
          expect(patch.bandDescriptions).toEqual(L2A_ORDER);
        }
      }
    });

    it(`${sceneId}: GDAL reads the written patches as co2sat does`, async () => {
      const mine = records.filter((r) => r.scene_id === sceneId);
      const answer = oracle(`tiling/tile/${sceneId}-patches`, () =>
        (gdalBatch(mine.map((r) => ({ op: 'info', file: path.join(out, r.path), checksum: true }))) as GdalInfo[]).map((info, k) => {
          const r = mine[k]!;
          return {
            site_id: r.site_id,
            epsg: epsgOfWkt(info.coordinateSystem?.wkt),
            geoTransform: info.geoTransform,
            datetime: (info.metadata?.['']?.TIFFTAG_DATETIME as string | undefined) ?? null,
            bands: info.bands.map((b) => ({ type: b.type, noDataValue: b.noDataValue ?? null, description: b.description ?? null, checksum: b.checksum })),
          };
        }),
        { inputs: Object.fromEntries(mine.map((r) => [r.path, path.join(out, r.path)])) },
      );
      expect(answer.map((a) => a.site_id)).toEqual(mine.map((r) => r.site_id));
      for (const [i, r] of mine.entries()) {
        const patch = await readPatch(path.join(out, r.path));
        const g = answer[i]!;
        expect(g.epsg).toBe(r.epsg);
        expectSameGeoTransform(patch.geoTransform, g.geoTransform!);
        expect(g.datetime).toBe(r.datetime.slice(0, 19).replace('T', ' ').replace(/-/g, ':'));
        g.bands.forEach((b, k) => {
          expect(b.checksum).toBe(gdalChecksum(patch.bands[k]!, SIZE, SIZE));
          expect(b.noDataValue).toBe(patch.nodata);
          expect(b.description).toBe(r.bands[k]);
        });
      }
    });
  }

  it('records the acquisition time from the name, or from the DateTime tag', () => {
    const t = Object.fromEntries(records.map((r) => [r.scene_id, r.datetime]));
    expect(t[S2]).toBe('2017-07-29T15:36:41Z');
    expect(t.MERIS_20080101T101010_subset).toBe('2008-01-01T10:10:10Z');
    expect(t.naip_like_3857).toBe('2021-03-04T05:06:07Z');
  });

  it('reruns skip up-to-date patches, redo a touched scene, and --force redoes all', async () => {
    const again = await tileScenes({ scenesDir, sitesFile: SITES_FILE, outDir: out, size: SIZE });
    expect(again.patches).toEqual({ written: 0, up_to_date: records.length });
    const touched = path.join(scenesDir, 'MERIS_20080101T101010_subset.tif');
    utimesSync(touched, new Date(), new Date(Date.now() + 5000));
    const afterTouch = await tileScenes({ scenesDir, sitesFile: SITES_FILE, outDir: out, size: SIZE });
    const merisCount = records.filter((r) => r.scene_id === 'MERIS_20080101T101010_subset').length;
    expect(afterTouch.patches).toEqual({ written: merisCount, up_to_date: records.length - merisCount });
    const forced = await tileScenes({ scenesDir, sitesFile: SITES_FILE, outDir: out, size: SIZE, force: true });
    expect(forced.patches).toEqual({ written: records.length, up_to_date: 0 });
    const finalRecords = parseManifest(readFileSync(path.join(out, 'manifest.jsonl'), 'utf8'));
    expect(finalRecords.length).toBe(records.length);
  });
});
