/**
 * The window rule, table-driven: centre, edges, negative and past-the-end offsets, odd and
 * even sizes, points exactly on pixel edges, south-up and rotated geotransforms.
 */
import { describe, expect, it } from 'vitest';
import type { GeoTransform } from '../../src/geo/geoTransform.js';
import { pixelOf, windowForSite, windowGeoTransform } from '../../src/tiling/windowForSite.js';

const UTM: GeoTransform = [500000, 10, 0, 5000000, 0, -10];
const GEO: GeoTransform = [-70, 0.01, 0, 49, 0, -0.01];

const table: { name: string; x: number; y: number; gt: GeoTransform; size: number; col: number; row: number; xoff: number; yoff: number }[] = [
  { name: 'inside first pixel', x: 500005, y: 4999995, gt: UTM, size: 4, col: 0, row: 0, xoff: -2, yoff: -2 },
  { name: 'exactly on the origin', x: 500000, y: 5000000, gt: UTM, size: 4, col: 0, row: 0, xoff: -2, yoff: -2 },
  { name: 'on an inner pixel edge goes right/down', x: 500020, y: 4999980, gt: UTM, size: 5, col: 2, row: 2, xoff: 0, yoff: 0 },
  { name: 'odd size centres the pixel', x: 500105, y: 4999895, gt: UTM, size: 5, col: 10, row: 10, xoff: 8, yoff: 8 },
  { name: 'even size: pixel right/below centre', x: 500105, y: 4999895, gt: UTM, size: 64, col: 10, row: 10, xoff: -22, yoff: -22 },
  { name: 'left of the raster', x: 499990, y: 4999995, gt: UTM, size: 2, col: -1, row: 0, xoff: -2, yoff: -1 },
  { name: 'above the raster', x: 500001, y: 5000001, gt: UTM, size: 3, col: 0, row: -1, xoff: -1, yoff: -2 },
  { name: 'size 1', x: 500055, y: 4999945, gt: UTM, size: 1, col: 5, row: 5, xoff: 5, yoff: 5 },
  { name: 'geographic degrees', x: -69.955, y: 48.955, gt: GEO, size: 8, col: 4, row: 4, xoff: 0, yoff: 0 },
  { name: 'south-up grid (dy > 0)', x: 15, y: 25, gt: [0, 10, 0, 0, 0, 10], size: 2, col: 1, row: 2, xoff: 0, yoff: 1 },
];

describe('windowForSite', () => {
  for (const t of table) {
    it(t.name, () => {
      const r = windowForSite(t.x, t.y, t.gt, t.size);
      expect(r).toEqual({ col: t.col, row: t.row, window: { xoff: t.xoff, yoff: t.yoff, width: t.size, height: t.size } });
    });
  }

  it('inverts rotated geotransforms (the unrotated rule is the special case)', () => {
    const gt: GeoTransform = [1000, 8, 6, 2000, 6, -8]; // 36.87° rotation, 10 m pixels
    const [c, r] = [12.25, 7.75];
    const x = gt[0] + c * gt[1] + r * gt[2];
    const y = gt[3] + c * gt[4] + r * gt[5];
    const [fc, fr] = pixelOf(x, y, gt);
    expect(fc).toBeCloseTo(c, 9);
    expect(fr).toBeCloseTo(r, 9);
    expect(windowForSite(x, y, gt, 4).window).toEqual({ xoff: 10, yoff: 5, width: 4, height: 4 });
  });

  it('rejects non-positive or fractional sizes', () => {
    expect(() => windowForSite(0, 0, UTM, 0)).toThrow(RangeError);
    expect(() => windowForSite(0, 0, UTM, 2.5)).toThrow(RangeError);
  });

  it('windowGeoTransform moves the origin to the window corner', () => {
    expect(windowGeoTransform(UTM, { xoff: -3, yoff: 7, width: 4, height: 4 })).toEqual([499970, 10, 0, 4999930, 0, -10]);
  });
});
