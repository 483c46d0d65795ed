/**
 * The affine map from pixel to map coordinates, in GDAL's order. One home for the type so the
 * reader, the writer, tiling and synth all speak of the same six numbers.
 */

/** GDAL geotransform: x0, dx, rx, y0, ry, dy (x = x0 + col·dx + row·rx, y = y0 + col·ry + row·dy). */
export type GeoTransform = [number, number, number, number, number, number];

/** Fractional pixel coordinates (col, row) of map point (x, y) under `gt`; rotated transforms are inverted in full. */
export function pixelOf(x: number, y: number, gt: GeoTransform): [number, number] {
  const [x0, dx, rx, y0, ry, dy] = gt;
  if (rx === 0 && ry === 0) return [(x - x0) / dx, (y - y0) / dy];
  const det = dx * dy - rx * ry;
  if (det === 0) throw new RangeError('geotransform is not invertible');
  const u = x - x0;
  const v = y - y0;
  return [(dy * u - rx * v) / det, (-ry * u + dx * v) / det];
}
