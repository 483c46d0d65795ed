/**
 * Order statistics shared by the synthetic world's statistics and scores, the capacity-aware
 * baseline and the controls: one definition, so a median means the same number everywhere.
 */

/**
 * The q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics (type 7, the
 * default of R and numpy); `empty` for no values.
 */
export function quantile(values: readonly number[], q: number, empty = Number.NaN): number {
  if (values.length === 0) return empty;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const a = s[lo] ?? Number.NaN;
  const b = s[Math.ceil(pos)] ?? a;
  return a + (b - a) * (pos - lo);
}

/** The median (the mean of the middle two for an even count); `empty` for no values. */
export function median(values: readonly number[], empty = Number.NaN): number {
  return quantile(values, 0.5, empty);
}
