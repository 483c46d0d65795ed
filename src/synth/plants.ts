/**
 * The plants of a synthetic world: fuel, technology, capacity, an emission factor drawn
 * around the fuel's observed median (plants differ in efficiency), the on/off persistence
 * of their fleet role, and their layout on the ground (emission sources, buildings, coal
 * yard). Sites are spread over the footprint with margins so patches around them fit, and
 * far enough apart that one plant's patch is about that plant.
 */
import { type EmissionFactors } from '../model/physics.js';
import { type Fuel } from '../records/sites.js';
import { OptionError, optionText } from '../errors.js';
import { stream, type Rng } from './rng.js';
import { toLonLat, type SceneGrid } from './grid.js';

export type Technology = 'cooling_tower' | 'wet_fgd_stack';

/** One emission source (a cooling tower or a wet stack), offset from the site point in metres. */
export interface PlumeSource {
  readonly dx: number;
  readonly dy: number;
  /** Share of the plant's generation whose heat and vapour leave through this source. */
  readonly share: number;
}

export interface Plant {
  readonly index: number;
  readonly siteId: string;
  readonly name: string;
  readonly fuel: Fuel;
  readonly technology: Technology;
  readonly capacityMW: number;
  /** t CO2 per MWh for this plant: the fuel median shifted by the plant's efficiency. */
  readonly efTPerMWh: number;
  /** Net electrical efficiency implied by the emission factor and the IPCC fuel factor. */
  readonly netEfficiency: number;
  /** Site point (the main stack or tower), map metres. */
  readonly x: number;
  readonly y: number;
  readonly lon: number;
  readonly lat: number;
  readonly sources: readonly PlumeSource[];
  /** Long-run fraction of time on (the Markov chain's stationary probability). */
  readonly onFraction: number;
  /** Mean length of an on-spell, days (persistence of the on/off chain). */
  readonly meanOnDays: number;
  /** Typical capacity factor while on. */
  readonly baseCF: number;
  /** Orientation of the plant's building block, radians. */
  readonly layoutAngle: number;
}

/** IPCC 2006 default CO2 factors of the fuels, t CO2/TJ (see domain.md). */
const FUEL_CO2_T_PER_TJ: Record<Fuel, number> = { lignite: 101.0, coal: 94.6, gas: 56.1, oil: 77.4 };

interface FuelProfile {
  share: number;
  capacityMW: [number, number];
  onFraction: number;
  meanOnDays: number;
  baseCF: number;
  /** Probability of a natural-draft cooling tower (the rest are wet FGD stacks). */
  towerShare: number;
}

/** Fleet roles: lignite runs base load, gas follows demand, oil is a peaker (domain.md CFs). */
const PROFILES: Record<Fuel, FuelProfile> = {
  lignite: { share: 0.22, capacityMW: [800, 3000], onFraction: 0.9, meanOnDays: 45, baseCF: 0.82, towerShare: 0.75 },
  coal: { share: 0.38, capacityMW: [400, 2000], onFraction: 0.78, meanOnDays: 22, baseCF: 0.7, towerShare: 0.55 },
  gas: { share: 0.28, capacityMW: [300, 1400], onFraction: 0.6, meanOnDays: 9, baseCF: 0.62, towerShare: 1 },
  oil: { share: 0.12, capacityMW: [150, 700], onFraction: 0.35, meanOnDays: 6, baseCF: 0.55, towerShare: 0.3 },
};

/**
 * Share of the fleet's p10–p90 spread that lies between plants: the JRC unit-year spread also
 * holds part-load years and start-ups, so a plant's long-run factor varies less.
 */
const PLANT_SPREAD = 0.6;

/** Split-normal draw around the fuel median (PLANT_SPREAD of its p10/p90), clamped to them. */
function drawEmissionFactor(rng: Rng, ef: EmissionFactors[Fuel]): number {
  const z = rng.normal() * PLANT_SPREAD;
  const lo = ef.p10 ?? ef.median * 0.9;
  const hi = ef.p90 ?? ef.median * 1.15;
  const v = z < 0 ? ef.median + (z * (ef.median - lo)) / 1.2816 : ef.median + (z * (hi - ef.median)) / 1.2816;
  return Math.min(hi, Math.max(lo, v));
}

const SYLLABLES = ['neu', 'wer', 'lip', 'bo', 'xen', 'dorf', 'ham', 'rade', 'schk', 'ow', 'jän', 'berg', 'lauch', 'ham', 'mer', 'stau', 'dinge', 'wald'];

function plantName(rng: Rng, fuel: Fuel): string {
  const n = rng.int(2, 3);
  let s = '';
  for (let i = 0; i < n; i++) s += SYLLABLES[rng.int(0, SYLLABLES.length - 1)];
  const kind = fuel === 'gas' ? 'Gas' : fuel === 'oil' ? 'Oil' : fuel === 'lignite' ? 'Lignite' : 'Coal';
  return `${s[0]!.toUpperCase()}${s.slice(1)} ${kind}`;
}

/** Sources: one tower per ~700 MW (1–4), in a row; stacks: one per ~1200 MW (1–2). */
function layoutSources(rng: Rng, technology: Technology, capacityMW: number, angle: number): PlumeSource[] {
  const n = technology === 'cooling_tower' ? Math.min(4, Math.max(1, Math.round(capacityMW / 700))) : Math.min(2, Math.max(1, Math.round(capacityMW / 1200)));
  const spacing = technology === 'cooling_tower' ? rng.uniform(130, 170) : 60;
  const out: PlumeSource[] = [];
  for (let i = 0; i < n; i++) {
    const along = i * spacing;
    out.push({ dx: along * Math.cos(angle), dy: along * Math.sin(angle), share: 1 / n });
  }
  return out;
}

/** Minimum distance between sites and from the footprint edge, metres. */
export const SITE_MARGIN_M = 480;

/**
 * Draws `count` plants on `grid`. Throws a UsageError when the footprint is too small to
 * hold that many sites with margins (the caller asked for the impossible).
 */
export function generatePlants(seed: number, count: number, grid: SceneGrid, factors: EmissionFactors): Plant[] {
  const extent = grid.size * 10;
  const usable = extent - 2 * SITE_MARGIN_M;
  if (usable <= 0) throw new OptionError('size', `${grid.size} is too small: sites need ${SITE_MARGIN_M} m margins (use 128 or more)`);
  const place = stream(seed, 'site-positions');
  const minSpacing = Math.max(700, Math.min(5000, usable / Math.sqrt(count) / 1.6));
  const pts: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    let best: [number, number] | null = null;
    let bestDist = -1;
    // Best of many candidates (Mitchell's algorithm): spread out, deterministic, never stuck.
    for (let k = 0; k < 120; k++) {
      const c: [number, number] = [grid.originX + SITE_MARGIN_M + place.next() * usable, grid.originY - SITE_MARGIN_M - place.next() * usable];
      const d = pts.reduce((m, p) => Math.min(m, Math.hypot(p[0] - c[0], p[1] - c[1])), Infinity);
      if (d > bestDist) {
        best = c;
        bestDist = d;
      }
    }
    if (pts.length > 0 && bestDist < Math.min(minSpacing, 640)) {
      throw new OptionError('sites', `${count}: that many plants do not fit in a ${grid.size} px scene with ${Math.round(Math.min(minSpacing, 640))} m between them: use fewer plants or a larger ${optionText('size')}`);
    }
    // Snap to a 10 m pixel centre so the stack sits in one well-defined pixel of every date.
    const col = Math.floor((best![0] - grid.originX) / 10);
    const row = Math.floor((grid.originY - best![1]) / 10);
    pts.push([grid.originX + (col + 0.5) * 10, grid.originY - (row + 0.5) * 10]);
  }
  const fuels = Object.keys(PROFILES) as Fuel[];
  return pts.map(([x, y], index) => {
    const rng = stream(seed, 'plant', index);
    const fuel = rng.weighted(fuels.map((f) => [f, PROFILES[f].share] as const));
    const p = PROFILES[fuel];
    const technology: Technology = rng.chance(p.towerShare) ? 'cooling_tower' : 'wet_fgd_stack';
    const capacityMW = Math.round(rng.uniform(p.capacityMW[0], p.capacityMW[1]) / 10) * 10;
    const efTPerMWh = Math.round(drawEmissionFactor(rng, factors[fuel]) * 1000) / 1000;
    const netEfficiency = (FUEL_CO2_T_PER_TJ[fuel] * 0.0036) / efTPerMWh;
    const layoutAngle = rng.uniform(0, Math.PI);
    const [lon, lat] = toLonLat(grid, x, y);
    return {
      index,
      siteId: `P${String(index + 1).padStart(3, '0')}`,
      name: plantName(rng, fuel),
      fuel,
      technology,
      capacityMW,
      efTPerMWh,
      netEfficiency: Math.round(netEfficiency * 1000) / 1000,
      x,
      y,
      lon,
      lat,
      sources: layoutSources(rng, technology, capacityMW, layoutAngle),
      onFraction: Math.min(0.97, Math.max(0.1, p.onFraction + rng.normal(0, 0.05))),
      meanOnDays: p.meanOnDays * rng.uniform(0.7, 1.4),
      baseCF: Math.min(0.95, Math.max(0.35, p.baseCF + rng.normal(0, 0.07))),
      layoutAngle,
    };
  });
}
