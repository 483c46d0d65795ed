/**
 * "Is this site inside the scene?", decided in the scene's own pixel space: the WGS 84 site
 * is projected into the scene CRS and its pixel must lie in [0, width) × [0, height). A
 * footprint polygon in longitude/latitude cannot answer this for a UTM zone-60 scene that
 * crosses 180° (its polygon wraps the globe) or a polar scene (its polygon holds the pole);
 * the scene's own grid has no such seams. Points outside a projection's domain (the far
 * hemisphere of a polar stereographic, orthographic or geostationary view) have no finite
 * coordinates, and proj4 throws or answers NaN/Infinity: those sites are outside too.
 */
import { toCrs, type Crs } from './crs.js';
import { pixelOf, type GeoTransform } from './geoTransform.js';

export interface RasterGrid {
  width: number;
  height: number;
  geoTransform: GeoTransform;
  crs: Crs;
}

export interface SiteOnGrid {
  /** Site in the scene CRS. */
  x: number;
  y: number;
  /** Fractional pixel column and row. */
  col: number;
  row: number;
}

/**
 * Projects a WGS 84 site onto a scene grid.
 * @returns the site's scene coordinates and pixel when the pixel lies inside the raster,
 *   else null (outside the raster, or outside the projection's domain)
 * @example siteOnGrid(-179.99, -17, { width: 64, height: 64, geoTransform: gt, crs: utm60s })
 */
export function siteOnGrid(lon: number, lat: number, grid: RasterGrid): SiteOnGrid | null {
  let xy: [number, number];
  try {
    xy = toCrs(grid.crs)([lon, lat]);
  } catch {
    return null; // proj4 refuses points outside the projection's domain
  }
  const [x, y] = xy;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  const [col, row] = pixelOf(x, y, grid.geoTransform);
  if (!(col >= 0 && col < grid.width && row >= 0 && row < grid.height)) return null;
  return { x, y, col, row };
}
