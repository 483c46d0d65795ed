/**
 * The non-image inputs fused after the trunk: plant capacity and fuel (one-hot), weather at
 * the overpass and the patch's cloud fraction. One function builds the vector for training
 * and inference alike, so the two can never disagree on order or scaling.
 *
 * Wind is only scaled, never centred: augmentation rotates and mirrors (u, v) with the
 * image, and that is only valid for a vector whose origin stays at zero.
 */
import { COOLINGS, FUELS, isCooling, type Fuel } from '../records/sites.js';

export interface AuxInput {
  fuel: Fuel;
  capacity_mw: number;
  /** The sites file's `technology` (COOLINGS; anything else or null is unknown). */
  technology: string | null;
  temperature_c: number | null;
  relative_humidity: number | null;
  wind_u: number | null;
  wind_v: number | null;
  cloud_fraction: number | null;
}

/** Training-split statistics of the aux inputs, saved with the model (and the imputation values). */
export interface AuxStats {
  capacity_scale_mw: number;
  temperature_mean: number;
  temperature_std: number;
  humidity_mean: number;
  humidity_std: number;
  /** Root mean square of the wind components (m/s). */
  wind_scale: number;
  /** Mean wind, imputed where weather is missing. */
  wind_u_mean: number;
  wind_v_mean: number;
}

/** The aux vector of every model before the cooling inputs (model.json `spec.auxFeatures` = 12). */
export const BASE_AUX_FEATURE_NAMES = [
  'capacity',
  ...FUELS.map((f) => `fuel_${f}`),
  'temperature',
  'humidity',
  'wind_u',
  'wind_v',
  'weather_missing',
  'cloud_fraction',
  'cloud_missing',
] as const;
export const BASE_AUX_FEATURES = BASE_AUX_FEATURE_NAMES.length;

/**
 * The cooling technology, one-hot, and a flag for an unknown one: whether the plant's heat can
 * show as a plume at all. Without it the trunk is trained on a fleet where half the plants
 * (once-through, air-cooled) never show their state, and learns to ignore the image
 * everywhere (RESULTS.md, issue 15).
 */
export const COOLING_FEATURE_NAMES = [...COOLINGS.map((c) => `cooling_${c}`), 'cooling_unknown'] as const;

/**
 * Every aux feature, in vector order. The vector only grows at its end, so a model's length
 * (`spec.auxFeatures`) says which features it was trained with: BASE_AUX_FEATURES for a model
 * without the cooling inputs (every model before them), AUX_FEATURES with them.
 */
export const AUX_FEATURE_NAMES = [...BASE_AUX_FEATURE_NAMES, ...COOLING_FEATURE_NAMES] as const;
export const AUX_FEATURES = AUX_FEATURE_NAMES.length;

/** The aux vector length of a model trained with or without the cooling inputs. */
export const auxFeatureCount = (coolingInput: boolean): number => (coolingInput ? AUX_FEATURES : BASE_AUX_FEATURES);

/** Checks a model's aux length is one this version writes (a model.json from elsewhere may not be). */
export function isKnownAuxFeatureCount(n: number): boolean {
  return n === BASE_AUX_FEATURES || n === AUX_FEATURES;
}

/**
 * Writes one sample's first `count` aux features into `out` at `offset` (count: the model's
 * `spec.auxFeatures`, BASE_AUX_FEATURES or AUX_FEATURES). Missing weather gets the training means.
 */
export function writeAuxFeatures(a: AuxInput, s: AuxStats, out: Float32Array, offset: number, count: number): void {
  if (!isKnownAuxFeatureCount(count)) throw new Error(`aux vector of ${count} features: this version writes ${BASE_AUX_FEATURES} or ${AUX_FEATURES}`);
  let k = offset;
  out[k++] = a.capacity_mw / s.capacity_scale_mw;
  for (const f of FUELS) out[k++] = a.fuel === f ? 1 : 0;
  const t = a.temperature_c ?? s.temperature_mean;
  const rh = a.relative_humidity ?? s.humidity_mean;
  out[k++] = (t - s.temperature_mean) / s.temperature_std;
  out[k++] = (rh - s.humidity_mean) / s.humidity_std;
  out[k++] = (a.wind_u ?? s.wind_u_mean) / s.wind_scale;
  out[k++] = (a.wind_v ?? s.wind_v_mean) / s.wind_scale;
  out[k++] = a.temperature_c === null || a.relative_humidity === null || a.wind_u === null || a.wind_v === null ? 1 : 0;
  out[k++] = a.cloud_fraction ?? 0;
  out[k++] = a.cloud_fraction === null ? 1 : 0;
  if (count === BASE_AUX_FEATURES) return;
  const known = isCooling(a.technology);
  for (const c of COOLINGS) out[k++] = a.technology === c ? 1 : 0;
  out[k++] = known ? 0 : 1;
}

function meanStd(xs: readonly number[], fallbackMean: number, fallbackStd: number): [number, number] {
  if (xs.length === 0) return [fallbackMean, fallbackStd];
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) * (b - m), 0) / xs.length;
  return [m, v > 1e-12 ? Math.sqrt(v) : fallbackStd];
}

/** Aux statistics over the training samples (missing values skipped). */
export function computeAuxStats(samples: readonly AuxInput[]): AuxStats {
  const nums = (f: (a: AuxInput) => number | null): number[] =>
    samples.map(f).filter((v): v is number => v !== null && Number.isFinite(v));
  const caps = nums((a) => a.capacity_mw);
  const [tm, ts] = meanStd(nums((a) => a.temperature_c), 10, 10);
  const [hm, hs] = meanStd(nums((a) => a.relative_humidity), 60, 20);
  const us = nums((a) => a.wind_u);
  const vs = nums((a) => a.wind_v);
  const all = [...us, ...vs];
  const rms = all.length > 0 ? Math.sqrt(all.reduce((a, b) => a + b * b, 0) / all.length) : 1;
  return {
    capacity_scale_mw: caps.length > 0 ? caps.reduce((a, b) => a + b, 0) / caps.length : 1000,
    temperature_mean: tm,
    temperature_std: ts,
    humidity_mean: hm,
    humidity_std: hs,
    wind_scale: rms > 1e-6 ? rms : 1,
    wind_u_mean: us.length > 0 ? us.reduce((a, b) => a + b, 0) / us.length : 0,
    wind_v_mean: vs.length > 0 ? vs.reduce((a, b) => a + b, 0) / vs.length : 0,
  };
}

/** The aux inputs of one patch from its plant, its weather row (or null) and its cloud fraction. */
export function toAuxInput(
  site: { fuel: Fuel; capacity_mw: number; technology?: string | null },
  weather: { temperature_c: number | null; relative_humidity: number | null; wind_u: number | null; wind_v: number | null } | null,
  cloudFraction: number | null,
): AuxInput {
  return {
    fuel: site.fuel,
    capacity_mw: site.capacity_mw,
    technology: site.technology ?? null,
    temperature_c: weather?.temperature_c ?? null,
    relative_humidity: weather?.relative_humidity ?? null,
    wind_u: weather?.wind_u ?? null,
    wind_v: weather?.wind_v ?? null,
    cloud_fraction: cloudFraction,
  };
}
