/**
 * How a cloudy patch is down-weighted: its variance is inflated by 1 / (1 − cloud_fraction).
 *
 * A patch whose valid pixels are a fraction c cloud or shadow shows the plant's plume
 * through only (1 − c) of its area, and clouds look like plumes, so we treat it as carrying
 * (1 − c) of a clear patch's information: variance sd² / (1 − c), weight (1 − c) / sd².
 * A clear patch (c = 0) keeps its variance, a fully cloudy one (c = 1) gets Infinity and is
 * left out. A scene without a cloud mask (c = null) is taken at face value.
 */

/**
 * @param sd the model's standard deviation for the patch (unit of the estimate)
 * @param cloudFraction fraction of valid pixels flagged cloud or shadow, or null without a mask
 * @returns the variance to use in the inverse-variance mean (unit²), Infinity to exclude
 * @example cloudInflatedVariance(10, 0.5) // 200
 */
export function cloudInflatedVariance(sd: number, cloudFraction: number | null): number {
  const c = cloudFraction ?? 0;
  if (c >= 1) return Infinity;
  return (sd * sd) / (1 - Math.max(0, c));
}
