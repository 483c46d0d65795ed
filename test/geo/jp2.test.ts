/**
 * JPEG 2000 reading (geo/jp2): every band file of the SAFE fixtures (lossless JP2s GDAL wrote
 * with JP2OpenJPEG; UInt16 and Byte, 3 × 3 and 2 × 2 codestream tiles with partial right and
 * bottom tiles, with and without TLM markers, one-tile files) decodes tile by tile to exactly
 * the pixels GDAL's own JP2 driver reads; a window reads only the tiles it overlaps; broken
 * files fail naming the file.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Jp2Raster } from '../../src/geo/jp2/jp2Raster.js';
import { readWindow } from '../../src/geo/readWindow.js';
import { oracle, ORACLE_NOTE, REPO_ROOT } from '../helpers/oracle.js';
import { gdalBatch } from '../tiling/gdalBatch.js';

const SAFE = path.join(REPO_ROOT, 'test/fixtures/tiling/safe/scenes');
const GEOREF = { geoTransform: [399960, 10, 0, 5400000, 0, -10] as [number, number, number, number, number, number], epsg: 32619, nodata: 0 };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'co2sat-jp2-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function jp2Files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jp2'))
    .map((f) => path.join(dir, f))
    .sort();
}

const files = jp2Files(SAFE);
const rel = (f: string): string => path.relative(SAFE, f);

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe(`JPEG 2000 band files decode as GDAL reads them (${ORACLE_NOTE})`, () => {
  it('finds the fixture files (both products, all resolutions)', () => {
    expect(files.length).toBe(13 + 16);
  });

  it('every file, decoded tile by tile, equals GDAL JP2OpenJPEG pixel for pixel', async () => {
    const answer = oracle('geo/jp2/fixture-pixels', () =>
      (gdalBatch(files.map((file) => ({ op: 'read' as const, file }))) as { b64: string; type: string }[]).map((a, i) => ({
        file: rel(files[i]!),
        type: a.type,
        sha256: sha256(Buffer.from(a.b64, 'base64')),
      })),
      { inputs: Object.fromEntries(files.map((f) => [rel(f), f])) },
    );
    expect(answer.map((a) => a.file)).toEqual(files.map(rel));
    let multiTile = 0;
    for (const [i, file] of files.entries()) {
      const r = await Jp2Raster.open(file, GEOREF);
      try {
        if (r.tileGrid.across * r.tileGrid.down > 1) multiTile++;
        const [band] = await readWindow(r, { xoff: 0, yoff: 0, width: r.width, height: r.height });
        const bytes = new Uint8Array(band!.buffer, band!.byteOffset, band!.byteLength);
        expect({ type: r.dataType === 'uint8' ? 'Byte' : 'UInt16', sha256: sha256(bytes) }, rel(file)).toEqual({ type: answer[i]!.type, sha256: answer[i]!.sha256 });
      } finally {
        await r.close();
      }
    }
    expect(multiTile).toBeGreaterThanOrEqual(10);
  });

  it('a window reads and decodes only the codestream tiles it overlaps', async () => {
    const file = files.find((f) => f.endsWith('_B04_10m.jp2'))!;
    const r = await Jp2Raster.open(file, GEOREF);
    try {
      expect(r.tileGrid).toEqual({ across: 3, down: 3 });
      const header = r.bytesRead;
      // Inside tile (1, 1) only: 32..63 in both directions.
      const [inner] = await readWindow(r, { xoff: 36, yoff: 40, width: 16, height: 16 });
      const oneTile = r.bytesRead - header;
      const size = statSync(file).size;
      expect(oneTile).toBeGreaterThan(0);
      expect(oneTile).toBeLessThan(size / 4);
      // The same pixels from the whole-image read.
      const [whole] = await readWindow(r, { xoff: 0, yoff: 0, width: 96, height: 96 });
      for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) expect(inner![y * 16 + x]).toBe(whole![(40 + y) * 96 + 36 + x]);
    } finally {
      await r.close();
    }
  });

  it('broken files fail with one line naming the file', async () => {
    const good = readFileSync(files.find((f) => f.endsWith('_B04_10m.jp2'))!);
    const cut = path.join(tmp, 'cut.jp2');
    writeFileSync(cut, good.subarray(0, Math.floor(good.length * 0.6)));
    await expect(Jp2Raster.open(cut, GEOREF)).rejects.toThrow(/cut\.jp2.*truncated/);
    const notJp2 = path.join(tmp, 'not.jp2');
    writeFileSync(notJp2, Buffer.from('II*\0 this is a TIFF header, not JPEG 2000'));
    await expect(Jp2Raster.open(notJp2, GEOREF)).rejects.toThrow(/not\.jp2.*not a JPEG 2000 file/);
  });
});
