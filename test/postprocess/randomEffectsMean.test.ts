import { describe, expect, it } from 'vitest';
import { inverseVarianceMean } from '../../src/postprocess/inverseVarianceMean.js';
import { randomEffectsMean } from '../../src/postprocess/randomEffectsMean.js';

describe('randomEffectsMean (DerSimonian–Laird)', () => {
  it('equals the fixed-effect inverse-variance mean when estimates agree within their errors', () => {
    const est = [
      { value: 100, variance: 25 },
      { value: 104, variance: 16 },
      { value: 98, variance: 36 },
    ];
    const re = randomEffectsMean(est)!;
    const fe = inverseVarianceMean(est)!;
    expect(re.tau2).toBe(0);
    expect(re.mean).toBeCloseTo(fe.mean, 12);
    expect(re.sd).toBeCloseTo(fe.sd, 12);
  });

  it('matches a hand computation when the estimates scatter beyond their errors', () => {
    // x = 0 (v 1), 1000 (v 100). Fixed-effect: w = 1, 0.01; x̄ = 10/1.01 = 9.90099;
    // Q = 1·9.90099² + 0.01·990.099² = 98.03 + 9802.96 = 9900.99; C = 1.01 − 1.0001/1.01 = 0.019802;
    // τ² = (9900.99 − 1) / 0.019802 = 499 950.0 (to 0.1); w* = 1/(1+τ²), 1/(100+τ²).
    const re = randomEffectsMean([
      { value: 0, variance: 1 },
      { value: 1000, variance: 100 },
    ])!;
    const q = 1 * (10 / 1.01) ** 2 + 0.01 * (1000 - 10 / 1.01) ** 2;
    const c = 1.01 - (1 + 0.0001) / 1.01;
    const tau2 = (q - 1) / c;
    expect(re.tau2).toBeCloseTo(tau2, 6);
    expect(tau2).toBeCloseTo(499950, -1);
    const w1 = 1 / (1 + tau2);
    const w2 = 1 / (100 + tau2);
    expect(re.mean).toBeCloseTo((1000 * w2) / (w1 + w2), 9);
    expect(re.sd).toBeCloseTo(Math.sqrt(1 / (w1 + w2)), 9);
    // The confident "off" observation no longer takes the window: the mean is near the time average.
    expect(re.mean).toBeGreaterThan(490);
    expect(inverseVarianceMean([{ value: 0, variance: 1 }, { value: 1000, variance: 100 }])!.mean).toBeLessThan(10);
  });

  it('keeps less weight on noisier (cloudier) observations when τ² is small against them', () => {
    const re = randomEffectsMean([
      { value: 500, variance: 100 },
      { value: 520, variance: 100 },
      { value: 900, variance: 1e6 },
    ])!;
    expect(re.mean).toBeLessThan(530);
  });

  it('handles one estimate, skips unusable ones and returns null without any', () => {
    expect(randomEffectsMean([{ value: 7, variance: 4 }])).toEqual({ mean: 7, sd: 2, n: 1, tau2: 0 });
    expect(randomEffectsMean([{ value: 7, variance: 4 }, { value: Number.NaN, variance: 1 }, { value: 3, variance: Infinity }])!.n).toBe(1);
    expect(randomEffectsMean([])).toBeNull();
  });
});
