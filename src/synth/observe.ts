/**
 * What a sample looks like from orbit, measured on the world's own fields around the site:
 * how much of the patch the swath covers, how much cloud lies over the plant and over the
 * patch, how strong its plume is, and whether a perfect observer could read the plant's
 * state from the pixels at all (`observable`). These feed truth.json and the noise floor.
 */
import { cirrusAt, cloudOpacity, outsideSwath, shadowAt, type SkyState } from './clouds.js';
import { makePlume, rejectedHeatRatio } from './plume.js';
import { SCL_CIRRUS, SCL_CLOUD_MEDIUM, SCL_SHADOW } from './render.js';
import type { Sample } from './world.js';

/** Half-size of the window the statistics cover: a 64 px patch at 10 m. */
export const PATCH_HALF_M = 320;
/** Radius around the stack that "cloud over the plant" averages. */
export const PLANT_RADIUS_M = 300;
/** A plume whose peak opacity is below this is lost in the background texture. */
export const VISIBLE_OPACITY = 0.08;

export interface SampleObservation {
  /** Fraction of the 640 m window inside the swath. */
  validFraction: number;
  /** Mean cumulus opacity within 300 m of the site (0–1). */
  cloudOverPlant: number;
  /** Fraction of the window SCL flags as cloud, cirrus or shadow. */
  cloudFractionPatch: number;
  /** Peak opacity of the plant's plumes (before texture); 0 when off. */
  plumeOpacity: number;
  /** e-folding length of the plant's longest plume, metres; 0 when off. */
  plumeLengthM: number;
  /**
   * Whether an observer with perfect eyes (and the weather) could tell the plant's state and
   * load from the pixels: the site is imaged, not under cloud, and either its plume is
   * visible or (when off) its first unit's plume at minimum load would have been.
   */
  observable: boolean;
}

export function observeSample(sample: Sample, sky: SkyState): SampleObservation {
  const { plant } = sample;
  let inSwath = 0;
  let flagged = 0;
  let total = 0;
  let cloudNear = 0;
  let near = 0;
  const step = 20;
  for (let dy = -PATCH_HALF_M + step / 2; dy < PATCH_HALF_M; dy += step) {
    for (let dx = -PATCH_HALF_M + step / 2; dx < PATCH_HALF_M; dx += step) {
      const x = plant.x + dx;
      const y = plant.y + dy;
      total++;
      if (outsideSwath(sky, x, y)) continue;
      inSwath++;
      const cloud = cloudOpacity(sky, x, y);
      if (cloud >= SCL_CLOUD_MEDIUM || cirrusAt(sky, x, y) >= SCL_CIRRUS || shadowAt(sky, x, y) >= SCL_SHADOW) flagged++;
      if (dx * dx + dy * dy <= PLANT_RADIUS_M * PLANT_RADIUS_M) {
        cloudNear += cloud;
        near++;
      }
    }
  }
  const validFraction = inSwath / total;
  const cloudOverPlant = near > 0 ? cloudNear / near : 1;
  const plumeOpacity = sample.plumes.reduce((m, p) => Math.max(m, p.opacity), 0);
  const plumeLengthM = sample.plumes.reduce((m, p) => Math.max(m, p.lengthM), 0);
  const seen = validFraction >= 0.5 && near > 0 && cloudOverPlant < 0.5;
  let visible: boolean;
  if (sample.op.active) visible = plumeOpacity >= VISIBLE_OPACITY;
  else {
    // The plant's first unit at its minimum load: the least a running plant shows.
    const unitMW = plant.units[0]?.capacityMW ?? plant.capacityMW;
    const w = sample.weather;
    const would = makePlume(plant.technology, 0, 0, plant.minLoad * unitMW * rejectedHeatRatio(plant.netEfficiency), plant.plumeStrength, sample.visibility, w.windU, w.windV, 0);
    visible = would !== null && would.opacity >= VISIBLE_OPACITY;
  }
  return {
    validFraction,
    cloudOverPlant,
    cloudFractionPatch: inSwath > 0 ? flagged / inSwath : 0,
    plumeOpacity,
    plumeLengthM,
    observable: seen && visible,
  };
}
