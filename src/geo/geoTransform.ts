/**
 * The affine map from pixel to map coordinates, in GDAL's order. One home for the type so the
 * reader, the writer, tiling and synth all speak of the same six numbers.
 */

/** GDAL geotransform: x0, dx, rx, y0, ry, dy (x = x0 + col·dx + row·rx, y = y0 + col·ry + row·dy). */
export type GeoTransform = [number, number, number, number, number, number];
