/**
 * Draws a fleet needs beyond a uniform: the standard normal quantile (to draw log-normal and
 * split-normal values at stratified probabilities), stratified allocation of categories (a
 * 200-plant world gets its profile's fuel mix to within one plant, not to within a binomial
 * spread), and Beta draws for a date's cloud cover. Each takes the caller's seeded stream.
 */
import type { Rng } from './rng.js';

/**
 * Standard normal quantile Φ⁻¹(p) (Acklam's rational approximation, relative error < 1.2e-9);
 * a dependency for one function would weigh more than these lines.
 */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  const tail = (t: number) => (((((c[0]! * t + c[1]!) * t + c[2]!) * t + c[3]!) * t + c[4]!) * t + c[5]!) / ((((d[0]! * t + d[1]!) * t + d[2]!) * t + d[3]!) * t + 1);
  if (q < 0.02425) return tail(Math.sqrt(-2 * Math.log(q)));
  if (q > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - q)));
  const r = q - 0.5;
  const s = r * r;
  return ((((((a[0]! * s + a[1]!) * s + a[2]!) * s + a[3]!) * s + a[4]!) * s + a[5]!) * r) / (((((b[0]! * s + b[1]!) * s + b[2]!) * s + b[3]!) * s + b[4]!) * s + 1);
}

/**
 * `n` items in proportion to their weights, counts by largest remainder (ties to the earlier
 * item), in seeded random order.
 */
export function allocate<T>(rng: Rng, n: number, items: readonly (readonly [T, number])[]): T[] {
  const total = items.reduce((s, [, w]) => s + w, 0);
  const exact = items.map(([, w]) => (n * w) / total);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (const [, i] of byRemainder) {
    if (left <= 0) break;
    counts[i]!++;
    left--;
  }
  const out: T[] = [];
  items.forEach(([item], i) => {
    for (let k = 0; k < counts[i]!; k++) out.push(item);
  });
  return rng.shuffled(out);
}

/** `n` uniforms, one in each of the strata [k/n, (k+1)/n), in seeded random order. */
export function stratifiedUniforms(rng: Rng, n: number): number[] {
  const u = Array.from({ length: n }, (_, k) => (k + rng.next()) / n);
  return rng.shuffled(u);
}

/**
 * A Beta(a, b) draw for a, b ≤ 1 (Jöhnk's algorithm): U-shaped for small a + b, as the
 * cloud cover of single scenes is (mostly clear or mostly overcast).
 */
export function betaSmall(rng: Rng, a: number, b: number): number {
  for (let tries = 0; tries < 1000; tries++) {
    const x = Math.pow(rng.next(), 1 / a);
    const y = Math.pow(rng.next(), 1 / b);
    if (x + y <= 1 && x + y > 0) return x / (x + y);
  }
  return a / (a + b);
}
