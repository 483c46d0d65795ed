/**
 * One site-window aggregate as an RFC 7946 Point feature: WGS84 lon/lat with 7 decimals
 * (about 1 cm; more digits carry no information, RFC 7946 §11.2), the aggregate's flat,
 * unit-named fields as properties. The input is not mutated.
 */
import type { Feature, Point } from 'geojson';
import type { SiteWindowAggregate } from './aggregateSite.js';
import type { Site } from '../records/sites.js';

/** Rounds a coordinate to 7 decimals. */
export function roundCoordinate(deg: number): number {
  return Math.round(deg * 1e7) / 1e7;
}

/**
 * @param aggregate the site's record for one window
 * @param site the site, for its coordinates
 * @returns a Feature whose properties are a copy of the aggregate
 * @example toFeature(agg, { site_id: 'a', lon: 8.123456789, lat: 47.1, … }).geometry.coordinates // [8.1234568, 47.1]
 */
export function toFeature(aggregate: SiteWindowAggregate, site: Pick<Site, 'lon' | 'lat'>): Feature<Point, SiteWindowAggregate> {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [roundCoordinate(site.lon), roundCoordinate(site.lat)] },
    properties: { ...aggregate },
  };
}
