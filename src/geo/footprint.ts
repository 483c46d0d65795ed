/**
 * A raster's footprint as a WGS 84 polygon (GeoJSON), and point-in-footprint tests with
 * turf. Edges are densified before reprojection because a UTM or sinusoidal rectangle is
 * curved in longitude/latitude; 16 points per edge keep the error far below a pixel for
 * scene-sized rasters.
 */
import { booleanPointInPolygon, point, polygon } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { fromCrs, type Crs } from './crs.js';
import type { GeoTransform } from './geoTransform.js';

const STEPS_PER_EDGE = 16;

/** The footprint of a width × height raster with geotransform `gt` in `crs`, as WGS 84. */
export function footprintWgs84(width: number, height: number, gt: GeoTransform, crs: Crs): Feature<Polygon> {
  const inverse = fromCrs(crs);
  const [x0, dx, rx, y0, ry, dy] = gt;
  const at = (c: number, r: number): [number, number] => inverse([x0 + c * dx + r * rx, y0 + c * ry + r * dy]);
  const ring: [number, number][] = [];
  const corners: [number, number][] = [
    [0, 0],
    [width, 0],
    [width, height],
    [0, height],
  ];
  for (let k = 0; k < 4; k++) {
    const [c0, r0] = corners[k]!;
    const [c1, r1] = corners[(k + 1) % 4]!;
    for (let s = 0; s < STEPS_PER_EDGE; s++) {
      const t = s / STEPS_PER_EDGE;
      ring.push(at(c0 + (c1 - c0) * t, r0 + (r1 - r0) * t));
    }
  }
  ring.push(ring[0]!);
  if (!ring.every(([lon, lat]) => Number.isFinite(lon) && Number.isFinite(lat))) {
    throw new RangeError('footprint corners do not map to longitude/latitude');
  }
  return polygon([ring]);
}

/** True when WGS 84 (lon, lat) lies in the footprint (boundary included). */
export function inFootprint(lon: number, lat: number, footprint: Feature<Polygon>): boolean {
  return booleanPointInPolygon(point([lon, lat]), footprint);
}
