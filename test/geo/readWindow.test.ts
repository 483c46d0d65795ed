/**
 * The encoding matrix: every fixture in test/fixtures/tiling/encodings (strips/tiles,
 * none/LZW/DEFLATE/ZSTD/PackBits, predictors 2 and 3, planar separate and pixel
 * interleaved, BigTIFF, big-endian, COG with overviews, UInt8/UInt16/Int16/Float32,
 * nodata, UTM/4326/3857/sinusoidal) is read through windows inside, across block
 * boundaries and partly outside the raster, and compared byte for byte with
 * `gdal_translate -srcwin … -of ENVI`; georeferencing is compared with `gdalinfo -json`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gdalTypeName } from '../../src/geo/rasterTypes.js';
import { readWindow } from '../../src/geo/readWindow.js';
import { Raster } from '../../src/geo/tiff/openRaster.js';
import type { Window } from '../../src/geo/window.js';
import { gdal, gdalinfoJson, oracle, ORACLE_NOTE, REPO_ROOT } from '../helpers/oracle.js';
import { bsqSha256, epsgOfWkt } from './gdalChecksum.js';

const ENC = path.join(REPO_ROOT, 'test/fixtures/tiling/encodings');
const files = readdirSync(ENC).filter((f) => f.endsWith('.tif')).sort();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'co2sat-enc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Windows relative to the raster size: whole, interior across blocks, corners partly outside. */
function windowsFor(w: number, h: number): Window[] {
  return [
    { xoff: 0, yoff: 0, width: w, height: h },
    { xoff: 5, yoff: 7, width: 20, height: 18 },
    { xoff: -6, yoff: h - 10, width: 24, height: 24 },
    { xoff: w - 9, yoff: -4, width: 16, height: 15 },
  ];
}

function gdalWindowSha(file: string, win: Window, n: number): string {
  const out = path.join(tmp, `w${n}.img`);
  gdal('gdal_translate', ['-q', '-of', 'ENVI', '-co', 'INTERLEAVE=BSQ', '-srcwin', String(win.xoff), String(win.yoff), String(win.width), String(win.height), file, out]);
  return createHash('sha256').update(readFileSync(out)).digest('hex');
}

describe(`readWindow over the encoding matrix (${ORACLE_NOTE})`, () => {
  it('has the whole matrix', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of files) {
    it(name, async () => {
      const file = path.join(ENC, name);
      const raster = await Raster.open(file);
      try {
        const windows = windowsFor(raster.width, raster.height);
        const gdalAnswer = oracle(`tiling/encodings/${name.replace(/\.tif$/, '')}`, () => {
          const info = gdalinfoJson(file);
          return {
            size: info.size,
            geoTransform: info.geoTransform,
            epsg: epsgOfWkt(info.coordinateSystem?.wkt),
            type: info.bands[0]!.type,
            bands: info.bands.length,
            noDataValue: info.bands[0]!.noDataValue ?? null,
            windows: windows.map((w, i) => ({ window: w, sha256: gdalWindowSha(file, w, i) })),
          };
        });
        if (!gdalAnswer) return expect.fail('no GDAL and no golden answer');
        expect([raster.width, raster.height]).toEqual(gdalAnswer.size);
        expect(raster.bandCount).toBe(gdalAnswer.bands);
        expect(gdalTypeName[raster.dataType]).toBe(gdalAnswer.type);
        expect(raster.geoTransform).toEqual(gdalAnswer.geoTransform);
        expect(raster.epsg).toBe(gdalAnswer.epsg);
        expect(raster.nodata).toEqual(gdalAnswer.noDataValue);
        for (const { window, sha256 } of gdalAnswer.windows) {
          const bands = await readWindow(raster, window);
          expect(bsqSha256(bands), `window ${JSON.stringify(window)}`).toBe(sha256);
        }
      } finally {
        await raster.close();
      }
    });
  }
});
