/**
 * Everything one date's pixels depend on, gathered once per scene: the sky, the plumes of
 * every running plant, the season's surface spectra, and the Sentinel-2 product and file
 * names the scene is written under.
 */
import { hashInts, hashString, stream } from './rng.js';
import { skyState, type SkyState } from './clouds.js';
import { sclTable, surfaceTable } from './surface.js';
import type { PlumeSpec } from './plume.js';
import type { Acquisition } from './timeline.js';
import type { World } from './world.js';

export interface Scene {
  readonly acq: Acquisition;
  readonly sky: SkyState;
  readonly plumes: readonly PlumeSpec[];
  /** Reflectance by `cover * 12 + band` for this date. */
  readonly surface: Float32Array;
  /** SCL land class by cover code for this date. */
  readonly scl: Uint8Array;
  /** Key of this scene's sensor noise. */
  readonly noiseKey: number;
  /** `S2A_MSIL2A_20240102T102559_N0510_R108_T32UPC_20240102T131203`. */
  readonly productId: string;
  /** `T32UPC_20240102T102559`: the prefix of band file names. */
  readonly sceneId: string;
}

function compact(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, '');
}

/** Processing finishes a fixed 2 h 46 min after sensing: no wall clock enters a name. */
const PROCESSING_DELAY_MS = (2 * 3600 + 46 * 60 + 4) * 1000;

export function sceneNames(tileId: string, acq: Acquisition): { productId: string; sceneId: string } {
  const sensing = compact(acq.date);
  const processed = compact(new Date(acq.date.getTime() + PROCESSING_DELAY_MS));
  return {
    productId: `${acq.spacecraft}_MSIL2A_${sensing}_N0510_R108_T${tileId}_${processed}`,
    sceneId: `T${tileId}_${sensing}`,
  };
}

export function buildScene(world: World, dateIndex: number): Scene {
  const acq = world.acquisitions[dateIndex]!;
  const seed = world.spec.seed;
  // Rain wets bare soil more often in winter.
  const winter = 0.5 + 0.5 * Math.cos((2 * Math.PI * (acq.doy - 15)) / 365);
  const wetness = Math.min(1, stream(seed, 'soil-wetness', dateIndex).uniform(0, 0.6) + 0.4 * winter);
  return {
    acq,
    sky: skyState(seed, world.grid, acq),
    plumes: world.samples[dateIndex]!.flatMap((s) => s.plumes),
    surface: surfaceTable(acq.doy, wetness),
    scl: sclTable(acq.doy),
    noiseKey: hashInts(seed, hashString('sensor-noise'), dateIndex),
    ...sceneNames(world.grid.tileId, acq),
  };
}
