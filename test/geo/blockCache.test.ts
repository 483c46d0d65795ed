/**
 * The block cache with partial (row-prefix) blocks: a longer prefix replaces a shorter one,
 * concurrent requests share one decode when it is long enough, and window reads that first
 * decode only the top rows of DEFLATE tiles and later need more give the same pixels as a
 * fresh read.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWindow } from '../../src/geo/readWindow.js';
import { BlockCache } from '../../src/geo/tiff/blockCache.js';
import { Raster } from '../../src/geo/tiff/openRaster.js';
import { REPO_ROOT } from '../helpers/oracle.js';
import { bsqSha256 } from './gdalChecksum.js';

describe('BlockCache', () => {
  it('decodes once per key while long enough, again for a longer prefix', async () => {
    const cache = new BlockCache(1 << 20);
    const loads: number[] = [];
    const load = (n: number) => async () => {
      loads.push(n);
      return new ArrayBuffer(n);
    };
    const [a, b] = await Promise.all([cache.get('k', 10, load(10)), cache.get('k', 5, load(5))]);
    expect(a.byteLength).toBe(10);
    expect(b).toBe(a); // shared in-flight decode
    expect((await cache.get('k', 8, load(8))).byteLength).toBe(10); // hit
    expect((await cache.get('k', 30, load(30))).byteLength).toBe(30); // longer prefix decoded
    expect((await cache.get('k', 30, load(99))).byteLength).toBe(30);
    expect(loads).toEqual([10, 30]);
    expect(cache.size).toBe(30);
  });

  it('evicts least recently used blocks beyond its byte budget', async () => {
    const cache = new BlockCache(100);
    await cache.get('a', 60, async () => new ArrayBuffer(60));
    await cache.get('b', 30, async () => new ArrayBuffer(30));
    await cache.get('a', 1, async () => new ArrayBuffer(1)); // touch a
    await cache.get('c', 30, async () => new ArrayBuffer(30)); // evicts b
    let reloaded = false;
    await cache.get('b', 30, async () => ((reloaded = true), new ArrayBuffer(30)));
    expect(reloaded).toBe(true);
    expect(cache.size).toBeLessThanOrEqual(100);
  });
});

describe('readWindow with row prefixes', () => {
  it.each(['u16_tiles_deflate_pred2.tif', 'f32_tiles_deflate_pred3.tif', 'u16_bigendian_deflate_pred2.tif', 'u16_tiles_deflate_pixel_interleaved.tif'])(
    '%s: a top window, then a window needing more rows of the same tiles',
    async (name) => {
      const file = path.join(REPO_ROOT, 'test/fixtures/tiling/encodings', name);
      const warm = await Raster.open(file);
      const fresh = await Raster.open(file);
      try {
        await readWindow(warm, { xoff: 3, yoff: 0, width: 20, height: 3 }); // 3 rows of the first tile row
        const w = { xoff: 0, yoff: 1, width: warm.width, height: warm.height - 1 };
        const [a, b] = await Promise.all([readWindow(warm, w), readWindow(fresh, w)]);
        expect(bsqSha256(a)).toBe(bsqSha256(b));
        const full = await readWindow(fresh, { xoff: 0, yoff: 0, width: fresh.width, height: fresh.height });
        expect(Array.from(a[0]!.subarray(0, 10))).toEqual(Array.from(full[0]!.subarray(fresh.width, fresh.width + 10)));
      } finally {
        await Promise.all([warm.close(), fresh.close()]);
      }
    },
  );
});
