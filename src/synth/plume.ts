/**
 * A condensed-vapour plume as an opacity field over the map. It is anchored at its source
 * (tower or wet stack), carried downwind along (wind_u, wind_v) (+u east, +v north), widens
 * with distance and fades with an e-folding length that grows with the source's output and
 * with how readily the air condenses vapour; a turbulent texture (noise in plume
 * coordinates) breaks it into puffs, and a slow meander bends it. Cooling towers make wide,
 * billowy plumes from a ~100 m mouth; wet FGD stacks thin, long ones from a narrow exit.
 * The cooling technology sets how much of the heat shows (`strength`): a natural-draught
 * tower's full plume, a wet stack's, a mechanical-draught tower's low one, and for
 * once-through or air cooling only the hot exhaust and a little stack vapour — faint, below
 * what an observer can read, but not nothing.
 */
import { fbm, valueNoise } from './noise.js';
import type { Cooling } from './fleet.js';

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

type Shape = 'tower' | 'stack';

const SHAPES: Record<Shape, TechShape> = {
  tower: { headRadiusM: 50, spread: 0.22, baseLengthM: 110, lengthPerUnitM: 520, refMW: 600, baseOpacity: 0.3, opacityPerUnit: 0.55 },
  stack: { headRadiusM: 20, spread: 0.1, baseLengthM: 90, lengthPerUnitM: 720, refMW: 800, baseOpacity: 0.2, opacityPerUnit: 0.5 },
};

/** Cooling towers (natural or mechanical draught) make wide plumes; everything else leaves by a stack. */
const SHAPE_OF: Record<Cooling, Shape> = { natural_draught: 'tower', mechanical_draught: 'tower', wet_fgd_stack: 'stack', once_through: 'stack', air: 'stack' };

/** Net efficiency of the reference unit the plume shapes were tuned on (a hard-coal unit). */
const REFERENCE_EFFICIENCY = 0.38;

/**
 * Heat rejected per MWh generated, relative to the reference unit: (1 − η)/η over the
 * reference's, so a 55 % combined-cycle unit rejects about half a coal unit's heat per MWh.
 */
export function rejectedHeatRatio(netEfficiency: number): number {
  const eta = Math.min(0.7, Math.max(0.2, netEfficiency));
  return (1 - eta) / eta / ((1 - REFERENCE_EFFICIENCY) / REFERENCE_EFFICIENCY);
}

/** Distance (in e-folding lengths) beyond which the plume is cut, with a smooth taper. */
const CUT_LENGTHS = 3.5;

/**
 * The plume of one source rejecting the heat of `sourceMW` of reference-unit generation (see
 * `rejectedHeatRatio`), of cooling `technology` with plume strength `strength` (0–1), in air of
 * plume visibility `visibility` (0–1) and wind (u, v) m/s; null when the source emits nothing.
 */
export function makePlume(
  technology: Cooling,
  sx: number,
  sy: number,
  sourceMW: number,
  strength: number,
  visibility: number,
  windU: number,
  windV: number,
  textureKey: number,
): PlumeSpec | null {
  if (!(sourceMW > 0) || !(visibility > 0) || !(strength > 0)) return null;
  const s = SHAPES[SHAPE_OF[technology]];
  const speed = Math.hypot(windU, windV);
  // Calm air: the plume rises more than it travels, so it looks shorter and rounder from above.
  const stretch = 0.55 + 0.45 * Math.min(1, speed / 5);
  const units = Math.sqrt(sourceMW / s.refMW);
  const lengthM = (s.baseLengthM + s.lengthPerUnitM * units) * visibility * stretch * (0.4 + 0.6 * strength);
  const opacity = Math.min(0.92, (s.baseOpacity + s.opacityPerUnit * units) * Math.pow(visibility, 0.6) * strength);
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
