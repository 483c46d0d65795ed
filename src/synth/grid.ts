/**
 * The one UTM grid every synthetic scene shares (the same tile on every date, as a real
 * Sentinel-2 time series): origin, per-resolution sizes and geotransforms, and map ↔ WGS84
 * conversion for sites. All grids share the origin; a 20 m grid has ceil(size/2) and a
 * 60 m grid ceil(size/6) pixels a side, so coarse grids always cover the 10 m footprint
 * (exactly when size is a multiple of 6, as the real 10980).
 */
import type { GeoTransform } from '../geo/geoTransform.js';
import proj4 from 'proj4';
import type { Resolution } from './bands.js';

export interface SceneGrid {
  /** MGRS-style tile id without the leading T (e.g. `32UPC`); nominal, not a real tile footprint. */
  readonly tileId: string;
  readonly epsg: number;
  readonly utmZone: number;
  /** Upper-left corner of the tile, metres. */
  readonly originX: number;
  readonly originY: number;
  /** Pixels a side at 10 m. */
  readonly size: number;
}


/** A 100 km tile in UTM 32N over central Germany, home of large lignite and coal plants. */
export function defaultGrid(size: number): SceneGrid {
  return { tileId: '32UPC', epsg: 32632, utmZone: 32, originX: 600000, originY: 5700000, size };
}

/** Pixels a side of the grid at `res` metres. */
export function gridSize(grid: SceneGrid, res: Resolution): number {
  return Math.ceil((grid.size * 10) / res);
}

export function geoTransform(grid: SceneGrid, res: Resolution): GeoTransform {
  return [grid.originX, res, 0, grid.originY, 0, -res];
}

/** Footprint width in metres (of the 10 m grid). */
export function extentM(grid: SceneGrid): number {
  return grid.size * 10;
}

function utmDef(zone: number): string {
  return `+proj=utm +zone=${zone} +datum=WGS84 +units=m +no_defs`;
}

/** Map (easting, northing) → [longitude, latitude] in WGS84. */
export function toLonLat(grid: SceneGrid, x: number, y: number): [number, number] {
  const [lon, lat] = proj4(utmDef(grid.utmZone), 'EPSG:4326', [x, y]) as [number, number];
  return [lon, lat];
}

/** [longitude, latitude] → map (easting, northing). */
export function fromLonLat(grid: SceneGrid, lon: number, lat: number): [number, number] {
  const [x, y] = proj4('EPSG:4326', utmDef(grid.utmZone), [lon, lat]) as [number, number];
  return [x, y];
}
