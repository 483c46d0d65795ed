/**
 * The country of each site, for the report's country filter: the Natural Earth 1:50m
 * country polygon that contains the point (turf's point-in-polygon after a bounding-box
 * test); a point just offshore of the generalised coastline takes the country within
 * about 5 km; null further out at sea. Sites files from `sites import` carry
 * no country column, so the map's own data is the one source for every run.
 */
import { bbox, booleanPointInPolygon } from '@turf/turf';
import type { BBox, Feature, MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import { readAtlas } from './naturalEarth.js';

interface Country {
  name: string;
  box: BBox;
  shape: Feature<Polygon | MultiPolygon>;
}

let countries: Country[] | undefined;

/** Distances (degrees of latitude, ~2.2 and ~5.5 km) and directions tried for a point at sea. */
const COAST_RINGS = [0.02, 0.05];
const DIRECTIONS: readonly [number, number][] = [[1, 0], [-1, 0], [0, 1], [0, -1], [0.7, 0.7], [0.7, -0.7], [-0.7, 0.7], [-0.7, -0.7]];

function loadCountries(): Country[] {
  if (countries) return countries;
  const topo = readAtlas('countries-50m');
  const fc = feature(topo, topo.objects.countries);
  countries = fc.features
    .filter((f): f is Feature<Polygon | MultiPolygon, { name: string }> => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon')
    .map((f) => ({ name: f.properties.name, box: bbox(f), shape: f }));
  return countries;
}

/**
 * @param points WGS84 lon/lat
 * @returns the Natural Earth country name of each point, or null
 * @example siteCountries([{ lon: 6.66, lat: 51.04 }]) // ['Germany']
 */
export function siteCountries(points: readonly { lon: number; lat: number }[]): (string | null)[] {
  const all = loadCountries();
  const containing = (lon: number, lat: number): string | null => {
    for (const c of all) {
      const [w, s, e, n] = c.box;
      if (lon < w || lon > e || lat < s || lat > n) continue;
      if (booleanPointInPolygon([lon, lat], c.shape)) return c.name;
    }
    return null;
  };
  return points.map(({ lon, lat }) => {
    const inside = containing(lon, lat);
    if (inside !== null) return inside;
    // Plants sit on coasts for their cooling water, where the 1:50m outline can put them
    // just offshore: try the points around, nearest ring first.
    for (const d of COAST_RINGS) {
      for (const [dx, dy] of DIRECTIONS) {
        const near = containing(lon + (dx * d) / Math.cos((lat * Math.PI) / 180), lat + dy * d);
        if (near !== null) return near;
      }
    }
    return null;
  });
}
