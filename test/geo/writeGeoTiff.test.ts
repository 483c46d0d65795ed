/**
 * writeGeoTiff against GDAL: every data type, compression, predictor and block layout is
 * written, then GDAL's view of it (size, type, geotransform, EPSG, nodata, band
 * description, per-band checksum) must match what was written; readPatch must give the
 * arrays back exactly. GDAL answers live where installed, else from goldens.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readPatch } from '../../src/geo/readPatch.js';
import { allocRaster, gdalTypeName, type RasterDataType } from '../../src/geo/rasterTypes.js';
import { encodeGeoTiff, IN_MEMORY_GEOTIFF_BYTES, writeGeoTiff, type GeoTiffSpec } from '../../src/geo/writeGeoTiff.js';
import { gdalinfoJson, oracle, ORACLE_NOTE } from '../helpers/oracle.js';
import { epsgOfWkt, gdalChecksum } from './gdalChecksum.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic, non-trivial band values (a seeded LCG, not a gradient GDAL could fake). */
function bandValues(type: RasterDataType, n: number, seed: number): ReturnType<typeof allocRaster> {
  const a = allocRaster(type, n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const r = s / 2 ** 32;
    a[i] = type === 'uint8' ? Math.floor(r * 256) : type === 'uint16' ? Math.floor(r * 12000) : type === 'int16' ? Math.floor(r * 20000) - 10000 : (r - 0.5) * 1e3;
  }
  return a;
}

interface Case {
  name: string;
  spec: Omit<GeoTiffSpec, 'bands'> & { bandCount: number };
}

const cases: Case[] = [
  { name: 'u16-utm-deflate-strips', spec: { width: 67, height: 45, dataType: 'uint16', bandCount: 3, geoTransform: [600000, 10, 0, 5300000, 0, -10], epsg: 32632, nodata: 0, bandDescriptions: ['B02', 'B03', 'B04'], datetime: '2024:05:17 10:25:59' } },
  { name: 'u16-utm-south-tiles-pred2', spec: { width: 70, height: 33, dataType: 'uint16', bandCount: 2, geoTransform: [300000, 20, 0, 8000000, 0, -20], epsg: 32719, nodata: 0, predictor: 2, blockSize: 32 } },
  { name: 'u8-4326-none', spec: { width: 40, height: 41, dataType: 'uint8', bandCount: 1, geoTransform: [-69.8, 0.001, 0, 48.4, 0, -0.001], epsg: 4326, compression: 'none' } },
  { name: 'i16-3857-tiles-nodata', spec: { width: 50, height: 50, dataType: 'int16', bandCount: 2, geoTransform: [-7770000, 30, 0, 6160000, 0, -30], epsg: 3857, nodata: -32768, blockSize: 16, predictor: 2 } },
  { name: 'u16-pixel-is-point-keys', spec: { width: 20, height: 12, dataType: 'uint16', bandCount: 1, geoTransform: [471585, 30, 0, 3787515, 0, -30], epsg: 32617, geoKeys: { directory: [1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 2, 3072, 0, 1, 32617] } } },
  { name: 'f32-utm-pred3-nan', spec: { width: 37, height: 29, dataType: 'float32', bandCount: 1, geoTransform: [500000, 60, 0, 4000000, 0, -60], epsg: 32617, nodata: Number.NaN, predictor: 3 } },
];

describe(`writeGeoTiff (${ORACLE_NOTE})`, () => {
  for (const c of cases) {
    it(`${c.name}: GDAL reads back what was written`, async () => {
      const { bandCount, ...rest } = c.spec;
      const bands = Array.from({ length: bandCount }, (_, i) => bandValues(rest.dataType, rest.width * rest.height, 17 + i));
      const file = path.join(dir, `${c.name}.tif`);
      await writeGeoTiff(file, { ...rest, bands });

      const back = await readPatch(file);
      expect(back.width).toBe(rest.width);
      expect(back.dataType).toBe(rest.dataType);
      expect(back.geoTransform).toEqual(rest.geoTransform);
      expect(back.epsg).toBe(rest.epsg);
      back.bands.forEach((b, i) => expect(Array.from(b)).toEqual(Array.from(bands[i]!)));

      const gdal = oracle(`geo/write/${c.name}`, () => {
        const info = gdalinfoJson(file, ['-checksum']);
        return {
          size: info.size,
          geoTransform: info.geoTransform,
          epsg: epsgOfWkt(info.coordinateSystem?.wkt),
          bands: info.bands.map((b) => ({ type: b.type, noDataValue: b.noDataValue ?? null, checksum: b.checksum, description: b.description ?? null })),
          datetime: (info.metadata?.['']?.TIFFTAG_DATETIME as string | undefined) ?? null,
        };
      }, { inputs: { written: file } });
      expect(gdal.size).toEqual([rest.width, rest.height]);
      expect(gdal.geoTransform).toEqual(rest.geoTransform);
      expect(gdal.epsg).toBe(rest.epsg);
      expect(gdal.datetime).toBe(rest.datetime ?? null);
      gdal.bands.forEach((b, i) => {
        expect(b.type).toBe(gdalTypeName[rest.dataType]);
        const nd = rest.nodata ?? null;
        expect(b.noDataValue).toEqual(nd !== null && Number.isNaN(nd) ? 'NaN' : nd);
        expect(b.description).toBe(rest.bandDescriptions?.[i] ?? null);
        expect(gdalChecksum(bands[i]!, rest.width, rest.height)).toBe(b.checksum);
      });
    });
  }

  // encodeGeoTiff (tiling's in-memory patches) must be the very file writeGeoTiff writes,
  // which GDAL reads back above: byte for byte, over every case.
  it.each(cases.map((c) => [c.name, c] as const))('encodeGeoTiff %s: the same bytes as writeGeoTiff', async (_, c) => {
    const { bandCount, ...rest } = c.spec;
    const bands = Array.from({ length: bandCount }, (_, i) => bandValues(rest.dataType, rest.width * rest.height, 31 + i));
    const file = path.join(dir, `${c.name}-encode.tif`);
    await writeGeoTiff(file, { ...rest, bands });
    const bytes = await encodeGeoTiff({ ...rest, bands });
    expect(bytes.length).toBe(readFileSync(file).length);
    expect(Buffer.compare(bytes, readFileSync(file))).toBe(0);
  });

  it('encodeGeoTiff refuses rasters too large to hold in memory', async () => {
    const side = Math.ceil(Math.sqrt(IN_MEMORY_GEOTIFF_BYTES / 2)) + 1;
    await expect(encodeGeoTiff({ width: side, height: side, dataType: 'uint16', bands: [new Uint16Array(side * side)], geoTransform: [0, 1, 0, 0, 0, -1], epsg: 32632 })).rejects.toThrow(/use writeGeoTiff/);
  });

  it('rejects inconsistent specs before creating any file', async () => {
    const file = path.join(dir, 'bad.tif');
    const base = { width: 4, height: 4, dataType: 'uint16' as const, geoTransform: [0, 1, 0, 0, 0, -1] as GeoTiffSpec['geoTransform'], epsg: 32632 };
    await expect(writeGeoTiff(file, { ...base, bands: [new Uint16Array(15)] })).rejects.toThrow(/15 samples, expected 16/);
    await expect(writeGeoTiff(file, { ...base, bands: [new Int16Array(16)] })).rejects.toThrow(/not a uint16 array/);
    await expect(writeGeoTiff(file, { ...base, bands: [new Uint16Array(16)], blockSize: 20 })).rejects.toThrow(/multiple of 16/);
    await expect(writeGeoTiff(file, { ...base, bands: [new Uint16Array(16)], predictor: 3 })).rejects.toThrow(/float32 only/);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('readPatch names the file for missing, non-TIFF and truncated input', async () => {
    const junk = path.join(dir, 'junk.tif');
    writeFileSync(junk, Buffer.from('this is not a tiff at all, just text bytes'));
    await expect(readPatch(path.join(dir, 'missing.tif'))).rejects.toThrow(InputError);
    await expect(readPatch(junk)).rejects.toThrow(/junk\.tif: not a TIFF file/);
  });
});

describe('windowed reads stay windowed', () => {
  it('a 64² window of a 1024² tiled DEFLATE scene reads a few tiles, never the image', async () => {
    const { Raster } = await import('../../src/geo/tiff/openRaster.js');
    const { readWindow } = await import('../../src/geo/readWindow.js');
    const w = 1024;
    const bands = [0, 1, 2].map((i) => bandValues('uint16', w * w, 99 + i));
    const file = path.join(dir, 'big.tif');
    await writeGeoTiff(file, { width: w, height: w, dataType: 'uint16', bands, geoTransform: [600000, 10, 0, 5300000, 0, -10], epsg: 32632, blockSize: 128 });
    const raster = await Raster.open(file);
    try {
      const { size } = await import('node:fs').then((fs) => fs.statSync(file));
      const atOpen = raster.bytesRead; // header + IFD (tile offsets/byte counts)
      const win = { xoff: 480, yoff: 480, width: 64, height: 64 }; // crosses the tile corner at 512
      const got = await readWindow(raster, win);
      const windowBytes = raster.bytesRead - atOpen;
      // 4 tiles × 3 bands of ~32 KiB compressed each, out of 64 tiles × 3 bands.
      expect(windowBytes).toBeLessThanOrEqual(12 * (size / (64 * 3)) * 1.2);
      expect(raster.bytesRead).toBeLessThan(size * 0.1);
      for (let b = 0; b < 3; b++) {
        for (const [r, c] of [[0, 0], [23, 24], [63, 63]] as const) expect(got[b]![r * 64 + c]).toBe(bands[b]![(480 + r) * w + 480 + c]);
      }
    } finally {
      await raster.close();
    }
  });
});
