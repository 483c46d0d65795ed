/**
 * The plants of a synthetic world, drawn from a fleet profile (configs/fleets/*.json): fuel
 * (stratified, so the world has the profile's mix), a log-normal capacity split into equal
 * units, a dispatch class (baseload / mid-merit / peaker) whose on/off spells and load every
 * unit follows, a cooling technology (how much plume its heat makes), an emission factor at
 * the plant's typical load, and the layout on the ground (one emission source per unit,
 * buildings, coal yard). Sites are spread over the footprint with margins so patches around
 * them fit, and far enough apart that one plant's patch is about that plant.
 */
import { FUELS, type Fuel } from '../records/sites.js';
import { OptionError, optionText } from '../errors.js';
import { stream, type Rng } from './rng.js';
import { toLonLat, type SceneGrid } from './grid.js';
import { allocate, normalQuantile, stratifiedUniforms } from './draws.js';
import { COOLINGS, DISPATCH_CLASSES, type Cooling, type DispatchClass, type FleetProfile, type FuelFleetProfile } from './fleet.js';

/** A plant's cooling technology: what its heat looks like from above. */
export type Technology = Cooling;

/** One emission source (a cooling tower or a stack) of one unit, offset from the site point in metres. */
export interface PlumeSource {
  readonly dx: number;
  readonly dy: number;
  /** Index of the unit whose heat and vapour leave through this source. */
  readonly unit: number;
}

/** One generating unit: its share of the plant and the persistence of its on/off process (the lead unit's is the plant's dispatch class's). */
export interface Unit {
  readonly capacityMW: number;
  /** Mean on- and off-spell, days. */
  readonly onDays: number;
  readonly offDays: number;
  /** Typical load while on, fraction of the unit's capacity. */
  readonly load: number;
}

export interface Plant {
  readonly index: number;
  readonly siteId: string;
  readonly name: string;
  readonly fuel: Fuel;
  readonly technology: Technology;
  /** Plume strength of the technology (profile's plume_strength), 0–1. */
  readonly plumeStrength: number;
  readonly capacityMW: number;
  readonly units: readonly Unit[];
  readonly dispatch: DispatchClass;
  /** An open-cycle or steam peaker (its emission factor drawn from the peaking range). */
  readonly peakingUnit: boolean;
  /** Minimum load of a running unit, fraction of its capacity. */
  readonly minLoad: number;
  /** t CO2 per MWh at the plant's typical load. */
  readonly efTPerMWh: number;
  /** Relative rise of the emission factor per 0.35 of load below the typical load. */
  readonly efPartLoadPenalty: number;
  /** Relative sd of the emission factor between overpasses. */
  readonly efNoiseSd: number;
  /** Net electrical efficiency implied by the emission factor and the IPCC fuel factor. */
  readonly netEfficiency: number;
  /** Site point (the first unit's tower or stack), map metres. */
  readonly x: number;
  readonly y: number;
  readonly lon: number;
  readonly lat: number;
  readonly sources: readonly PlumeSource[];
  /** Orientation of the plant's building block, radians. */
  readonly layoutAngle: number;
}

/** IPCC 2006 default CO2 factors of the fuels, t CO2/TJ (see domain.md). */
const FUEL_CO2_T_PER_TJ: Record<Fuel, number> = { lignite: 101.0, coal: 94.6, gas: 56.1, oil: 77.4 };

/** z of the upper quartile: a normal's IQR is 2 × 0.6745 sd. */
const Z_Q75 = 0.6744897501960817;

/** Log-normal capacity at probability u with the profile's median and IQR, clamped, to 10 MW. */
function capacityAt(u: number, c: FuelFleetProfile['capacity_mw']): number {
  const sigma = Math.log(c.q75 / c.q25) / (2 * Z_Q75);
  const v = c.median * Math.exp(sigma * normalQuantile(u));
  return Math.round(Math.min(c.max, Math.max(c.min, v)) / 10) * 10;
}

/** Split-normal emission factor at probability u: the profile's median, each side's sd from its quartile. */
function emissionFactorAt(u: number, e: FuelFleetProfile['emission_factor']): number {
  const z = normalQuantile(u);
  const v = z < 0 ? e.median + (z * (e.median - e.q25)) / Z_Q75 : e.median + (z * (e.q75 - e.median)) / Z_Q75;
  return Math.min(e.p90 * 1.3, Math.max(e.q25 - 2 * (e.median - e.q25), v));
}

const SYLLABLES = ['neu', 'wer', 'lip', 'bo', 'xen', 'dorf', 'ham', 'rade', 'schk', 'ow', 'jän', 'berg', 'lauch', 'ham', 'mer', 'stau', 'dinge', 'wald'];

function plantName(rng: Rng, fuel: Fuel): string {
  const n = rng.int(2, 3);
  let s = '';
  for (let i = 0; i < n; i++) s += SYLLABLES[rng.int(0, SYLLABLES.length - 1)];
  const kind = fuel === 'gas' ? 'Gas' : fuel === 'oil' ? 'Oil' : fuel === 'lignite' ? 'Lignite' : 'Coal';
  return `${s.charAt(0).toUpperCase()}${s.slice(1)} ${kind}`;
}

/** One source per unit in a row: hyperbolic towers ~150 m apart, cell towers and stacks 60 m. */
function layoutSources(rng: Rng, technology: Technology, units: number, angle: number): PlumeSource[] {
  const spacing = technology === 'natural_draught' ? rng.uniform(130, 170) : 60;
  return Array.from({ length: units }, (_, unit) => ({ dx: unit * spacing * Math.cos(angle), dy: unit * spacing * Math.sin(angle), unit }));
}

/** Minimum distance between sites and from the footprint edge, metres. */
export const SITE_MARGIN_M = 480;

/**
 * Draws `count` plants on `grid`. Throws a UsageError when the footprint is too small to
 * hold that many sites with margins (the caller asked for the impossible).
 */
export function generatePlants(seed: number, count: number, grid: SceneGrid, fleet: FleetProfile): Plant[] {
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
    const [bx, by] = best ?? [grid.originX + SITE_MARGIN_M, grid.originY - SITE_MARGIN_M];
    const col = Math.floor((bx - grid.originX) / 10);
    const row = Math.floor((grid.originY - by) / 10);
    pts.push([grid.originX + (col + 0.5) * 10, grid.originY - (row + 0.5) * 10]);
  }
  const fuelOf = allocate(stream(seed, 'fuel-mix', count), count, FUELS.map((f) => [f, fleet.fuels[f].share.value] as const));
  const traits = new Map<number, FleetTraits>();
  FUELS.forEach((fuel, fi) => {
    const members = fuelOf.flatMap((f, i) => (f === fuel ? [i] : []));
    drawFuelTraits(stream(seed, 'fleet', fi, count), fleet.fuels[fuel], members).forEach((t, i) => traits.set(i, t));
  });
  return pts.map(([x, y], index) => {
    const fuel = fuelOf[index]!;
    const profile = fleet.fuels[fuel];
    const t = traits.get(index)!;
    const rng = stream(seed, 'plant', index);
    const name = plantName(rng, fuel);
    const nUnits = rng.weighted(profile.units.weights.map((w, k) => [k + 1, w] as const));
    const cls = profile.dispatch[t.dispatch];
    const minLoad = profile.min_load.value;
    const secondary = profile.units;
    const secondaryOffDays = (secondary.secondary_on_days * (1 - secondary.secondary_on_share)) / secondary.secondary_on_share;
    // The lead unit follows the dispatch class; the others come and go while it runs.
    const units: Unit[] = Array.from({ length: nUnits }, (_, k) => ({
      capacityMW: t.capacityMW / nUnits,
      onDays: (k === 0 ? cls.on_days : secondary.secondary_on_days) * rng.uniform(0.8, 1.25),
      offDays: Math.max(1, (k === 0 ? cls.off_days : secondaryOffDays) * rng.uniform(0.8, 1.25)),
      load: Math.min(0.92, Math.max(minLoad + 0.05, cls.load + rng.normal(0, 0.08))),
    }));
    const layoutAngle = rng.uniform(0, Math.PI);
    const [lon, lat] = toLonLat(grid, x, y);
    const efTPerMWh = Math.round(t.efTPerMWh * 1000) / 1000;
    return {
      index,
      siteId: `P${String(index + 1).padStart(3, '0')}`,
      name,
      fuel,
      technology: t.cooling,
      plumeStrength: fleet.plume_strength[t.cooling],
      capacityMW: t.capacityMW,
      units,
      dispatch: t.dispatch,
      peakingUnit: t.peakingUnit,
      minLoad,
      efTPerMWh,
      efPartLoadPenalty: profile.emission_factor.part_load_penalty,
      efNoiseSd: profile.emission_factor.noise_sd,
      netEfficiency: Math.round(((FUEL_CO2_T_PER_TJ[fuel] * 0.0036) / efTPerMWh) * 1000) / 1000,
      x,
      y,
      lon,
      lat,
      sources: layoutSources(rng, t.cooling, nUnits, layoutAngle),
      layoutAngle,
    };
  });
}

interface FleetTraits {
  dispatch: DispatchClass;
  cooling: Cooling;
  peakingUnit: boolean;
  capacityMW: number;
  efTPerMWh: number;
}

/**
 * The traits of one fuel's plants, stratified over the fuel so that even a few plants span
 * the profile: dispatch classes and cooling by allocation, capacities and emission factors at
 * stratified probabilities; peaking units are the first peakers in the (random) order.
 */
function drawFuelTraits(rng: Rng, f: FuelFleetProfile, members: readonly number[]): Map<number, FleetTraits> {
  const n = members.length;
  const classes = allocate(rng, n, DISPATCH_CLASSES.map((c) => [c, f.dispatch[c].share] as const));
  const coolings = allocate(rng, n, COOLINGS.map((c) => [c, f.cooling[c]] as const));
  const capU = stratifiedUniforms(rng, n);
  const efU = stratifiedUniforms(rng, n);
  let peakersLeft = f.peaking_units ? Math.round(f.peaking_units.share * n) : 0;
  const out = new Map<number, FleetTraits>();
  members.forEach((plant, k) => {
    const dispatch = classes[k]!;
    const peakingUnit = dispatch === 'peaker' && peakersLeft > 0;
    if (peakingUnit) peakersLeft--;
    const efTPerMWh = peakingUnit && f.peaking_units ? f.peaking_units.ef_min + efU[k]! * (f.peaking_units.ef_max - f.peaking_units.ef_min) : emissionFactorAt(efU[k]!, f.emission_factor);
    out.set(plant, { dispatch, cooling: coolings[k]!, peakingUnit, capacityMW: capacityAt(capU[k]!, f.capacity_mw), efTPerMWh });
  });
  return out;
}
