/**
 * CRSs against GDAL/PROJ. (1) EPSG codes beyond co2sat's own table resolve through proj4 and
 * the EPSG index and project WGS 84 points where PROJ does (national grids, LAEA Europe,
 * polar stereographic north and south, UPS); codes that need a datum grid are refused by
 * name. (2) GeoKeys of user-defined CRSs as GDAL writes them (test/fixtures/crs/keys/, one
 * file per projection method, with custom ellipsoids, TOWGS84 and US feet) become proj4
 * definitions that put GDAL's own lon/lat of the file's pixel corners back on those corners.
 * (3) "Inside" is decided on the pixel grid: sites across 180° and round the pole.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crsForEpsg, epsgProblem, fromCrs, toCrs, type Crs } from '../../src/geo/crs.js';
import { siteOnGrid } from '../../src/geo/footprint.js';
import { proj4FromGeoKeys } from '../../src/geo/geoKeys.js';
import { Raster } from '../../src/geo/tiff/openRaster.js';
import { oracle, ORACLE_NOTE, REPO_ROOT } from '../helpers/oracle.js';
import { gdalBatch } from '../tiling/gdalBatch.js';

const KEYS = path.join(REPO_ROOT, 'test/fixtures/crs/keys');

/** EPSG code → lon/lat points inside its area of use. */
const EPSG_POINTS: Record<number, [number, number][]> = {
  25832: [[6.62, 50.93], [11.9, 54.1], [7.3, 47.6]],
  3035: [[13.4, 52.52], [-8.6, 41.1], [24.9, 60.2]],
  3031: [[0, -89.99], [135, -75], [-60, -65.5]],
  3413: [[-45, 75], [10, 80], [-150, 70.5]],
  32661: [[0, 89], [100, 85], [-120, 88.5]],
  2154: [[2.35, 48.85], [5.37, 43.3], [-1.55, 47.2]],
  5070: [[-96, 39], [-120, 45], [-75, 35]],
  3577: [[133, -25], [151.2, -33.9], [115.9, -31.9]],
  2056: [[7.44, 46.95], [8.54, 47.37], [6.14, 46.2]],
};

describe(`EPSG codes from proj4 and the EPSG index (${ORACLE_NOTE})`, () => {
  for (const [code, points] of Object.entries(EPSG_POINTS)) {
    it(`EPSG:${code} projects as PROJ does (to the millimetre)`, () => {
      const crs = crsForEpsg(Number(code));
      expect(crs, `EPSG:${code}`).not.toBeNull();
      const gdalXy = oracle(`geo/crs/epsg${code}`, () => gdalBatch([{ op: 'transform', srs: `EPSG:${code}`, points }])[0] as [number, number][]);
      const forward = toCrs(crs!);
      points.forEach((p, i) => {
        const [x, y] = forward(p);
        const [gx, gy] = gdalXy[i]!;
        expect(Math.hypot(x - gx, y - gy), `${p} → (${x}, ${y}) vs GDAL (${gx}, ${gy})`).toBeLessThan(1e-3);
      });
    });
  }

  it('codes that need a datum grid, and codes that are not CRSs, are refused with the reason', () => {
    expect(crsForEpsg(27700)).toBeNull();
    expect(epsgProblem(27700)).toMatch(/^EPSG:27700 \(OSGB36 \/ British National Grid\) shifts its datum with the grid OSTN15_NTv2_OSGBtoETRS\.gsb/);
    expect(crsForEpsg(999999)).toBeNull();
    expect(epsgProblem(999999)).toBe('EPSG:999999 is not in the EPSG index');
    expect(crsForEpsg(5773)).toBeNull(); // EGM96 height: a vertical CRS
    expect(epsgProblem(5773)).toMatch(/CRS-VERTCRS/);
    // The built-in strings stay as they were (UTM, 4326, 3857).
    expect(crsForEpsg(32760)?.proj4).toBe('+proj=utm +zone=60 +south +datum=WGS84 +units=m +no_defs');
  });
});

describe(`proj4 from user-defined GeoKeys as GDAL writes them (${ORACLE_NOTE})`, () => {
  const files = readdirSync(KEYS).filter((f) => f.endsWith('.tif')).sort();
  it('has one fixture per projection method', () => expect(files.length).toBeGreaterThanOrEqual(14));
  for (const name of files) {
    it(`${name}: GDAL's lon/lat of the pixel corners map back onto them`, async () => {
      const file = path.join(KEYS, name);
      const pixels: [number, number][] = [[0, 0], [4, 0], [0, 4], [4, 4], [2, 2]];
      const lonLat = oracle(`geo/crs/keys-${name.replace(/\.tif$/, '')}`, () => gdalBatch([{ op: 'to_wgs84', file, pixels }])[0] as [number, number][], { inputs: { file } });
      const r = await Raster.open(file);
      const gt = r.geoTransform!;
      const keys = r.geoKeys!;
      await r.close();
      const built = proj4FromGeoKeys(keys);
      expect(built, name).toHaveProperty('proj4');
      const crs: Crs = { epsg: null, proj4: (built as { proj4: string }).proj4, label: name };
      const forward = toCrs(crs);
      const metresPerUnit = name.includes('usft') ? 1200 / 3937 : 1;
      pixels.forEach(([c, l], i) => {
        const [x, y] = forward(lonLat[i]!);
        const [ex, ey] = [gt[0] + c * gt[1] + l * gt[2], gt[3] + c * gt[4] + l * gt[5]];
        // 1 mm, in the file's unit (degrees for the geographic one: 1e-8°).
        const tol = name.startsWith('longlat') ? 1e-8 : 1e-3 / metresPerUnit;
        expect(Math.abs(x - ex), `${name} pixel (${c}, ${l}) x: ${crs.proj4}`).toBeLessThan(tol);
        expect(Math.abs(y - ey), `${name} pixel (${c}, ${l}) y: ${crs.proj4}`).toBeLessThan(tol);
      });
    });
  }

  it('a method co2sat does not build is named', async () => {
    const r = await Raster.open(path.join(REPO_ROOT, 'test/fixtures/crs/bad/user_defined_omerc_20200101T000000.tif'));
    expect(proj4FromGeoKeys(r.geoKeys!)).toEqual({ problem: 'projection method 9815 (ProjCoordTransGeoKey) is not supported' });
    await r.close();
  });
});

describe('inside a scene is decided on its pixel grid', () => {
  const utm60s = crsForEpsg(32760)!;
  // 64 x 48 pixels of 30 m centred on 180° at 16.8° S (as the UTM60S fixture scene).
  const fiji = { width: 64, height: 48, geoTransform: [818830, 30, 0, 8140868, 0, -30] as [number, number, number, number, number, number], crs: utm60s };
  const southPole = { width: 64, height: 48, geoTransform: [-3200, 100, 0, 2400, 0, -100] as [number, number, number, number, number, number], crs: crsForEpsg(3031)! };

  it('keeps sites on both sides of 180° and drops those beyond the edges', () => {
    const west = siteOnGrid(179.996, -16.8, fiji);
    const east = siteOnGrid(-179.9962, -16.7953, fiji);
    expect(west && east).toBeTruthy();
    expect(west!.col).toBeLessThan(32);
    expect(east!.col).toBeGreaterThan(32);
    expect(siteOnGrid(-179.98, -16.8, fiji)).toBeNull();
    expect(siteOnGrid(179.98, -16.8, fiji)).toBeNull();
    expect(siteOnGrid(0, 16.8, fiji)).toBeNull(); // the antipode
  });

  it('the raster edges are the bounds: half-open [0, width) x [0, height)', () => {
    const inverse = fromCrs(utm60s);
    const at = (col: number, row: number): [number, number] => inverse([818830 + col * 30, 8140868 - row * 30]);
    for (const [col, row, inside] of [[0.2, 10, true], [-0.3, 10, false], [63.8, 47.9, true], [64.2, 10, false], [10, -0.2, false], [10, 48.1, false]] as const) {
      const [lon, lat] = at(col, row);
      const got = siteOnGrid(lon, lat, fiji);
      expect(got !== null, `pixel (${col}, ${row})`).toBe(inside);
      if (got) expect(Math.abs(got.col - col) + Math.abs(got.row - row)).toBeLessThan(1e-6);
    }
  });

  it('keeps sites all round the pole, the pole itself, and drops the other pole', () => {
    for (const lon of [-180, -135, -90, 0, 45, 90, 170, 180]) expect(siteOnGrid(lon, -89.99, southPole), `lon ${lon}`).not.toBeNull();
    const pole = siteOnGrid(0, -90, southPole)!;
    expect([pole.col, pole.row]).toEqual([32, 24]);
    expect(siteOnGrid(45, -89.9, southPole)).toBeNull();
    expect(siteOnGrid(0, 90, southPole)).toBeNull(); // no finite answer: proj4 throws
  });
});
