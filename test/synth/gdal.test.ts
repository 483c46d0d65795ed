/**
 * The written scenes as GDAL sees them (`gdalinfo -json`, live where GDAL is installed,
 * golden answers elsewhere): CRS, geotransform, per-band resolution on one aligned grid,
 * data type, nodata, band description and the TIFF DateTime of the acquisition.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gdal, gdalinfoJson, oracle, ORACLE_NOTE } from '../helpers/oracle.js';
import { readPatch } from '../../src/geo/readPatch.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { makeWorld, type TestWorld } from './helpers.js';

interface BandFacts {
  size: [number, number];
  geoTransform: number[] | undefined;
  epsg: string | null;
  types: string[];
  nodata: (number | string | undefined)[];
  descriptions: (string | undefined)[];
  datetime: string | undefined;
}

function facts(file: string): BandFacts {
  const info = gdalinfoJson(file);
  const ids = [...(info.coordinateSystem?.wkt ?? '').matchAll(/ID\["EPSG",(\d+)\]/g)];
  return {
    size: info.size,
    geoTransform: info.geoTransform,
    epsg: ids.length > 0 ? ids[ids.length - 1]![1]! : null,
    types: info.bands.map((b) => b.type),
    nodata: info.bands.map((b) => b.noDataValue),
    descriptions: info.bands.map((b) => b.description),
    datetime: info.metadata?.['']?.TIFFTAG_DATETIME,
  };
}

const SIZE = 192; // not a multiple of 6: the 60 m grid rounds up to cover the footprint

describe(`synth scenes read by GDAL (${ORACLE_NOTE})`, () => {
  let perBand: TestWorld;
  let multi: TestWorld;
  beforeAll(async () => {
    perBand = await makeWorld({ sites: 2, dates: 1, size: SIZE, seed: 3 });
    multi = await makeWorld({ sites: 2, dates: 1, size: SIZE, seed: 3, layout: 'multiband' });
  }, 60_000);
  afterAll(() => [perBand, multi].forEach((w) => w?.cleanup()));

  const expected: [string, number, string][] = [
    ['B02', 10, 'UInt16'],
    ['B08', 10, 'UInt16'],
    ['B05', 20, 'UInt16'],
    ['B12', 20, 'UInt16'],
    ['B01', 60, 'UInt16'],
    ['B09', 60, 'UInt16'],
    ['SCL', 20, 'Byte'],
  ];

  it.each(expected)('per-band %s: %d m on the shared UTM 32N grid, %s, nodata 0', (band, res, type) => {
    const product = readdirSync(path.join(perBand.dir, 'scenes'))[0]!;
    const file = readdirSync(path.join(perBand.dir, 'scenes', product)).find((f) => f.includes(`_${band}_${res}m`))!;
    expect(file).toBeDefined();
    const scene = path.join(perBand.dir, 'scenes', product, file);
    const got = oracle(`synth/per-band-${band}`, () => facts(scene), { inputs: { [band]: scene } });
    const n = Math.ceil((SIZE * 10) / res);
    expect(got.size).toEqual([n, n]);
    expect(got.geoTransform).toEqual([600000, res, 0, 5700000, 0, -res]);
    expect(got.epsg).toBe('32632');
    expect(got.types).toEqual([type]);
    expect(got.nodata).toEqual([0]);
    expect(got.descriptions).toEqual([band]);
    expect(got.datetime).toBe('2024:01:02 10:25:59');
  });

  it('multiband: 12 reflectance bands at 10 m in S2 order, SCL beside it in scl/', () => {
    const file = readdirSync(path.join(multi.dir, 'scenes'))[0]!;
    expect(file).toMatch(/^S2A_MSIL2A_20240102T102559_N0510_R108_T32UPC_\d{8}T\d{6}\.tif$/);
    const stack = path.join(multi.dir, 'scenes', file);
    const sclFile = path.join(multi.dir, 'scl', file.replace('.tif', '_SCL_20m.tif'));
    const got = oracle('synth/multiband', () => facts(stack), { inputs: { multiband: stack } });
    const scl = oracle('synth/multiband-scl', () => facts(sclFile), { inputs: { scl: sclFile } });
    expect(got.size).toEqual([SIZE, SIZE]);
    expect(got.geoTransform).toEqual([600000, 10, 0, 5700000, 0, -10]);
    expect(got.epsg).toBe('32632');
    expect(got.types).toEqual(new Array(12).fill('UInt16'));
    expect(got.nodata).toEqual(new Array(12).fill(0));
    expect(got.descriptions).toEqual(['B01', 'B02', 'B03', 'B04', 'B05', 'B06', 'B07', 'B08', 'B8A', 'B09', 'B11', 'B12']);
    expect(scl.types).toEqual(['Byte']);
    expect(scl.geoTransform).toEqual([600000, 20, 0, 5700000, 0, -20]);
  });

  it('GDAL reads the same pixel values as co2sat (a window of B04 and SCL around a site)', async () => {
    const product = readdirSync(path.join(perBand.dir, 'scenes'))[0]!;
    const folder = path.join(perBand.dir, 'scenes', product);
    for (const [band, res] of [['B04', 10], ['SCL', 20]] as const) {
      const file = path.join(folder, readdirSync(folder).find((f) => f.includes(`_${band}_`))!);
      const site = perBand.truth.sites[0];
      if (site === undefined) throw new Error('a world without sites');
      const col = Math.floor((site.x - 600000) / res) - 4;
      const row = Math.floor((5700000 - site.y) / res) - 4;
      const values = oracle(`synth/window-${band}`, () => {
        const tmp = mkdtempSync(path.join(os.tmpdir(), 'co2sat-gdal-'));
        try {
          gdal('gdal_translate', ['-q', '-of', 'AAIGrid', '-srcwin', String(col), String(row), '8', '8', file, path.join(tmp, 'w.asc')]);
          return readFileSync(path.join(tmp, 'w.asc'), 'utf8').split('\n').slice(6).join(' ').trim().split(/\s+/).map(Number);
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      }, { inputs: { [band]: file } });
      const patch = await readPatch(file);
      const ours: number[] = [];
      for (let r = row; r < row + 8; r++) for (let c = col; c < col + 8; c++) ours.push(patch.bands[0]![r * patch.width + c]!);
      expect(ours, band).toEqual(values);
      expect(new Set(values).size, `${band} window is not constant`).toBeGreaterThan(1);
    }
  });

  it('multiband holds the per-band pixels: 10 m bands as is, 20/60 m by nearest neighbour', async () => {
    const product = readdirSync(path.join(perBand.dir, 'scenes'))[0]!;
    const folder = path.join(perBand.dir, 'scenes', product);
    const stack = await readPatch(path.join(multi.dir, 'scenes', `${product}.tif`));
    for (const [index, band, res] of [[1, 'B02', 10], [4, 'B05', 20], [0, 'B01', 60]] as const) {
      const single = await readPatch(path.join(folder, readdirSync(folder).find((f) => f.includes(`_${band}_`))!));
      const f = res / 10;
      for (let r = 0; r < SIZE; r += 7) {
        for (let c = 0; c < SIZE; c += 5) {
          expect(stack.bands[index]![r * SIZE + c], `${band} (${c}, ${r})`).toBe(single.bands[0]![Math.floor(r / f) * single.width + Math.floor(c / f)]);
        }
      }
    }
  });
});
