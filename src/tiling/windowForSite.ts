/**
 * The window rule, pure and stated so anyone can check a patch independently:
 * the site at scene coordinates (x, y) falls in pixel
 *   (col, row) = (floor((x − x0) / dx), floor((y − y0) / dy))
 * of the geotransform, and its patch is the size × size window with
 *   xoff = col − floor(size / 2),  yoff = row − floor(size / 2).
 * For even sizes the site's pixel is therefore just right of and below the centre line,
 * the same rounding as TorchGeo's chip grids. Windows may reach outside the raster; the
 * reader fills that part with nodata. Rotated geotransforms are inverted in full (the rule
 * above is their special case without rotation).
 */
import type { Window } from '../geo/window.js';
import { pixelOf, type GeoTransform } from '../geo/geoTransform.js';

export { pixelOf } from '../geo/geoTransform.js';

export interface SitePixel {
  /** Pixel column/row holding the site (may be outside the raster). */
  col: number;
  row: number;
  window: Window;
}

/**
 * @param x site easting (or longitude) in the scene CRS
 * @param y site northing (or latitude) in the scene CRS
 * @param size patch edge in pixels (positive integer)
 * @example windowForSite(500015, 4999985, [500000, 10, 0, 5e6, 0, -10], 4)
 *   // → { col: 1, row: 1, window: { xoff: -1, yoff: -1, width: 4, height: 4 } }
 */
export function windowForSite(x: number, y: number, gt: GeoTransform, size: number): SitePixel {
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`size must be a positive integer, got ${size}`);
  const [fc, fr] = pixelOf(x, y, gt);
  const col = Math.floor(fc) + 0; // + 0 turns -0 into 0
  const row = Math.floor(fr) + 0;
  const half = Math.floor(size / 2);
  return { col, row, window: { xoff: col - half, yoff: row - half, width: size, height: size } };
}

/** The geotransform of a window of a raster with geotransform `gt`. */
export function windowGeoTransform(gt: GeoTransform, w: Window): GeoTransform {
  const [x0, dx, rx, y0, ry, dy] = gt;
  return [x0 + w.xoff * dx + w.yoff * rx, dx, rx, y0 + w.xoff * ry + w.yoff * dy, ry, dy];
}
