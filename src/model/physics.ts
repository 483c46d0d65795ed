/**
 * The physics co2sat relies on, as pure functions over plain numbers with units in their
 * names. `synth/` makes truth with them, the model's tensor versions are tested against
 * them and `postprocess/` checks with them. Factors come from configs/emission-factors.json.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export type Fuel = 'lignite' | 'coal' | 'gas' | 'oil';
export const FUELS: readonly Fuel[] = ['lignite', 'coal', 'gas', 'oil'];

export interface EmissionFactor {
  /** t CO2 per MWh of net generation. */
  median: number;
  p10?: number;
  p90?: number;
  median_capacity_factor?: number;
}
export type EmissionFactors = Readonly<Record<Fuel, EmissionFactor>>;

/** Generation (MW) = capacity factor (in [0, 1]) × capacity (MW). */
export function generationMW(capacityFactor: number, capacityMW: number): number {
  return capacityFactor * capacityMW;
}

/** CO2 (t/h) = emission factor (t/MWh) × generation (MW); one hour at G MW is G MWh. */
export function co2TPerH(efTPerMWh: number, generationMW: number): number {
  return efTPerMWh * generationMW;
}

/** Capacity factor of a generation; NaN for a plant of unknown or zero capacity. */
export function capacityFactor(generationMW: number, capacityMW: number): number {
  return capacityMW > 0 ? generationMW / capacityMW : Number.NaN;
}

export function isFuel(value: unknown): value is Fuel {
  return typeof value === 'string' && (FUELS as readonly string[]).includes(value);
}

/** Path of the emission-factor table shipped with co2sat. */
export function defaultEmissionFactorsPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // src/model → ../../configs; dist/src/model → ../../../configs
  for (const up of ['../..', '../../..']) {
    const p = path.join(here, up, 'configs', 'emission-factors.json');
    try {
      readFileSync(p);
      return p;
    } catch {
      // next candidate
    }
  }
  throw new Error('configs/emission-factors.json not found beside the co2sat package');
}

/** Reads and checks an emission-factor table; errors name the file and the bad entry. */
export function loadEmissionFactors(file = defaultEmissionFactorsPath()): EmissionFactors {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { unit?: string; fuels?: Record<string, EmissionFactor> };
  if (raw.unit !== 't_co2_per_mwh') throw new Error(`${file}: unit must be "t_co2_per_mwh"`);
  const out: Partial<Record<Fuel, EmissionFactor>> = {};
  for (const fuel of FUELS) {
    const ef = raw.fuels?.[fuel];
    if (!ef || !(typeof ef.median === 'number' && ef.median > 0)) {
      throw new Error(`${file}: fuels.${fuel}.median must be a positive number`);
    }
    out[fuel] = ef;
  }
  return out as EmissionFactors;
}
