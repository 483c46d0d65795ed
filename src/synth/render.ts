/**
 * Paints one band of one scene into a UInt16 array at the band's native resolution:
 * ground (land cover × season × texture), plumes over it, cloud shadow, clouds, thin
 * cirrus, then sensor noise, encoded as L2A DNs, with 0 beyond the swath edge. The shared
 * per-pixel layers come from `SceneLayers`; a band adds only its spectra and its noise.
 */
import { S2_BANDS, SCL, SCL_RESOLUTION, reflectanceToDN, type Resolution } from './bands.js';
import { gaussianHash } from './noise.js';
import { hashInts } from './rng.js';
import { CIRRUS_ADD, CLOUD, PLUME } from './spectra.js';
import type { SceneLayers } from './layers.js';

/** Sensor noise (1σ reflectance); coarser bands average more detector samples. */
const NOISE_SD: Record<Resolution, number> = { 10: 0.004, 20: 0.003, 60: 0.002 };

/**
 * Reflectance band `bandIdx` (index in S2_BANDS) of the layers' scene as L2A DNs.
 * @returns row-major UInt16 DNs at the band's native resolution
 */
export function renderBand(layers: SceneLayers, bandIdx: number): Uint16Array {
  const band = S2_BANDS[bandIdx]!;
  const res = band.resolutionM;
  const n = layers.size(res);
  const out = new Uint16Array(n * n);
  const nb = S2_BANDS.length;
  const plumeR = PLUME[bandIdx]!;
  const cloudR = CLOUD[bandIdx]!;
  const cirrusR = CIRRUS_ADD[bandIdx]!;
  const sd = NOISE_SD[res];
  const noiseKey = hashInts(layers.scene.noiseKey, bandIdx);
  const surface = layers.scene.surface;
  for (let r = 0; r < n; r++) {
    const L = layers.row(res, r);
    const base = r * n;
    for (let c = 0; c < n; c++) {
      if (L.valid[c] === 0) continue; // stays 0 = nodata
      let refl = surface[L.cover[c]! * nb + bandIdx]! * L.texture[c]!;
      const a = L.plume[c]!;
      if (a > 0) refl = refl * (1 - a) + a * plumeR;
      refl *= 1 - L.shadow[c]!;
      const cloud = L.cloud[c]!;
      if (cloud > 0) refl = refl * (1 - cloud) + cloud * cloudR;
      refl += L.cirrus[c]! * cirrusR;
      refl += sd * gaussianHash(noiseKey, c, r);
      out[base + c] = reflectanceToDN(refl);
    }
  }
  return out;
}

/** Cloud opacity at and above which SCL flags medium- and high-probability cloud. */
export const SCL_CLOUD_MEDIUM = 0.15;
export const SCL_CLOUD_HIGH = 0.5;
/** Shadow strength (fraction of light removed) above which SCL flags cloud shadow. */
export const SCL_SHADOW = 0.12;
/** Cirrus strength above which SCL flags thin cirrus. */
export const SCL_CIRRUS = 0.25;

/**
 * The scene classification layer at 20 m. Plumes are deliberately not flagged: the
 * generator's SCL marks what is not anchored to plants (clouds, cirrus, shadows), so a
 * patch's cloud fraction measures nuisance, not the signal.
 */
export function renderScl(layers: SceneLayers): Uint8Array {
  const res = SCL_RESOLUTION;
  const n = layers.size(res);
  const out = new Uint8Array(n * n);
  const table = layers.scene.scl;
  for (let r = 0; r < n; r++) {
    const L = layers.row(res, r);
    for (let c = 0; c < n; c++) {
      let v: number;
      if (L.valid[c] === 0) v = SCL.nodata;
      else if (L.cloud[c]! >= SCL_CLOUD_HIGH) v = SCL.cloudHigh;
      else if (L.cloud[c]! >= SCL_CLOUD_MEDIUM) v = SCL.cloudMedium;
      else if (L.cirrus[c]! >= SCL_CIRRUS) v = SCL.cirrus;
      else if (L.shadow[c]! >= SCL_SHADOW) v = SCL.cloudShadow;
      else v = table[L.cover[c]!]!;
      out[r * n + c] = v;
    }
  }
  return out;
}
