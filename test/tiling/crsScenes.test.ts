/**
 * Scenes in CRSs beyond UTM/4326/3857, tiled end to end and compared with GDAL: ETRS89 /
 * UTM 32N (EPSG:25832) and LAEA Europe (EPSG:3035) from the EPSG index, UTM 60S centred on
 * 180° with sites on both sides of the antimeridian, polar stereographic scenes over the
 * South Pole (EPSG:3031, sites all round the pole and on it) and Greenland (EPSG:3413), and a
 * user-defined Lambert conformal conic read from its GeoKeys. GDAL places every site
 * (gdaltransform to the scene CRS, window rule on the geotransform; see gdalReference.ts)
 * and reads every window with gdal_translate -srcwin; co2sat must write the same patches,
 * pixel for pixel, and no patch for sites GDAL puts outside. GDAL then reads each written
 * patch: same CRS as its scene, same geotransform, same checksums.
 * Fixtures: test/fixtures/crs/make.sh.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPatch } from '../../src/geo/readPatch.js';
import { parseSites } from '../../src/records/sites.js';
import { parseManifest, type ManifestRecord } from '../../src/records/manifest.js';
import { tileScenes, type TileSummary } from '../../src/tiling/tileScenes.js';
import { gdalChecksum } from '../geo/gdalChecksum.js';
import { oracle, ORACLE_NOTE, REPO_ROOT, type GdalInfo } from '../helpers/oracle.js';
import { gdalBatch } from './gdalBatch.js';
import { gdalSceneAnswer } from './gdalReference.js';
import { expectPatchAsGdal } from './expectPatch.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/crs');
const SITES_FILE = path.join(FIX, 'sites.geojson');
const SIZE = 8;
const sites = parseSites(readFileSync(SITES_FILE, 'utf8'), SITES_FILE).map((s) => [s.site_id, s.lon, s.lat] as [string, number, number]);

/** Scene id → EPSG code co2sat must report (null: user-defined) and sites that must be inside. */
const SCENES: Record<string, { epsg: number | null; inside: string[] }> = {
  ETRS89_UTM32N_20240517T102559: { epsg: 25832, inside: ['rhine-centre', 'rhine-edge', 'rhine-corner'] },
  LAEA_EU_20240518T103001: { epsg: 3035, inside: ['berlin-centre', 'berlin-edge', 'berlin-corner'] },
  UTM60S_ANTIMERIDIAN_20240519T221502: { epsg: 32760, inside: ['fiji-west-of-180', 'fiji-east-of-180', 'fiji-edge-east'] },
  POLAR_SOUTH_3031_20240520T120003: { epsg: 3031, inside: ['pole-lon0', 'pole-lon90', 'pole-lon-135', 'pole-lon170', 'south-pole'] },
  POLAR_NORTH_3413_20240521T140004: { epsg: 3413, inside: ['greenland-centre', 'greenland-edge', 'greenland-corner'] },
  USERDEF_LCC_20240522T104505: { epsg: null, inside: ['paris-centre', 'paris-edge', 'paris-corner'] },
};

const tmp = mkdtempSync(path.join(os.tmpdir(), 'co2sat-crs-'));
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

function expectSameGeoTransform(mine: readonly number[], gdalGt: readonly number[]): void {
  mine.forEach((v, i) => expect(Math.abs(v - gdalGt[i]!), `geotransform[${i}] ${v} vs ${gdalGt[i]}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(gdalGt[i]!))));
}

describe(`scenes in every CRS (${ORACLE_NOTE})`, () => {
  it('opens every scene and reports its CRS', () => {
    expect(summary.failures).toEqual([]);
    expect(summary.scenes).toEqual({ total: 6, tiled: 6, failed: 0 });
    for (const [id, { epsg }] of Object.entries(SCENES)) {
      const mine = records.filter((r) => r.scene_id === id);
      expect(mine.length, id).toBeGreaterThan(0);
      for (const r of mine) expect(r.epsg, id).toBe(epsg);
    }
  });

  for (const [sceneId, expected] of Object.entries(SCENES)) {
    it(`${sceneId}: the sites GDAL puts inside get GDAL's patch, pixel for pixel; the others none`, async () => {
      const file = path.join(FIX, 'scenes', `${sceneId}.tif`);
      const answer = oracle(`tiling/crs/${sceneId}`, () => gdalSceneAnswer(file, sites, SIZE), { inputs: { scene: file } });
      const mine = records.filter((r) => r.scene_id === sceneId);
      expect(answer.inside.map((p) => p.site_id).sort()).toEqual([...expected.inside].sort());
      expect(mine.map((r) => r.site_id).sort()).toEqual(answer.inside.map((p) => p.site_id).sort());
      for (const id of answer.outside) {
        expect(summary.sites_skipped).toContainEqual({ scene_id: sceneId, site_id: id, reason: 'outside scene footprint' });
      }
      for (const ref of answer.inside) {
        const { patch } = await expectPatchAsGdal(mine, ref, out);
        expectSameGeoTransform(patch.geoTransform, ref.geoTransform);
      }
    });

    it(`${sceneId}: gdalinfo reads each patch in the scene's CRS, at its window, with our pixels`, async () => {
      const mine = records.filter((r) => r.scene_id === sceneId);
      const file = path.join(FIX, 'scenes', `${sceneId}.tif`);
      const answer = oracle(
        `tiling/crs/${sceneId}-patches`,
        () => {
          const infos = gdalBatch([{ op: 'info', file }, ...mine.map((r) => ({ op: 'info' as const, file: path.join(out, r.path), checksum: true }))]) as GdalInfo[];
          const sceneWkt = infos[0]!.coordinateSystem?.wkt;
          return infos.slice(1).map((info, k) => ({
            site_id: mine[k]!.site_id,
            same_crs_as_scene: info.coordinateSystem?.wkt === sceneWkt,
            geoTransform: info.geoTransform,
            checksums: info.bands.map((b) => b.checksum),
          }));
        },
        { inputs: { scene: file, ...Object.fromEntries(mine.map((r) => [r.path, path.join(out, r.path)])) } },
      );
      expect(answer.map((a) => a.site_id)).toEqual(mine.map((r) => r.site_id));
      for (const [i, r] of mine.entries()) {
        const g = answer[i]!;
        const patch = await readPatch(path.join(out, r.path));
        expect(g.same_crs_as_scene, r.site_id).toBe(true);
        expectSameGeoTransform(patch.geoTransform, g.geoTransform!);
        g.checksums.forEach((c, k) => expect(c, `${r.site_id} band ${k + 1}`).toBe(gdalChecksum(patch.bands[k]!, SIZE, SIZE)));
      }
    });
  }
});
