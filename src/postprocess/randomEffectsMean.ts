/**
 * Random-effects inverse-variance mean (DerSimonian & Laird, Controlled Clinical Trials 7,
 * 1986): inverse-variance weighting for estimates whose true values differ.
 *
 * A plant's output is not one constant over a 30-day window: it ramps and switches off, so
 * each overpass estimates a different true value. Fixed-effect weights 1/v_i then let a
 * confident "off" patch (≈ 0 MW ± a little) dominate the window. Here each estimate's
 * variance is its own v_i plus the between-observation variance τ², estimated by the
 * method of moments from the scatter the v_i do not explain:
 *
 *   w_i = 1/v_i,  Q = Σ w_i (x_i − x̄_w)²,  C = Σ w_i − Σ w_i² / Σ w_i,
 *   τ² = max(0, (Q − (n − 1)) / C),
 *   mean = Σ x_i / (v_i + τ²) / Σ 1 / (v_i + τ²),   sd = √(1 / Σ 1 / (v_i + τ²)).
 *
 * When the estimates agree within their errors, τ² = 0 and this is the plain
 * inverse-variance mean; when the plant's output varies much more than the model's
 * errors, the weights approach equal and the mean approaches the time average, with the
 * standard error of a mean of n samples. Cloudy patches keep less weight either way.
 */
import type { Estimate } from './inverseVarianceMean.js';

export interface RandomEffectsEstimate {
  mean: number;
  /** sd of the mean, √(1/Σ w*_i). */
  sd: number;
  n: number;
  /** Between-observation variance τ² (unit²); 0 when the estimates agree within their errors. */
  tau2: number;
}

/**
 * @param estimates per-observation values and variances (Infinity or NaN variances are skipped)
 * @param options.minVariance floor for variances (default 1e-12)
 * @returns the combined mean and its sd, or null when no estimate has a finite variance
 * @example randomEffectsMean([{ value: 0, variance: 1 }, { value: 1000, variance: 100 }]) // mean ≈ 498, τ² ≈ 4.99e5
 */
export function randomEffectsMean(
  estimates: readonly Estimate[],
  options: { minVariance?: number } = {},
): RandomEffectsEstimate | null {
  const floor = options.minVariance ?? 1e-12;
  const used = estimates.filter((e) => Number.isFinite(e.value) && e.variance < Infinity && !Number.isNaN(e.variance));
  const n = used.length;
  if (n === 0) return null;
  const v = used.map((e) => Math.max(floor, e.variance));
  let sumW = 0;
  let sumW2 = 0;
  let sumWX = 0;
  for (let i = 0; i < n; i++) {
    const w = 1 / v[i]!;
    sumW += w;
    sumW2 += w * w;
    sumWX += w * used[i]!.value;
  }
  const fixedMean = sumWX / sumW;
  let q = 0;
  for (let i = 0; i < n; i++) q += (used[i]!.value - fixedMean) ** 2 / v[i]!;
  const c = sumW - sumW2 / sumW;
  const tau2 = n > 1 && c > 0 ? Math.max(0, (q - (n - 1)) / c) : 0;
  let sumWs = 0;
  let sumWsX = 0;
  for (let i = 0; i < n; i++) {
    const w = 1 / (v[i]! + tau2);
    sumWs += w;
    sumWsX += w * used[i]!.value;
  }
  return { mean: sumWsX / sumWs, sd: Math.sqrt(1 / sumWs), n, tau2 };
}
