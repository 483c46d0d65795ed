/**
 * `truth.json`: what a synthetic world's generator knows and a model cannot see — per plant
 * its emission factor, efficiency and on/off persistence; per scene its cloud cover and swath
 * edge; per sample the true state and output, the plume's visibility, the cloud over the
 * plant, whether the state was observable at all — and the scores to judge a model against
 * (noise floor, naive baselines). The one home of the format: synth writes it with
 * `formatTruth`, ablate, evaluate's controls and the benches read it with `readTruth`.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';

/** The scores every reference row reports, in the units of the model's metrics. */
export interface TaskScores {
  activity_accuracy: number;
  generation_mae_mw: number;
  co2_mae_t_per_h: number;
}

export interface TruthSampleRecord {
  site_id: string;
  datetime: string;
  active: boolean;
  capacity_factor: number;
  generation_mw: number;
  co2_t_per_h: number;
  plume_visibility: number;
  plume_opacity: number;
  plume_length_m: number;
  cloud_over_plant: number;
  cloud_fraction_patch: number;
  valid_fraction: number;
  observable: boolean;
  brightness_near_stack: number | null;
  /** This overpass's emission factor, t CO2/MWh (part load and noise included); 0 when off. Fleet worlds only. */
  emission_factor_t_per_mwh?: number;
  /** Units running at this overpass. Fleet worlds only. */
  units_on?: number;
}

/** A plant as the generator made it; `x`, `y` in the world grid's CRS (metres). */
export interface TruthSite {
  site_id: string;
  name: string;
  fuel: string;
  technology: string;
  capacity_mw: number;
  emission_factor_t_per_mwh: number;
  net_efficiency: number;
  /** Share of overpasses the plant is on. */
  on_fraction: number;
  mean_on_days: number;
  base_capacity_factor: number;
  /** Number of emitting stacks/towers. */
  sources: number;
  x: number;
  y: number;
  /** Fleet worlds (issue 10) only: dispatch class (baseload, mid_merit, peaker). */
  dispatch?: string;
  /** Open-cycle or steam peaker with its own emission-factor range. */
  peaking_unit?: boolean;
  /** Number of equal units, and a running unit's minimum load (fraction of its capacity). */
  units?: number;
  unit_min_load?: number;
  /** Mean off-spell of the plant's lead unit, days (`mean_on_days` is its on-spell). */
  mean_off_days?: number;
  /** Plume strength of the cooling technology (0–1). */
  plume_strength?: number;
}

export interface TruthDocument {
  /** `fleet`: the fleet profile's name (absent in worlds made before fleet profiles). */
  generator: { name: string; seed: number; sites: number; dates: number; size: number; layout: string; missing: number; fleet?: string };
  grid: { tile_id: string; epsg: number; geotransform_10m: number[]; size_10m: number };
  definitions: Record<string, string>;
  sites: TruthSite[];
  scenes: { product_id: string; scene_id: string; datetime: string; cloud_cover: number; swath_edge: boolean; cirrus: boolean }[];
  samples: TruthSampleRecord[];
  noise_floor: TaskScores & { observable_fraction: number };
  /** `capacity_aware` (src/model/capacityBaseline.ts) is absent in worlds made before it. */
  baselines: { naive_brightness: TaskScores; site_prior: TaskScores; capacity_aware?: TaskScores };
}

/** truth.json text: one space of indent (a 200-plant world stays diffable and small). */
export function formatTruth(doc: TruthDocument): string {
  return `${JSON.stringify(doc, null, 1)}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and checks the parts of truth.json its readers rely on.
 * @throws InputError naming the file and what is missing
 */
export function parseTruth(text: string, file: string): TruthDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `not a co2sat truth.json: not valid JSON (${(e as Error).message})`);
  }
  const fail = (what: string): never => {
    throw new InputError(file, `not a co2sat truth.json: ${what}`);
  };
  if (!isObject(raw)) return fail('expected an object');
  if (!Array.isArray(raw.sites) || !raw.sites.every((s) => isObject(s) && typeof s.site_id === 'string' && typeof s.fuel === 'string')) {
    return fail("'sites' must be a list of objects with site_id and fuel");
  }
  if (!Array.isArray(raw.samples)) return fail("missing 'samples'");
  raw.samples.forEach((s, i) => {
    const ok = isObject(s) && typeof s.site_id === 'string' && typeof s.datetime === 'string' && typeof s.active === 'boolean' && typeof s.generation_mw === 'number' && typeof s.co2_t_per_h === 'number';
    if (!ok) fail(`samples[${i}] needs site_id, datetime, active, generation_mw and co2_t_per_h`);
  });
  if (!isObject(raw.noise_floor)) return fail("missing 'noise_floor'");
  return raw as unknown as TruthDocument;
}

/** Reads a truth.json. @throws InputError naming the file */
export function readTruth(file: string): TruthDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read truth.json: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseTruth(text, file);
}
