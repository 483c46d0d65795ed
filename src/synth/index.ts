/**
 * The synthetic-world generator: physics-based Sentinel-2 L2A scenes of power plants with
 * known truth. `generateWorld` is the entry point; the rest is exported for tests and
 * benchmarks that render single bands.
 */
export { generateWorld, type SynthSummary } from './generateWorld.js';
export { missingMasks } from './tables.js';
export { DEMO_WORLD, SYNTH_DEFAULTS, SYNTH_LAYOUTS, resolveSynthOptions, type SynthLayout, type SynthOptions, type SynthProgress } from './options.js';
export { S2_BANDS, SCL, reflectanceToDN, dnToReflectance } from './bands.js';
export type { TruthDocument, TruthSampleRecord } from '../records/truth.js';
export { describeWorld } from './describeWorld.js';
export { FLEET_NAMES, DEFAULT_FLEET, loadFleetProfile, readFleetProfile, type FleetProfile } from './fleet.js';
export type { FleetStatistics, FuelStatistics } from './fleetStatistics.js';
