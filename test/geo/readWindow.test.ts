/**
 * The encoding matrix: every fixture in test/fixtures/tiling/encodings (strips/tiles,
 * none/LZW/DEFLATE/ZSTD/PackBits, predictors 2 and 3, planar separate and pixel
 * interleaved, BigTIFF, big-endian, COG with overviews, UInt8/UInt16/Int16/Float32,
 * nodata, UTM/4326/3857/sinusoidal) is read through windows inside, across block
 * boundaries and partly outside the raster, and compared byte for byte with
 * `gdal_translate -srcwin … -of ENVI`; georeferencing is compared with `gdalinfo -json`.
 */
import { readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gdalTypeName } from '../../src/geo/rasterTypes.js';
import { readWindow } from '../../src/geo/readWindow.js';
import { Raster } from '../../src/geo/tiff/openRaster.js';
import type { Window } from '../../src/geo/window.js';
import { HAS_GDAL, oracle, ORACLE_NOTE, REPO_ROOT, type GdalInfo } from '../helpers/oracle.js';
import { gdalBatch, type GdalRequest, type SrcwinAnswer } from '../tiling/gdalBatch.js';
import { bsqSha256, epsgOfWkt } from './gdalChecksum.js';

const ENC = path.join(REPO_ROOT, 'test/fixtures/tiling/encodings');
const files = readdirSync(ENC).filter((f) => f.endsWith('.tif')).sort();

/** Windows relative to the raster size: whole, interior across blocks, corners partly outside. */
function windowsFor(w: number, h: number): Window[] {
  return [
    { xoff: 0, yoff: 0, width: w, height: h },
    { xoff: 5, yoff: 7, width: 20, height: 18 },
    { xoff: -6, yoff: h - 10, width: 24, height: 24 },
    { xoff: w - 9, yoff: -4, width: 16, height: 15 },
  ];
}

interface EncodingAnswer {
  size: [number, number];
  geoTransform?: number[];
  epsg: number | null;
  type: string;
  bands: number;
  noDataValue: number | string | null;
  windows: { window: Window; sha256: string }[];
}

/**
 * GDAL's answers for the whole matrix in one python3-gdal process (gdal.Info and
 * gdal.Translate(srcWin, ENVI, BSQ), i.e. gdalinfo -json and gdal_translate -srcwin).
 */
function liveAnswers(): Map<string, EncodingAnswer> {
  const infos = gdalBatch(files.map((f) => ({ op: 'info', file: path.join(ENC, f) }))) as GdalInfo[];
  const requests: GdalRequest[] = [];
  infos.forEach((info, i) => {
    for (const w of windowsFor(info.size[0], info.size[1])) requests.push({ op: 'srcwin', file: path.join(ENC, files[i]!), window: [w.xoff, w.yoff, w.width, w.height] });
  });
  const wins = gdalBatch(requests) as SrcwinAnswer[];
  const out = new Map<string, EncodingAnswer>();
  let k = 0;
  infos.forEach((info, i) => {
    out.set(files[i]!, {
      size: info.size,
      geoTransform: info.geoTransform,
      epsg: epsgOfWkt(info.coordinateSystem?.wkt),
      type: info.bands[0]!.type,
      bands: info.bands.length,
      noDataValue: info.bands[0]!.noDataValue ?? null,
      windows: windowsFor(info.size[0], info.size[1]).map((window) => ({ window, sha256: createHash('sha256').update(Buffer.from(wins[k++]!.b64, 'base64')).digest('hex') })),
    });
  });
  return out;
}

let live: Map<string, EncodingAnswer> | null = null;
beforeAll(() => {
  if (HAS_GDAL) live = liveAnswers();
});

describe(`readWindow over the encoding matrix (${ORACLE_NOTE})`, () => {
  it('has the whole matrix', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  // wholeFile: the file read once into memory (readPatch's way), else sliced reads of the file.
  for (const name of files) {
    it.each([false, true])(`${name} (wholeFile %s)`, async (wholeFile) => {
      const file = path.join(ENC, name);
      const raster = await Raster.open(file, { wholeFile });
      try {
        const gdalAnswer = oracle(`tiling/encodings/${name.replace(/\.tif$/, '')}`, () => live!.get(name)!, { inputs: { [name]: file } });
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
