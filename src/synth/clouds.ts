/**
 * Weather seen from above on one date: a cumulus layer (a thresholded fractal field whose
 * threshold is set so the scene gets its drawn cover fraction, drawn around the month's mean
 * cover at the world's latitude, cloudClimatology.ts), the layer's shadows cast
 * away from the sun, optional thin cirrus, and for some dates the swath edge (nodata
 * beyond a slanted line, as on real orbit edges). None of it is anchored to plants, and it
 * drifts over them as freely as over fields.
 */
import { CoarseField, fbm } from './noise.js';
import { hashInts, hashString, stream } from './rng.js';
import { toLonLat, type SceneGrid } from './grid.js';
import { meanCloudCover } from './cloudClimatology.js';
import { betaSmall } from './draws.js';
import type { Acquisition } from './timeline.js';

export interface SkyState {
  /** Target fraction of the footprint under cloud. */
  readonly cover: number;
  readonly field: CoarseField | null;
  readonly threshold: number;
  readonly thickness: number;
  readonly cirrus: CoarseField | null;
  readonly cirrusThreshold: number;
  readonly cirrusStrength: number;
  /** Where a cloud's shadow falls relative to the cloud, metres (east, north). */
  readonly shadowDx: number;
  readonly shadowDy: number;
  /** Swath edge: nodata where nx·x + ny·y > c; null when the tile is fully imaged. */
  readonly edge: { nx: number; ny: number; c: number } | null;
}

/** Sun zenith at ~10:30 local time at 51° N for day-of-year `doy`, degrees. */
function sunZenithDeg(doy: number): number {
  const declination = 23.44 * Math.sin((2 * Math.PI * (doy - 81)) / 365);
  return 51.4 - declination + 8;
}

/** The random draws of a date's sky, cheap to make for every date (no fields yet). */
export interface SkyPlan {
  readonly cover: number;
  readonly thickness: number;
  readonly cirrus: { fraction: number; strength: number } | null;
  readonly edge: SkyState['edge'];
}

/**
 * Concentration of a scene's cover around the month's mean: Beta(κc, κ(1 − c)) with κ < 1 is
 * U-shaped, as single scenes are — mostly clear or mostly overcast, broken skies in between.
 */
const COVER_CONCENTRATION = 0.7;

/** Latitude of the grid's centre, degrees (the climate the sky follows). */
function gridLatitude(grid: SceneGrid): number {
  const half = grid.size * 5;
  return toLonLat(grid, grid.originX + half, grid.originY - half)[1];
}

export function skyPlan(seed: number, grid: SceneGrid, acq: Acquisition): SkyPlan {
  const rng = stream(seed, 'sky', acq.index);
  const extent = grid.size * 10;
  // The month's mean cover at the world's latitude; the date's cover scatters around it.
  const mean = meanCloudCover(gridLatitude(grid), acq.date.getUTCMonth());
  const cover = Math.min(0.99, betaSmall(rng, COVER_CONCENTRATION * mean, COVER_CONCENTRATION * (1 - mean)));
  const thickness = rng.uniform(0.75, 1);
  const cirrus = rng.chance(0.18) ? { fraction: rng.uniform(0.1, 0.5), strength: rng.uniform(0.4, 1) } : null;
  let edge: SkyState['edge'] = null;
  if (rng.chance(0.25)) {
    const tilt = (rng.uniform(8, 14) * Math.PI) / 180;
    const east = rng.chance(0.5);
    const nx = east ? Math.cos(tilt) : -Math.cos(tilt);
    const ny = Math.sin(tilt);
    const px = grid.originX + extent * rng.uniform(east ? 0.45 : 0.15, east ? 0.85 : 0.55);
    const py = grid.originY - extent / 2;
    edge = { nx, ny, c: nx * px + ny * py };
  }
  return { cover, thickness, cirrus, edge };
}

/** Builds the date's cloud and cirrus fields from its plan. */
export function skyState(seed: number, grid: SceneGrid, acq: Acquisition, plan: SkyPlan = skyPlan(seed, grid, acq)): SkyState {
  const extent = grid.size * 10;
  let field: CoarseField | null = null;
  let threshold = 1;
  if (plan.cover > 0.005) {
    const k = hashInts(seed, hashString('clouds'), acq.index);
    const scale = Math.min(2500, extent / 2);
    field = new CoarseField(grid.originX, grid.originY, 60, extent, extent, (x, y) => fbm(k, x, y, scale, 5, 0.55));
    threshold = field.quantile(1 - plan.cover);
  }
  let cirrus: CoarseField | null = null;
  let cirrusThreshold = 1;
  if (plan.cirrus) {
    const k = hashInts(seed, hashString('cirrus'), acq.index);
    cirrus = new CoarseField(grid.originX, grid.originY, 60, extent, extent, (x, y) => fbm(k, x * 0.4, y, Math.min(4000, extent / 1.5), 3));
    cirrusThreshold = cirrus.quantile(1 - plan.cirrus.fraction);
  }
  const zenith = (sunZenithDeg(acq.doy) * Math.PI) / 180;
  const distance = Math.min(3000, 1200 * Math.tan(zenith));
  // Sun in the south-south-east at overpass: shadows fall north-north-west of their clouds.
  const az = (340 * Math.PI) / 180;
  return {
    cover: plan.cover,
    field,
    threshold,
    thickness: plan.thickness,
    cirrus,
    cirrusThreshold,
    cirrusStrength: plan.cirrus?.strength ?? 0,
    shadowDx: distance * Math.sin(az),
    shadowDy: distance * Math.cos(az),
    edge: plan.edge,
  };
}

/** Opacity (0–1) of the cumulus layer at (x, y). */
export function cloudOpacity(sky: SkyState, x: number, y: number): number {
  if (!sky.field) return 0;
  const v = (sky.field.at(x, y) - sky.threshold) / 0.05;
  if (v <= 0) return 0;
  const s = v >= 1 ? 1 : v * v * (3 - 2 * v);
  return s * sky.thickness;
}

/** Thin-cirrus strength (0–1) at (x, y); adds light, does not hide the ground. */
export function cirrusAt(sky: SkyState, x: number, y: number): number {
  if (!sky.cirrus) return 0;
  const v = (sky.cirrus.at(x, y) - sky.cirrusThreshold) / 0.04;
  return v <= 0 ? 0 : (v >= 1 ? 1 : v) * sky.cirrusStrength;
}

/** Fraction of direct light removed by cloud shadow at (x, y), 0–0.6. */
export function shadowAt(sky: SkyState, x: number, y: number): number {
  return 0.6 * cloudOpacity(sky, x - sky.shadowDx, y - sky.shadowDy);
}

/** True where the date's swath does not reach (nodata). */
export function outsideSwath(sky: SkyState, x: number, y: number): boolean {
  return sky.edge !== null && sky.edge.nx * x + sky.edge.ny * y > sky.edge.c;
}
