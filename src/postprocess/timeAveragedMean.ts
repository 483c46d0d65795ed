/**
 * The time average of per-overpass estimates, for a quantity that changes within the window.
 *
 * Inverse-variance weighting assumes every observation measures the same constant value.
 * A plant's output is not constant over 30 days: it ramps and switches off, and a model's
 * sd usually shrinks with the estimate (an "off" patch gets ~0 MW ± a little). Weighting by
 * 1/sd² then pulls the window towards its low observations. The time average instead gives
 * each overpass the weight of its clear share w_i = (1 − cloud_fraction_i), as a sample of
 * the window; its sd combines the model's errors, √(Σ a_i² sd_i²) with a_i = w_i / Σw, and
 * (with `scaled`) is never below the observed scatter's standard error √(s² / n_eff),
 * n_eff = 1 / Σ a_i², which also covers the days between overpasses.
 */

export interface Observation {
  value: number;
  /** The model's sd for this observation (unit of value). */
  sd: number;
  /** Weight of the observation as a sample of the window (clear fraction), > 0. */
  weight: number;
}

/**
 * @returns mean and sd, or null without observations of positive weight
 * @example timeAveragedMean([{ value: 0, sd: 1, weight: 1 }, { value: 1000, sd: 100, weight: 1 }]) // mean 500
 */
export function timeAveragedMean(
  observations: readonly Observation[],
  options: { uncertainty?: 'scaled' | 'independent' } = {},
): { mean: number; sd: number; n: number } | null {
  const used = observations.filter((o) => o.weight > 0 && Number.isFinite(o.value) && Number.isFinite(o.sd));
  if (used.length === 0) return null;
  const sumW = used.reduce((a, o) => a + o.weight, 0);
  let mean = 0;
  let modelVar = 0;
  let sumA2 = 0;
  for (const o of used) {
    const a = o.weight / sumW;
    mean += a * o.value;
    modelVar += a * a * o.sd * o.sd;
    sumA2 += a * a;
  }
  let variance = modelVar;
  if ((options.uncertainty ?? 'scaled') === 'scaled' && used.length > 1) {
    // Weighted sample variance (reliability weights, unbiased) and the mean's standard error.
    let ss = 0;
    for (const o of used) ss += (o.weight / sumW) * (o.value - mean) ** 2;
    const s2 = ss / (1 - sumA2);
    variance = Math.max(modelVar, s2 * sumA2);
  }
  return { mean, sd: Math.sqrt(variance), n: used.length };
}
