/**
 * Fleet profiles: how a synthetic world's plants are drawn (configs/fleets/*.json, checked
 * against configs/fleets/fleet.schema.json). A profile is data with its sources cited in the
 * file; this module only reads, checks and names it. `eu` is the default.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError, OptionError } from '../errors.js';
import { assertMatchesSchema } from '../io/jsonSchema.js';
import { packageFile } from '../io/packageFiles.js';
import { COOLINGS, FUELS, type Cooling, type Fuel } from '../records/sites.js';

// The cooling vocabulary is the sites format's (a world's plants are written with it).
export { COOLINGS, type Cooling };

export type DispatchClass = 'baseload' | 'mid_merit' | 'peaker';
export const DISPATCH_CLASSES: readonly DispatchClass[] = ['baseload', 'mid_merit', 'peaker'];

export interface DispatchProfile {
  share: number;
  /** Mean on- and off-spell of a unit, days. */
  on_days: number;
  off_days: number;
  /** Typical unit load while on, fraction of the unit's capacity. */
  load: number;
}

export interface FuelFleetProfile {
  share: { value: number };
  capacity_mw: { median: number; q25: number; q75: number; min: number; max: number };
  units: { weights: [number, number, number, number]; secondary_on_share: number; secondary_on_days: number };
  dispatch: Record<DispatchClass, DispatchProfile>;
  min_load: { value: number };
  cooling: Record<Cooling, number>;
  emission_factor: { median: number; q25: number; q75: number; p90: number; part_load_penalty: number; noise_sd: number };
  peaking_units?: { share: number; ef_min: number; ef_max: number };
}

export interface FleetProfile {
  name: string;
  description: string;
  fuels: Record<Fuel, FuelFleetProfile>;
  plume_strength: Record<Cooling, number>;
  seasonal_on_share: { monthly: number[] };
}

/** Profiles shipped in configs/fleets/ (`--fleet eu|us`). */
export const FLEET_NAMES = ['eu', 'us'] as const;
export const DEFAULT_FLEET = 'eu';

const SCHEMA = ['configs', 'fleets', 'fleet.schema.json'] as const;

/** Rules a schema cannot state: weights that must not all be zero, a peaker share within the peaker class. */
function checkProfile(p: FleetProfile, file: string): void {
  for (const fuel of FUELS) {
    const f = p.fuels[fuel];
    const at = `fuels.${fuel}`;
    const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
    if (sum(f.units.weights) <= 0) throw new InputError(file, `${at}.units.weights must not all be 0`);
    if (sum(DISPATCH_CLASSES.map((c) => f.dispatch[c].share)) <= 0) throw new InputError(file, `${at}.dispatch shares must not all be 0`);
    if (sum(COOLINGS.map((c) => f.cooling[c])) <= 0) throw new InputError(file, `${at}.cooling shares must not all be 0`);
    const c = f.capacity_mw;
    if (!(c.min <= c.q25 && c.q25 <= c.median && c.median <= c.q75 && c.q75 <= c.max)) throw new InputError(file, `${at}.capacity_mw must satisfy min <= q25 <= median <= q75 <= max`);
    const e = f.emission_factor;
    if (!(e.q25 <= e.median && e.median <= e.q75 && e.q75 <= e.p90)) throw new InputError(file, `${at}.emission_factor must satisfy q25 <= median <= q75 <= p90`);
    const peak = f.peaking_units;
    if (peak) {
      const classShare = f.dispatch.peaker.share / sum(DISPATCH_CLASSES.map((k) => f.dispatch[k].share));
      if (peak.share > classShare + 1e-9) throw new InputError(file, `${at}.peaking_units.share ${peak.share} exceeds the peaker dispatch share ${classShare.toFixed(3)}: peaking units are peakers`);
      if (peak.ef_min > peak.ef_max) throw new InputError(file, `${at}.peaking_units: ef_min must not exceed ef_max`);
    }
  }
  if (sum0(FUELS.map((f) => p.fuels[f].share.value)) <= 0) throw new InputError(file, 'fuels: the shares must not all be 0');
}

const sum0 = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Reads and checks a fleet profile file. @throws InputError naming the file, JSON path and rule */
export function readFleetProfile(file: string): FleetProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InputError(file, err.code ? `cannot read fleet profile: ${err.code}` : `not valid JSON (${err.message})`);
  }
  assertMatchesSchema(raw, SCHEMA, file);
  const profile = raw as FleetProfile;
  checkProfile(profile, file);
  return profile;
}

/**
 * The profile named by `--fleet`: a shipped name (`eu`, `us`) or a path to a profile file.
 * @throws OptionError when it is neither; InputError when the file is bad
 */
export function loadFleetProfile(nameOrFile: string = DEFAULT_FLEET): FleetProfile {
  if ((FLEET_NAMES as readonly string[]).includes(nameOrFile)) return readFleetProfile(packageFile('configs', 'fleets', `${nameOrFile}.json`));
  if (!existsSync(nameOrFile)) throw new OptionError('fleet', `must be ${FLEET_NAMES.join(', ')} or a profile file, got '${nameOrFile}' (no such file)`);
  return readFleetProfile(nameOrFile);
}
