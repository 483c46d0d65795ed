/**
 * A STAC item's `proj:epsg` / `proj:wkt2` give the CRS where the band file does not: a file
 * without GeoKeys tiles in the item's EPSG code (its patches then carry that code), and a
 * user-defined projection co2sat does not build from GeoKeys (equidistant conic) tiles through
 * the item's WKT2. Patches are compared with GDAL's (gdal_translate -srcwin, sites
 * placed by PROJ) on the same pixels with their CRS. Fixtures: test/fixtures/crs/make.sh.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPatch } from '../../src/geo/readPatch.js';
import { Raster } from '../../src/geo/tiff/openRaster.js';
import { parseManifest } from '../../src/records/manifest.js';
import { parseSites } from '../../src/records/sites.js';
import { tileScenes } from '../../src/tiling/tileScenes.js';
import { bsqSha256 } from '../geo/gdalChecksum.js';
import { oracle, ORACLE_NOTE, REPO_ROOT } from '../helpers/oracle.js';
import { gdalSceneAnswer } from './gdalReference.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/crs');
const SITES_FILE = path.join(FIX, 'sites.geojson');
const SIZE = 8;
const sites = parseSites(readFileSync(SITES_FILE, 'utf8'), SITES_FILE).map((s) => [s.site_id, s.lon, s.lat] as [string, number, number]);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'co2sat-stac-crs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ONE_BAND = { name: 'one-band', file_pattern: '_(B1)\\.tif$', bands: [{ id: 'B1', resolution_m: 10, wavelength_nm: 842 }] };

function item(id: string, href: string, proj: Record<string, unknown>): Record<string, unknown> {
  return { type: 'Feature', stac_version: '1.0.0', id, geometry: null, properties: { datetime: '2024-05-17T10:25:59Z', ...proj }, assets: { B1: { href, type: 'image/tiff; application=geotiff' } }, links: [] };
}

async function tileItems(items: Record<string, unknown>[], name: string): Promise<{ out: string; summary: Awaited<ReturnType<typeof tileScenes>> }> {
  const dir = path.join(tmp, name);
  const out = path.join(dir, 'tiles');
  const bandSet = path.join(tmp, `${name}-bands.json`);
  writeFileSync(bandSet, JSON.stringify(ONE_BAND));
  const itemsFile = path.join(tmp, `${name}-items.json`);
  writeFileSync(itemsFile, JSON.stringify({ type: 'FeatureCollection', features: items }));
  const summary = await tileScenes({ scenesDir: itemsFile, sitesFile: SITES_FILE, outDir: out, size: SIZE, bandSet });
  return { out, summary };
}

describe(`the CRS from a STAC item (${ORACLE_NOTE})`, () => {
  it("a band file without GeoKeys tiles in the item's proj:epsg, as GDAL tiles its twin with the CRS; the patches carry the code", async () => {
    const withCrs = path.join(FIX, 'stac/etrs89_B1.tif');
    const answer = oracle('tiling/crs/stac-etrs89', () => gdalSceneAnswer(withCrs, sites, SIZE), { inputs: { scene: withCrs } });
    const { out, summary } = await tileItems([item('NOCRS', path.join(FIX, 'stac/etrs89_nocrs_B1.tif'), { 'proj:epsg': 25832 })], 'epsg');
    expect(summary.failures).toEqual([]);
    const records = parseManifest(readFileSync(path.join(out, 'manifest.jsonl'), 'utf8'));
    expect(records.map((r) => r.site_id).sort()).toEqual(answer.inside.map((p) => p.site_id).sort());
    expect(answer.inside.map((p) => p.site_id).sort()).toEqual(['rhine-centre', 'rhine-corner', 'rhine-edge']);
    for (const ref of answer.inside) {
      const rec = records.find((r) => r.site_id === ref.site_id)!;
      expect(rec.epsg).toBe(25832);
      expect(rec.window).toEqual(ref.window);
      const patch = await readPatch(path.join(out, rec.path));
      expect(bsqSha256(patch.bands), ref.site_id).toBe(ref.sha256);
      const r = await Raster.open(path.join(out, rec.path));
      expect(r.epsg).toBe(25832);
      await r.close();
    }
  });

  it("a projection the GeoKeys cannot give tiles through the item's proj:wkt2; without it the scene asks for --crs-proj4", async () => {
    const file = path.join(FIX, 'stac/eqdc_B1.tif');
    const wkt2 = readFileSync(path.join(FIX, 'stac/eqdc.wkt2'), 'utf8');
    const answer = oracle('tiling/crs/stac-eqdc', () => gdalSceneAnswer(file, sites, SIZE), { inputs: { scene: file } });
    expect(answer.inside.map((p) => p.site_id).sort()).toEqual(['iowa-centre', 'iowa-corner', 'iowa-edge']);
    const { out, summary } = await tileItems([item('EQDC', file, { 'proj:wkt2': wkt2 })], 'wkt2');
    expect(summary.failures).toEqual([]);
    const records = parseManifest(readFileSync(path.join(out, 'manifest.jsonl'), 'utf8'));
    expect(records.map((r) => r.site_id).sort()).toEqual(answer.inside.map((p) => p.site_id).sort());
    for (const ref of answer.inside) {
      const rec = records.find((r) => r.site_id === ref.site_id)!;
      expect(rec.window, ref.site_id).toEqual(ref.window);
      const patch = await readPatch(path.join(out, rec.path));
      expect(bsqSha256(patch.bands), ref.site_id).toBe(ref.sha256);
    }
    const without = await tileItems([item('EQDC', file, {})], 'nowkt2');
    expect(without.summary.failures).toHaveLength(1);
    expect(without.summary.failures[0]!.reason).toMatch(/projection method 13 \(ProjCoordTransGeoKey\) is not supported: pass its proj4 definition with option 'crs-proj4'/);
  });

  it('an oblique Mercator WKT2, which proj4 misreads, is refused with the reason instead of placing sites wrong', async () => {
    const file = path.join(REPO_ROOT, 'test/fixtures/crs/bad/user_defined_omerc_20200101T000000.tif');
    const wkt2 = readFileSync(path.join(FIX, 'bad/omerc.wkt2'), 'utf8');
    const { summary } = await tileItems([item('OMERC', file, { 'proj:wkt2': wkt2 })], 'omerc');
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]!.reason).toMatch(/proj4 refuses the STAC item's proj:wkt2: proj4 misreads the oblique Mercator in WKT/);
  });
});
