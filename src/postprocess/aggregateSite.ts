/**
 * One site in one time window: the per-patch predictions combined into the record that
 * becomes a GeoJSON feature.
 *
 * Rules (also in the README):
 * - n_obs counts the site's patches in the window; n_cloudy those with cloud_fraction ≥
 *   `cloudyFraction` (default 0.5); n_valid those used in the estimates: valid_fraction ≥
 *   `minValidFraction` (default 0.5), cloud_fraction < 1 and a model estimate present.
 * - generation and CO₂, by default (`combine: 'mean'`): inverse-variance weighting in which a
 *   patch's variance is the model error, taken as common to all overpasses, inflated by
 *   1 / (1 − cloud_fraction) (cloudInflatedVariance.ts): w_i ∝ (1 − c_i), i.e. the time
 *   average of the window's overpasses with cloudy ones down-weighted (timeAveragedMean.ts),
 *   its sd combining the model's sds and the observed scatter. The model's own per-patch sd
 *   is not used in the weights because it shrinks with the estimate (an "off" patch is
 *   ≈ 0 MW ± a little): weighting by it biases every window towards its low overpasses.
 *   Measured on a 40-plant synthetic world (RESULTS.md), held-out 30-day generation MAE:
 *   per patch 198 MW, 'mean' 144, 'random' 165; the others never beat 'mean'.
 * - `combine: 'random'`: inverse-variance weights from the model's sds plus the
 *   between-overpass variance τ² (DerSimonian–Laird, randomEffectsMean.ts); sd √(1/Σw*).
 * - `combine: 'ivw'`: fixed-effect inverse-variance weights from the model's sds (τ² = 0);
 *   the sd is √(1/Σw), multiplied by the Birge ratio √(χ²/(n−1)) when that exceeds 1
 *   (`uncertainty: 'scaled'`, the default; the Particle Data Group's scale factor), or kept
 *   as √(1/Σw) with `independent`.
 * - The 90% interval is mean ± 1.645 sd clipped at 0.
 * - p_on: mean of the valid patches' P(on), weighted by (1 − cloud_fraction), the same
 *   information share as above.
 * - energy_mwh and co2_t: the window's mean power (emission rate) × the window's length in
 *   hours, i.e. assuming the observed mean holds for the whole window, with intervals
 *   scaled the same way.
 */
import { capacityFactor } from '../model/physics.js';
import { cloudInflatedVariance } from './cloudInflatedVariance.js';
import { gaussianInterval } from './interval.js';
import { inverseVarianceMean, type Estimate } from './inverseVarianceMean.js';
import { randomEffectsMean } from './randomEffectsMean.js';
import { comparePredictions, type PredictionRecord } from '../records/predictions.js';
import { timeAveragedMean, type Observation } from './timeAveragedMean.js';
import type { Site } from '../records/sites.js';
import { isoUtc, windowHours, type TimeWindow } from './timeWindowOf.js';

export interface AggregateOptions {
  /** Patches with less data than this are not used (default 0.5). */
  minValidFraction?: number;
  /** Patches with at least this cloud fraction count as cloudy in n_cloudy (default 0.5). */
  cloudyFraction?: number;
  /** How the window sd is computed (default 'scaled', see above). */
  uncertainty?: 'scaled' | 'independent';
  /**
   * How observations are combined (default 'mean': the time average weighted by clear
   * fraction, timeAveragedMean.ts), 'random' (inverse-variance with τ², randomEffectsMean.ts)
   * or 'ivw' (fixed-effect inverse-variance); see the rules above for why 'mean' is the default.
   */
  combine?: CombineRule;
}

export type CombineRule = 'ivw' | 'random' | 'mean';
export const COMBINE_RULES: readonly CombineRule[] = ['ivw', 'random', 'mean'];

/** One site and window, with the flat, unit-named fields written as GeoJSON properties. */
export interface SiteWindowAggregate {
  site_id: string;
  name: string | null;
  fuel: string | null;
  capacity_mw: number | null;
  /** The window rule (`30d`, `month`, `year`, `all`). */
  window: string;
  window_start: string;
  window_end: string;
  window_hours: number;
  p_on: number | null;
  generation_mw: number | null;
  generation_mw_sd: number | null;
  generation_mw_p05: number | null;
  generation_mw_p95: number | null;
  /** generation_mw / capacity_mw: the share of capacity used over the window (physics: CF ∈ [0, 1]). */
  capacity_factor: number | null;
  co2_t_per_h: number | null;
  co2_t_per_h_sd: number | null;
  co2_t_per_h_p05: number | null;
  co2_t_per_h_p95: number | null;
  energy_mwh: number | null;
  energy_mwh_p05: number | null;
  energy_mwh_p95: number | null;
  co2_t: number | null;
  co2_t_p05: number | null;
  co2_t_p95: number | null;
  n_obs: number;
  n_valid: number;
  n_cloudy: number;
  model_id: string | null;
  /** Why the estimates are null (no observations, all cloudy…); null when there are estimates. */
  reason: string | null;
}

function combine(
  records: readonly PredictionRecord[],
  mean: 'generation_mw' | 'co2_t_per_h',
  sd: 'generation_mw_sd' | 'co2_t_per_h_sd',
  rule: 'scaled' | 'independent',
  how: CombineRule,
): { mean: number; sd: number } | null {
  if (how === 'mean') {
    const obs: Observation[] = [];
    for (const r of records) {
      const m = r[mean];
      const s = r[sd];
      if (m !== null && s !== null) obs.push({ value: m, sd: s, weight: 1 - (r.cloud_fraction ?? 0) });
    }
    return timeAveragedMean(obs, { uncertainty: rule });
  }
  const estimates: Estimate[] = [];
  for (const r of records) {
    const m = r[mean];
    const s = r[sd];
    if (m === null || s === null) continue;
    estimates.push({ value: m, variance: cloudInflatedVariance(s, r.cloud_fraction) });
  }
  if (how === 'random') {
    // τ² already carries the scatter the model's sds do not explain: no Birge scaling.
    const re = randomEffectsMean(estimates);
    return re === null ? null : { mean: re.mean, sd: re.sd };
  }
  const c = inverseVarianceMean(estimates);
  if (c === null) return null;
  const scale = rule === 'scaled' && c.birgeRatio !== null ? Math.max(1, c.birgeRatio) : 1;
  return { mean: c.mean, sd: c.sd * scale };
}

/**
 * @param site the plant
 * @param window the time window
 * @param windowLabel the rule's text, written as `window`
 * @param predictions the site's predictions in this window (in no particular order; not mutated)
 * @param modelId written when there are no predictions to take it from
 */
export function aggregateSite(
  site: Site,
  window: TimeWindow,
  windowLabel: string,
  predictions: readonly PredictionRecord[],
  modelId: string | null,
  options: AggregateOptions = {},
): SiteWindowAggregate {
  const minValid = options.minValidFraction ?? 0.5;
  const cloudy = options.cloudyFraction ?? 0.5;
  // A fixed order makes floating-point sums, hence outputs, independent of input order.
  const obs = [...predictions].sort(comparePredictions);
  const usable = obs.filter((r) => r.valid_fraction >= minValid && (r.cloud_fraction ?? 0) < 1);
  const withEstimate = usable.filter((r) => r.p_on !== null || r.generation_mw !== null || r.co2_t_per_h !== null);
  const nCloudy = obs.filter((r) => (r.cloud_fraction ?? 0) >= cloudy).length;

  let pOnW = 0;
  let pOnSum = 0;
  for (const r of withEstimate) {
    if (r.p_on === null) continue;
    const w = 1 - (r.cloud_fraction ?? 0);
    pOnW += w;
    pOnSum += w * r.p_on;
  }
  const rule = options.uncertainty ?? 'scaled';
  const how = options.combine ?? 'mean';
  const gen = combine(withEstimate, 'generation_mw', 'generation_mw_sd', rule, how);
  const co2 = combine(withEstimate, 'co2_t_per_h', 'co2_t_per_h_sd', rule, how);
  const genI = gaussianInterval(gen?.mean ?? null, gen?.sd ?? null);
  const co2I = gaussianInterval(co2?.mean ?? null, co2?.sd ?? null);
  const hours = windowHours(window);
  const times = (v: number | null | undefined) => (v === null || v === undefined ? null : v * hours);

  let reason: string | null = null;
  if (obs.length === 0) reason = 'no observations in window';
  else if (withEstimate.length === 0) {
    const nodata = obs.filter((r) => r.valid_fraction < minValid).length;
    const overcast = obs.filter((r) => r.valid_fraction >= minValid && (r.cloud_fraction ?? 0) >= 1).length;
    reason = `no valid observations (${nodata} mostly nodata, ${overcast} fully cloudy, ${obs.length - nodata - overcast} without estimates)`;
  }

  return {
    site_id: site.site_id,
    name: site.name,
    fuel: site.fuel,
    capacity_mw: site.capacity_mw,
    window: windowLabel,
    window_start: isoUtc(window.start),
    window_end: isoUtc(window.end),
    window_hours: hours,
    p_on: pOnW > 0 ? pOnSum / pOnW : null,
    generation_mw: gen?.mean ?? null,
    generation_mw_sd: gen?.sd ?? null,
    generation_mw_p05: genI?.p05 ?? null,
    generation_mw_p95: genI?.p95 ?? null,
    capacity_factor: gen && site.capacity_mw !== null && site.capacity_mw > 0 ? capacityFactor(gen.mean, site.capacity_mw) : null,
    co2_t_per_h: co2?.mean ?? null,
    co2_t_per_h_sd: co2?.sd ?? null,
    co2_t_per_h_p05: co2I?.p05 ?? null,
    co2_t_per_h_p95: co2I?.p95 ?? null,
    energy_mwh: times(gen?.mean),
    energy_mwh_p05: times(genI?.p05),
    energy_mwh_p95: times(genI?.p95),
    co2_t: times(co2?.mean),
    co2_t_p05: times(co2I?.p05),
    co2_t_p95: times(co2I?.p95),
    n_obs: obs.length,
    n_valid: withEstimate.length,
    n_cloudy: nCloudy,
    model_id: obs[0]?.model_id ?? modelId,
    reason,
  };
}
