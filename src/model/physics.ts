/**
 * The physics co2sat relies on, as pure functions over plain numbers with units in their
 * names. `synth/` makes truth with them, the model's tensor versions are tested against
 * them and `postprocess/` checks with them. Factors come from configs/emission-factors.json.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { assertMatchesSchema } from '../io/jsonSchema.js';
import { packageFile } from '../io/packageFiles.js';
import { FUELS, type Fuel } from '../records/sites.js';


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

/** Path of the emission-factor table shipped with co2sat. */
export function defaultEmissionFactorsPath(): string {
  return packageFile('configs', 'emission-factors.json');
}

/**
 * Reads and checks an emission-factor table against configs/emission-factors.schema.json;
 * errors name the file, the JSON path and the rule (or the missing fuel).
 */
export function loadEmissionFactors(file = defaultEmissionFactorsPath()): EmissionFactors {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(file, `cannot read emission factors: ${(err as Error).message}`);
  }
  assertMatchesSchema(raw, ['configs', 'emission-factors.schema.json'], file);
  const fuels = (raw as { fuels: Record<string, EmissionFactor> }).fuels;
  const out: Partial<Record<Fuel, EmissionFactor>> = {};
  for (const fuel of FUELS) {
    const ef = fuels[fuel];
    if (!ef) throw new InputError(file, `fuels.${fuel} is missing: every fuel (${FUELS.join(', ')}) needs a factor`);
    out[fuel] = ef;
  }
  return out as EmissionFactors;
}
