import { describe, expect, it } from 'vitest';
import { median, quantile } from '../src/statistics.js';

describe('quantile / median', () => {
  // numpy.quantile([7, 1, 3, 10, 4], q) (linear, type 7): 0.1 → 1.8, 0.25 → 3, 0.9 → 8.8
  it('interpolates between order statistics like numpy and R (type 7), whatever the input order', () => {
    const v = [7, 1, 3, 10, 4];
    expect(quantile(v, 0.1)).toBeCloseTo(1.8, 12);
    expect(quantile(v, 0.25)).toBe(3);
    expect(quantile(v, 0.9)).toBeCloseTo(8.8, 12);
    expect(quantile(v, 0)).toBe(1);
    expect(quantile(v, 1)).toBe(10);
    expect(v).toEqual([7, 1, 3, 10, 4]);
  });
  it('the median of an even count is the mean of the middle two; empty input gives the chosen value', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(median([])).toBeNaN();
    expect(median([], 0)).toBe(0);
  });
});
