/**
 * `co2sat synth --report` without `--out`: the fleet statistics of the world a seed would
 * make, from the world model alone (plants, dispatch, sky plans) — no pixel rendered, so a
 * 200-plant × 60-date world reports in a second.
 */
import { loadFleetProfile } from './fleet.js';
import { fleetStatistics, type FleetStatistics } from './fleetStatistics.js';
import { resolveWorldOptions, type SynthOptions } from './options.js';
import { buildWorld } from './world.js';

/**
 * @throws OptionError for bad options, InputError for a bad fleet profile file
 * @example describeWorld({ sites: 200, dates: 60, seed: 3, fleet: 'us' }).by_fuel.gas?.below_cf_0_05
 */
export function describeWorld(options: Omit<SynthOptions, 'out'>): FleetStatistics {
  const o = resolveWorldOptions(options);
  return fleetStatistics(buildWorld({ seed: o.seed, sites: o.sites, dates: o.dates, size: o.size }, loadFleetProfile(o.fleet)));
}
