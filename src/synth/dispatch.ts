/**
 * What each plant does at every acquisition. A plant is a set of units; each unit follows a
 * two-state on/off process stepped day by day with a monthly factor on its start and stop
 * rates (the spring dip). The first unit leads with the mean on- and off-spells of the plant's
 * dispatch class (baseload coal stays on for months, a gas peaker starts for a day or two):
 * the plant is on (`active`) exactly when it is. The others come and go in shorter spells and
 * run only with it, so a plant that
 * is "on" may run one unit at its minimum load — 10–30 % of the plant's capacity. A running
 * unit's load wanders (AR(1)) around its typical load with a winter-demand and a weekend cycle,
 * between its minimum load and 95 %. The emission factor of an overpass is the plant's, raised
 * at part load, times a few percent of noise.
 */
import { co2TPerH, generationMW } from '../model/physics.js';
import { stream } from './rng.js';
import type { Plant } from './plants.js';
import type { Acquisition } from './timeline.js';

/** What a plant does at one acquisition. */
export interface Operation {
  readonly active: boolean;
  /** Capacity factor in [0, 1]; 0 when off. */
  readonly capacityFactor: number;
  readonly generationMW: number;
  readonly co2TPerH: number;
  /** Generation of each unit, MW (0 for a unit that is off): the heat its source rejects. */
  readonly unitGenerationMW: readonly number[];
  /** The overpass's emission factor, t CO2/MWh (the plant's at its load, with noise); 0 when off. */
  readonly efTPerMWh: number;
}

const DAY_MS = 86_400_000;
/** Highest load a unit runs at, fraction of its capacity. */
export const MAX_UNIT_LOAD = 0.95;
/** Load span over which the part-load penalty of the emission factor is stated. */
const PENALTY_SPAN = 0.35;

/** Stationary on-probability of a unit under the month's factor. */
function stationaryOn(onDays: number, offDays: number, factor: number): number {
  const start = factor / offDays;
  const stop = 1 / (onDays * factor);
  return start / (start + stop);
}

const monthOf = (day: number): number => new Date(day * DAY_MS).getUTCMonth();

/**
 * The plant's operations at every acquisition (one stream per unit and purpose, so the result
 * does not depend on the order plants are processed in).
 * @param monthlyOnFactor the profile's seasonal_on_share.monthly (January first)
 */
export function operations(seed: number, plant: Plant, acqs: readonly Acquisition[], monthlyOnFactor: readonly number[]): Operation[] {
  const factor = (day: number) => monthlyOnFactor[monthOf(day)] ?? 1;
  const stateRngs = plant.units.map((_, k) => stream(seed, 'unit-state', plant.index, k));
  const loadRngs = plant.units.map((_, k) => stream(seed, 'unit-load', plant.index, k));
  const efRng = stream(seed, 'ef-noise', plant.index);
  const firstDay = Math.floor((acqs[0]?.date.getTime() ?? 0) / DAY_MS);
  const on = plant.units.map((u, k) => stateRngs[k]!.chance(stationaryOn(u.onDays, u.offDays, factor(firstDay))));
  const drift = plant.units.map(() => 0);
  const typicalLoad = plant.units.reduce((s, u) => s + u.load, 0) / plant.units.length;
  let day = firstDay;
  const out: Operation[] = [];
  for (const a of acqs) {
    const target = Math.floor(a.date.getTime() / DAY_MS);
    for (; day < target; day++) {
      const m = factor(day + 1);
      plant.units.forEach((u, k) => {
        const p = on[k] ? Math.min(1, 1 / (u.onDays * m)) : Math.min(1, m / u.offDays);
        if (stateRngs[k]!.chance(p)) on[k] = !on[k];
      });
    }
    const seasonal = 0.06 * Math.cos((2 * Math.PI * (a.doy - 15)) / 365);
    const weekday = a.date.getUTCDay();
    const weekend = weekday === 0 ? -0.1 : weekday === 6 ? -0.05 : 0;
    const lead = on[0] === true;
    const unitGen = plant.units.map((u, k) => {
      // Every unit's load process advances at every overpass, on or off, so streams stay aligned.
      const wander = 0.6 * (drift[k] ?? 0) + loadRngs[k]!.normal(0, 0.1);
      drift[k] = wander;
      if (!lead || !on[k]) return 0;
      const load = Math.min(MAX_UNIT_LOAD, Math.max(plant.minLoad, u.load + seasonal + weekend + wander));
      return u.capacityMW * load;
    });
    const noise = efRng.normal(0, plant.efNoiseSd);
    const total = unitGen.reduce((s, g) => s + g, 0);
    if (!lead || total <= 0) {
      out.push({ active: false, capacityFactor: 0, generationMW: 0, co2TPerH: 0, unitGenerationMW: unitGen.map(() => 0), efTPerMWh: 0 });
      continue;
    }
    const capacityFactor = Math.round((total / plant.capacityMW) * 1000) / 1000;
    const gen = generationMW(capacityFactor, plant.capacityMW);
    const runningMW = plant.units.reduce((s, u, k) => s + (unitGen[k]! > 0 ? u.capacityMW : 0), 0);
    const load = total / runningMW;
    const ef = plant.efTPerMWh * (1 + (plant.efPartLoadPenalty * (typicalLoad - load)) / PENALTY_SPAN) * (1 + noise);
    out.push({ active: true, capacityFactor, generationMW: gen, co2TPerH: co2TPerH(ef, gen), unitGenerationMW: unitGen, efTPerMWh: ef });
  }
  return out;
}
