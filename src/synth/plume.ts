/**
 * A condensed-vapour plume as an opacity field over the map. It is anchored at its source
 * (tower or wet stack), carried downwind along (wind_u, wind_v) (+u east, +v north), widens
 * with distance and fades with an e-folding length that grows with the source's output and
 * with how readily the air condenses vapour; a turbulent texture (noise in plume
 * coordinates) breaks it into puffs, and a slow meander bends it. Cooling towers make wide,
 * billowy plumes from a ~100 m mouth; wet FGD stacks thin, long ones from a narrow exit.
 */
import { fbm, valueNoise } from './noise.js';
import type { Technology } from './plants.js';

export interface PlumeSpec {
  /** Source position, map metres. */
  readonly sx: number;
  readonly sy: number;
  /** Unit vector pointing downwind (east, north). */
  readonly ux: number;
  readonly uy: number;
  /** e-folding length of the opacity along the plume, metres. */
  readonly lengthM: number;
  /** Peak opacity (0–1) before texture. */
  readonly opacity: number;
  /** Radius of the plume at its source, metres. */
  readonly headRadiusM: number;
  /** Widening of the plume's half-width per metre downwind. */
  readonly spread: number;
  readonly textureKey: number;
  /** Conservative bounding box [xmin, ymin, xmax, ymax], metres: outside it opacity is 0. */
  readonly bbox: readonly [number, number, number, number];
}

interface TechShape {
  headRadiusM: number;
  spread: number;
  /** Length at 0 MW and its growth with sqrt(generation / refMW). */
  baseLengthM: number;
  lengthPerUnitM: number;
  refMW: number;
  baseOpacity: number;
  opacityPerUnit: number;
}

const SHAPES: Record<Technology, TechShape> = {
  cooling_tower: { headRadiusM: 50, spread: 0.22, baseLengthM: 110, lengthPerUnitM: 520, refMW: 600, baseOpacity: 0.3, opacityPerUnit: 0.55 },
  wet_fgd_stack: { headRadiusM: 20, spread: 0.1, baseLengthM: 90, lengthPerUnitM: 720, refMW: 800, baseOpacity: 0.2, opacityPerUnit: 0.5 },
};

/** Distance (in e-folding lengths) beyond which the plume is cut, with a smooth taper. */
const CUT_LENGTHS = 3.5;

/**
 * The plume of one source emitting `sourceMW` worth of generation in air of plume
 * visibility `visibility` (0–1) and wind (u, v) m/s; null when the source emits nothing.
 */
export function makePlume(
  technology: Technology,
  sx: number,
  sy: number,
  sourceMW: number,
  visibility: number,
  windU: number,
  windV: number,
  textureKey: number,
): PlumeSpec | null {
  if (!(sourceMW > 0) || !(visibility > 0)) return null;
  const s = SHAPES[technology];
  const speed = Math.hypot(windU, windV);
  // Calm air: the plume rises more than it travels, so it looks shorter and rounder from above.
  const stretch = 0.55 + 0.45 * Math.min(1, speed / 5);
  const units = Math.sqrt(sourceMW / s.refMW);
  const lengthM = (s.baseLengthM + s.lengthPerUnitM * units) * visibility * stretch;
  const opacity = Math.min(0.92, (s.baseOpacity + s.opacityPerUnit * units) * Math.pow(visibility, 0.6));
  const ux = speed > 1e-6 ? windU / speed : 1;
  const uy = speed > 1e-6 ? windV / speed : 0;
  const spread = s.spread / stretch;
  const reach = CUT_LENGTHS * lengthM;
  const halfWidth = 3 * (s.headRadiusM + spread * reach) + 0.3 * reach;
  const r = reach + halfWidth + 3 * s.headRadiusM;
  return { sx, sy, ux, uy, lengthM, opacity, headRadiusM: s.headRadiusM, spread, textureKey, bbox: [sx - r, sy - r, sx + r, sy + r] };
}

/** Opacity (0–0.95) of plume `p` at map position (x, y). */
export function plumeOpacity(p: PlumeSpec, x: number, y: number): number {
  if (x < p.bbox[0] || x > p.bbox[2] || y < p.bbox[1] || y > p.bbox[3]) return 0;
  const dx = x - p.sx;
  const dy = y - p.sy;
  const along = dx * p.ux + dy * p.uy;
  const r0 = p.headRadiusM;
  const reach = CUT_LENGTHS * p.lengthM;
  if (along < -3 * r0 || along > reach) return 0;
  const a = along > 0 ? along : 0;
  const sigma = 0.8 * r0 + p.spread * a;
  const across0 = -dx * p.uy + dy * p.ux;
  // The meander below never moves the centre line more than a/4: skip far pixels cheaply.
  if (Math.abs(across0) - 0.25 * a > 3.8 * sigma) return 0;
  // Meander: a slow sideways drift that grows downwind.
  const centre = (valueNoise(p.textureKey ^ 0x5bd1e995, a / 250, 0.5) - 0.5) * 0.5 * a;
  const across = across0 - centre;
  const lateral = Math.exp(-(across * across) / (2 * sigma * sigma));
  if (lateral < 1e-3) return 0;
  const head = along < 0 ? Math.exp(-(along * along) / (2 * 0.5 * r0 * 0.5 * r0)) : 1;
  const taper = a > 0.8 * reach ? (reach - a) / (0.2 * reach) : 1;
  const longitudinal = Math.exp(-a / p.lengthM) * head * taper;
  // Turbulent puffs: noise advected with the plume, finer across than along.
  const t = fbm(p.textureKey, a / 1.6, across, 60, 3, 0.55);
  const texture = 0.35 + 1.3 * t;
  const alpha = p.opacity * longitudinal * lateral * texture;
  return alpha > 0.95 ? 0.95 : alpha;
}
