/**
 * When the satellite looks and what each plant does then. Acquisitions follow a 5-day
 * revisit (Sentinel-2A/B alternating on one relative orbit, ~10:26 UTC). Each plant's
 * on/off state is a two-state Markov chain stepped day by day between acquisitions (its
 * persistence is the fleet role: base-load lignite stays on for weeks, a gas peaker
 * switches often); while on, its capacity factor carries a seasonal cycle (winter demand),
 * a weekday cycle and day-to-day noise.
 */
import { generationMW, co2TPerH } from '../model/physics.js';
import { stream } from './rng.js';
import type { Plant } from './plants.js';

export interface Acquisition {
  readonly index: number;
  /** ISO 8601 UTC, seconds precision, `Z` suffix: the key labels and the manifest join on. */
  readonly datetime: string;
  readonly date: Date;
  /** Day of year, 1–366. */
  readonly doy: number;
  readonly spacecraft: 'S2A' | 'S2B';
}

/** Days between acquisitions (two satellites, one relative orbit). */
export const REVISIT_DAYS = 5;
const FIRST_ACQUISITION_MS = Date.UTC(2024, 0, 2, 10, 25, 59);

export function acquisitions(count: number): Acquisition[] {
  const out: Acquisition[] = [];
  for (let i = 0; i < count; i++) {
    const date = new Date(FIRST_ACQUISITION_MS + i * REVISIT_DAYS * 86_400_000 + (i % 2) * 2000);
    const doy = Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    out.push({ index: i, datetime: date.toISOString().replace('.000Z', 'Z'), date, doy, spacecraft: i % 2 === 0 ? 'S2A' : 'S2B' });
  }
  return out;
}

/** What a plant does at one acquisition. */
export interface Operation {
  readonly active: boolean;
  /** Capacity factor in [0, 1]; 0 when off. */
  readonly capacityFactor: number;
  readonly generationMW: number;
  readonly co2TPerH: number;
}

/**
 * Probability of being on after `days` days, given the state now, for a chain with
 * stationary on-probability `pi` and mean on-spell `meanOnDays` (closed form of the
 * two-state transition matrix to the power `days`).
 */
export function pOnAfter(onNow: boolean, days: number, pi: number, meanOnDays: number): number {
  const pOnOff = 1 / meanOnDays;
  const pOffOn = Math.min(1, (pi / (1 - pi)) * pOnOff);
  const lambda = Math.pow(1 - pOnOff - pOffOn, days);
  return onNow ? pi + (1 - pi) * lambda : pi * (1 - lambda);
}

/** Minimum stable load of a thermal unit: an on plant runs at least this capacity factor. */
const MIN_STABLE_CF = 0.3;

/** The plant's operations at every acquisition (one stream per plant: order-independent). */
export function operations(seed: number, plant: Plant, acqs: readonly Acquisition[]): Operation[] {
  const rng = stream(seed, 'operations', plant.index);
  let on = rng.chance(plant.onFraction);
  let prevTime = acqs[0]?.date.getTime() ?? 0;
  let dailyNoise = 0;
  const out: Operation[] = [];
  for (const a of acqs) {
    const days = Math.round((a.date.getTime() - prevTime) / 86_400_000);
    if (days > 0) on = rng.chance(pOnAfter(on, days, plant.onFraction, plant.meanOnDays));
    prevTime = a.date.getTime();
    // AR(1) load noise with ~0.6 correlation across one revisit.
    dailyNoise = 0.6 * dailyNoise + rng.normal(0, 0.09);
    if (!on) {
      out.push({ active: false, capacityFactor: 0, generationMW: 0, co2TPerH: 0 });
      continue;
    }
    const seasonal = 0.1 * Math.cos((2 * Math.PI * (a.doy - 15)) / 365);
    const weekday = a.date.getUTCDay();
    const weekend = weekday === 0 ? -0.12 : weekday === 6 ? -0.07 : 0;
    const cf = Math.min(1, Math.max(MIN_STABLE_CF, plant.baseCF + seasonal + weekend + dailyNoise));
    const capacityFactor = Math.round(cf * 1000) / 1000;
    const gen = generationMW(capacityFactor, plant.capacityMW);
    out.push({ active: true, capacityFactor, generationMW: gen, co2TPerH: co2TPerH(plant.efTPerMWh, gen) });
  }
  return out;
}
