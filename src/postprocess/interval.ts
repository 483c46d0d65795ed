/**
 * Gaussian 90% intervals. The model's regression heads predict a mean and a standard
 * deviation per patch (heteroscedastic Gaussian), so the central 90% interval is
 * mean ± z₀.₉₅·sd with z₀.₉₅ = 1.645. Generation and CO₂ cannot be negative, so their
 * lower bound is clipped at 0 (`clipAtZero`), which makes the interval conservative there.
 */

/** The standard normal 95th percentile: a two-sided 90% interval is mean ± Z90·sd. */
export const Z90 = 1.6448536269514722;

export interface Interval {
  p05: number;
  p95: number;
}

/**
 * The 5th and 95th percentiles of N(mean, sd²).
 * @param mean the estimate (e.g. MW)
 * @param sd its standard deviation, same unit, ≥ 0
 * @param options.clipAtZero clip both bounds at 0 for quantities that cannot be negative (default true)
 * @returns the interval, or null when mean or sd is missing
 * @example gaussianInterval(100, 10) // { p05: 83.55…, p95: 116.44… }
 */
export function gaussianInterval(
  mean: number | null,
  sd: number | null,
  options: { clipAtZero?: boolean } = {},
): Interval | null {
  if (mean === null || sd === null || !Number.isFinite(mean) || !Number.isFinite(sd)) return null;
  const clip = options.clipAtZero ?? true;
  let p05 = mean - Z90 * sd;
  let p95 = mean + Z90 * sd;
  if (clip) {
    p05 = Math.max(0, p05);
    p95 = Math.max(0, p95);
  }
  return { p05, p95 };
}
