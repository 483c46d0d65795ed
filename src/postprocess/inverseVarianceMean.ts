/**
 * Inverse-variance weighted mean: the minimum-variance unbiased combination of independent
 * estimates x_i of one quantity with variances v_i,
 *
 *   mean = Σ (x_i / v_i) / Σ (1 / v_i),   var(mean) = 1 / Σ (1 / v_i).
 *
 * Used to combine a plant's per-patch generation and CO₂ estimates within a time window.
 * The sd it returns treats patch errors as independent; errors shared by all patches of a
 * plant (a biased model) do not shrink with more observations, so read it as a lower bound.
 */

export interface Estimate {
  value: number;
  /** Variance (unit²); Infinity contributes nothing, 0 is floored by `minVariance`. */
  variance: number;
}

export interface CombinedEstimate {
  mean: number;
  /** sd of the weighted mean, √(1/Σw). */
  sd: number;
  /** Number of estimates with finite variance that entered the mean. */
  n: number;
  /**
   * Birge ratio √(χ²/(n−1)), χ² = Σ w_i (x_i − mean)²: about 1 when the estimates scatter as
   * their variances say, larger when they scatter more (null for n = 1).
   */
  birgeRatio: number | null;
}

/**
 * @param estimates per-observation values and variances
 * @param options.minVariance floor for variances, so a zero-sd estimate cannot take all the weight (default 1e-12)
 * @returns the combined mean and its sd, or null when no estimate has a finite variance
 * @example inverseVarianceMean([{ value: 10, variance: 1 }, { value: 20, variance: 4 }]) // mean 12, sd √0.8
 */
export function inverseVarianceMean(
  estimates: readonly Estimate[],
  options: { minVariance?: number } = {},
): CombinedEstimate | null {
  const floor = options.minVariance ?? 1e-12;
  let sumW = 0;
  let sumWX = 0;
  let n = 0;
  for (const e of estimates) {
    if (!Number.isFinite(e.value) || !(e.variance < Infinity) || Number.isNaN(e.variance)) continue;
    const w = 1 / Math.max(floor, e.variance);
    sumW += w;
    sumWX += w * e.value;
    n++;
  }
  if (n === 0) return null;
  const mean = sumWX / sumW;
  let chi2 = 0;
  for (const e of estimates) {
    if (!Number.isFinite(e.value) || !(e.variance < Infinity) || Number.isNaN(e.variance)) continue;
    chi2 += ((e.value - mean) * (e.value - mean)) / Math.max(floor, e.variance);
  }
  return { mean, sd: Math.sqrt(1 / sumW), n, birgeRatio: n > 1 ? Math.sqrt(chi2 / (n - 1)) : null };
}
