/**
 * The report's offline basemap: Natural Earth 1:50m land (filled; its outline is the
 * coastline) and the land borders between countries, converted from TopoJSON with `topojson-client` and rounded to
 * 0.01° (about 1 km, finer than the 1:50m data's own detail) to keep the page small.
 */
import type { FeatureCollection, Geometry, MultiLineString, Position } from 'geojson';
import { feature, mesh } from 'topojson-client';
import { readAtlas } from './naturalEarth.js';

export interface Basemap {
  land: FeatureCollection;
  borders: MultiLineString;
}

function roundPositions(coords: unknown): unknown {
  if (typeof coords === 'number') return Math.round(coords * 100) / 100;
  return (coords as unknown[]).map(roundPositions);
}

/** Drops consecutive duplicate points that rounding created. */
function dedupe(line: Position[]): Position[] {
  return line.filter((p, i) => i === 0 || p[0] !== line[i - 1]![0] || p[1] !== line[i - 1]![1]);
}

function roundGeometry<G extends Geometry>(g: G): G {
  if (g.type === 'MultiLineString') return { ...g, coordinates: (roundPositions(g.coordinates) as Position[][]).map(dedupe) };
  if (g.type === 'Polygon') return { ...g, coordinates: (roundPositions(g.coordinates) as Position[][]).map(dedupe) };
  if (g.type === 'MultiPolygon') return { ...g, coordinates: (roundPositions(g.coordinates) as Position[][][]).map((p) => p.map(dedupe)) };
  return g;
}

/** @returns land polygons and the borders shared by two countries */
export function naturalEarthBasemap(): Basemap {
  const land = readAtlas('land-50m');
  const countries = readAtlas('countries-50m');
  const landFc = feature(land, land.objects.land);
  const landFeatures = 'features' in landFc ? landFc.features : [landFc];
  return {
    land: { type: 'FeatureCollection', features: landFeatures.map((f) => ({ type: 'Feature', properties: {}, geometry: roundGeometry(f.geometry) })) },
    borders: roundGeometry(mesh(countries, countries.objects.countries, (a, b) => a !== b)),
  };
}
