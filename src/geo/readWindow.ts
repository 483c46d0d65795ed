/**
 * Windowed reads: the pixels of a GDAL-style window (`gdal_translate -srcwin` semantics)
 * from an open raster (GeoTIFF or JPEG 2000), touching only the blocks the window overlaps. geotiff.js's own
 * bbox read of a whole image is the known pitfall this avoids; we also do our own block
 * copy (typed-array row copies instead of a DataView call per pixel) and fill handling,
 * because geotiff.js ignores a fill value of 0 or NaN.
 */
import { allocRaster, rasterView, type RasterArray } from './rasterTypes.js';
import type { BlockReader } from './gridRaster.js';
import { clipWindow, type Window } from './window.js';

export interface ReadWindowOptions {
  /** 0-based band indices to read, in output order; default all bands. */
  bands?: readonly number[];
  /** Value for pixels outside the raster; default the raster's nodata, else 0. */
  fill?: number;
}

/**
 * Reads `window` (may reach outside the raster) of the selected bands, one row-major
 * array of window.width × window.height per band, in the raster's data type.
 * @throws RangeError for an empty window or a band index out of range
 */
export async function readWindow(raster: BlockReader, window: Window, options: ReadWindowOptions = {}): Promise<RasterArray[]> {
  const { width: ww, height: wh } = window;
  if (!Number.isInteger(ww) || !Number.isInteger(wh) || ww <= 0 || wh <= 0) throw new RangeError(`window must be non-empty, got ${ww} × ${wh}`);
  const bands = options.bands ?? Array.from({ length: raster.bandCount }, (_, i) => i);
  for (const b of bands) if (!Number.isInteger(b) || b < 0 || b >= raster.bandCount) throw new RangeError(`band index ${b} out of range (0..${raster.bandCount - 1})`);
  const fill = options.fill ?? raster.nodata ?? 0;
  const out = bands.map(() => {
    const a = allocRaster(raster.dataType, ww * wh);
    if (fill !== 0) a.fill(fill);
    return a;
  });
  const inside = clipWindow(window, raster.width, raster.height);
  if (!inside) return out;

  const bw = raster.blockWidth;
  const bh = raster.blockHeight;
  const stride = raster.planar === 1 ? raster.bandCount : 1;
  const jobs: Promise<void>[] = [];
  for (let by = Math.floor(inside.yoff / bh); by <= Math.floor((inside.yoff + inside.height - 1) / bh); by++) {
    for (let bx = Math.floor(inside.xoff / bw); bx <= Math.floor((inside.xoff + inside.width - 1) / bw); bx++) {
      bands.forEach((sample, k) => {
        jobs.push(
          // Only the rows down to the window's last one are decoded (DEFLATE prefix).
          raster.readBlock(sample, bx, by, Math.min(inside.yoff + inside.height, (by + 1) * bh) - by * bh).then((buffer) => {
            const view = rasterView(raster.dataType, buffer);
            const dst = out[k]!;
            const bx0 = bx * bw;
            const by0 = by * bh;
            const x0 = Math.max(inside.xoff, bx0);
            const x1 = Math.min(inside.xoff + inside.width, bx0 + bw);
            const y0 = Math.max(inside.yoff, by0);
            const y1 = Math.min(inside.yoff + inside.height, by0 + raster.blockRows(by));
            const n = x1 - x0;
            const sampleOffset = raster.planar === 1 ? sample : 0;
            for (let y = y0; y < y1; y++) {
              const src = ((y - by0) * bw + (x0 - bx0)) * stride + sampleOffset;
              const at = (y - window.yoff) * ww + (x0 - window.xoff);
              if (stride === 1) {
                dst.set(view.subarray(src, src + n), at);
              } else {
                for (let i = 0; i < n; i++) dst[at + i] = view[src + i * stride]!;
              }
            }
          }),
        );
      });
    }
  }
  await Promise.all(jobs);
  return out;
}
