/**
 * Per-patch quality numbers for the manifest. A pixel holds data when it lies inside the
 * raster and no band has the nodata value there (NaN matches NaN); cloud_fraction is the
 * share of those pixels whose cloud-mask value is cloudy under the band set's rule (SCL
 * classes 3, 8, 9, 10; Landsat QA_PIXEL bits 1-4), null without a mask or without a single valid pixel.
 */
import type { RasterArray } from '../geo/rasterTypes.js';
import type { Window } from '../geo/window.js';

export interface PatchStats {
  valid_fraction: number;
  cloud_fraction: number | null;
}

export function patchStats(
  bands: readonly RasterArray[],
  window: Window,
  rasterWidth: number,
  rasterHeight: number,
  nodata: number | null,
  mask: RasterArray | null,
  isCloudy: (value: number) => boolean,
): PatchStats {
  const nanNodata = nodata !== null && Number.isNaN(nodata);
  let valid = 0;
  let clouds = 0;
  for (let r = 0; r < window.height; r++) {
    const y = window.yoff + r;
    if (y < 0 || y >= rasterHeight) continue;
    for (let c = 0; c < window.width; c++) {
      const x = window.xoff + c;
      if (x < 0 || x >= rasterWidth) continue;
      const i = r * window.width + c;
      let ok = true;
      if (nodata !== null) {
        for (const b of bands) {
          const v = b[i]!;
          if (nanNodata ? Number.isNaN(v) : v === nodata) {
            ok = false;
            break;
          }
        }
      }
      if (!ok) continue;
      valid++;
      if (mask && isCloudy(mask[i]!)) clouds++;
    }
  }
  const total = window.width * window.height;
  return { valid_fraction: valid / total, cloud_fraction: mask && valid > 0 ? clouds / valid : null };
}
