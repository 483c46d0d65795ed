import { describe, expect, it } from 'vitest';
import { aggregateSite } from '../../src/postprocess/aggregateSite.js';
import { makePredictionRecord } from '../../src/postprocess/prediction.js';
import { timeAveragedMean } from '../../src/postprocess/timeAveragedMean.js';

describe('timeAveragedMean', () => {
  it('weights overpasses by clear share, hand-computed, with the model-error sd', () => {
    // weights 1, 0.5 → a = 2/3, 1/3; mean = 2/3·0 + 1/3·900 = 300
    const r = timeAveragedMean([{ value: 0, sd: 10, weight: 1 }, { value: 900, sd: 90, weight: 0.5 }], { uncertainty: 'independent' })!;
    expect(r.mean).toBeCloseTo(300, 12);
    expect(r.sd).toBeCloseTo(Math.sqrt((4 / 9) * 100 + (1 / 9) * 8100), 12);
  });
  it('with scaled, is never below the standard error of the observed scatter', () => {
    const obs = [{ value: 0, sd: 10, weight: 1 }, { value: 900, sd: 90, weight: 0.5 }];
    const r = timeAveragedMean(obs)!;
    // reliability-weighted variance: Σa(x-m)² / (1 - Σa²) = (2/3·300² + 1/3·600²)/(1 - 5/9) = 405000; × Σa² = 5/9
    expect(r.sd).toBeCloseTo(Math.sqrt(405000 * (5 / 9)), 9);
    const one = timeAveragedMean([{ value: 5, sd: 2, weight: 0.3 }])!;
    expect([one.mean, one.sd]).toEqual([5, 2]);
    expect(timeAveragedMean([{ value: 5, sd: 2, weight: 0 }])).toBeNull();
  });
  it('lets aggregateSite average an on/off window instead of collapsing to the "off" overpass', () => {
    const site = { site_id: 'p', lon: 0, lat: 0, name: null, fuel: 'coal', capacity_mw: 1000 , technology: null };
    const rec = (dt: string, gen: number, sd: number) =>
      makePredictionRecord(
        { scene_id: dt, site_id: 'p', datetime: dt, valid_fraction: 1, cloud_fraction: 0, fingerprint: 'f' },
        { p_on: gen > 0 ? 1 : 0, generation_mw: gen, generation_mw_sd: sd, co2_t_per_h: gen, co2_t_per_h_sd: sd },
        { id: 'm', backend: 'cpu' },
      );
    const obs = [rec('2024-05-02T10:00:00Z', 800, 120), rec('2024-05-07T10:00:00Z', 2, 5), rec('2024-05-12T10:00:00Z', 820, 120)];
    const w = { start: Date.UTC(2024, 4, 1), end: Date.UTC(2024, 4, 31) };
    const ivw = aggregateSite(site, w, '30d', obs, 'm', { combine: 'ivw' });
    const mean = aggregateSite(site, w, '30d', obs, 'm', { combine: 'mean' });
    const random = aggregateSite(site, w, '30d', obs, 'm', { combine: 'random' });
    // The default is the clear-fraction-weighted time average.
    expect(aggregateSite(site, w, '30d', obs, 'm')).toEqual(mean);
    expect(ivw.generation_mw!).toBeLessThan(10);
    // Random effects sees the scatter and no longer collapses to the "off" overpass.
    expect(random.generation_mw!).toBeGreaterThan(400);
    expect(mean.generation_mw!).toBeCloseTo(1622 / 3, 9);
    expect(mean.energy_mwh!).toBeCloseTo((1622 / 3) * 720, 6);
  });
});
