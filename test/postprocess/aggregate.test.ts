import { describe, expect, it } from 'vitest';
import { aggregateSite } from '../../src/postprocess/aggregateSite.js';
import { aggregatePredictions } from '../../src/postprocess/aggregatePredictions.js';
import { inverseVarianceMean } from '../../src/postprocess/inverseVarianceMean.js';
import { cloudInflatedVariance } from '../../src/postprocess/cloudInflatedVariance.js';
import { gaussianInterval, Z90 } from '../../src/postprocess/interval.js';
import { makePredictionRecord } from '../../src/postprocess/prediction.js';
import { type PredictionRecord } from '../../src/records/predictions.js';
import { parseWindowSpec } from '../../src/postprocess/windowSpec.js';
import type { Site } from '../../src/records/sites.js';

const SITE: Site = { site_id: 'plant-a', lon: 8.5, lat: 47.4, name: 'Plant A', fuel: 'coal', capacity_mw: 1000 , technology: null };

function pred(
  scene: string,
  datetime: string,
  gen: [number, number] | null,
  cloud: number | null,
  extra: { p_on?: number; valid?: number; site?: string; co2?: [number, number] } = {},
): PredictionRecord {
  return makePredictionRecord(
    { scene_id: scene, site_id: extra.site ?? SITE.site_id, datetime, valid_fraction: extra.valid ?? 1, cloud_fraction: cloud, fingerprint: `fp-${scene}` },
    {
      p_on: extra.p_on ?? 0.9,
      generation_mw: gen?.[0] ?? null,
      generation_mw_sd: gen?.[1] ?? null,
      co2_t_per_h: extra.co2?.[0] ?? (gen ? gen[0] * 1.0 : null),
      co2_t_per_h_sd: extra.co2?.[1] ?? (gen ? gen[1] * 1.0 : null),
    },
    { id: 'model-x', backend: 'wasm' },
  );
}

describe('inverseVarianceMean', () => {
  it('matches the hand-computed weighted mean and its sd', () => {
    // weights 1, 1/4 → mean (10 + 20/4)/(1.25) = 12, var 1/1.25 = 0.8
    const r = inverseVarianceMean([{ value: 10, variance: 1 }, { value: 20, variance: 4 }])!;
    expect(r.mean).toBeCloseTo(12, 12);
    expect(r.sd).toBeCloseTo(Math.sqrt(0.8), 12);
    expect(r.n).toBe(2);
    // χ² = (10-12)²/1 + (20-12)²/4 = 20 with 1 degree of freedom
    expect(r.birgeRatio).toBeCloseTo(Math.sqrt(20), 12);
    expect(inverseVarianceMean([{ value: 10, variance: 1 }])!.birgeRatio).toBeNull();
  });
  it('ignores infinite variances and returns null with nothing usable', () => {
    expect(inverseVarianceMean([{ value: 5, variance: Infinity }])).toBeNull();
    expect(inverseVarianceMean([{ value: 5, variance: Infinity }, { value: 7, variance: 2 }])!.mean).toBe(7);
  });
  it('floors a zero variance instead of dividing by zero', () => {
    const r = inverseVarianceMean([{ value: 3, variance: 0 }, { value: 100, variance: 1 }])!;
    expect(r.mean).toBeCloseTo(3, 6);
    expect(Number.isFinite(r.sd)).toBe(true);
  });
});

describe('cloudInflatedVariance and intervals', () => {
  it('inflates variance by 1/(1 - cloud fraction)', () => {
    expect(cloudInflatedVariance(10, 0)).toBe(100);
    expect(cloudInflatedVariance(10, 0.5)).toBe(200);
    expect(cloudInflatedVariance(10, null)).toBe(100);
    expect(cloudInflatedVariance(10, 1)).toBe(Infinity);
  });
  it('gives mean ± 1.645 sd clipped at zero', () => {
    expect(gaussianInterval(100, 10)).toEqual({ p05: 100 - Z90 * 10, p95: 100 + Z90 * 10 });
    expect(gaussianInterval(5, 10)!.p05).toBe(0);
    expect(gaussianInterval(null, 1)).toBeNull();
    expect(Z90).toBeCloseTo(1.645, 3);
  });
});

describe('aggregateSite', () => {
  const window = { start: Date.UTC(2024, 4, 1), end: Date.UTC(2024, 4, 31) }; // 30 days
  it('combines generation by cloud-weighted inverse variance, hand-computed', () => {
    const obs = [
      pred('s1', '2024-05-02T10:00:00Z', [600, 50], 0, { p_on: 1 }),
      pred('s2', '2024-05-07T10:00:00Z', [400, 100], 0.5, { p_on: 0.5 }),
      pred('s3', '2024-05-12T10:00:00Z', [500, 40], 0.2, { p_on: 0.8, co2: [520, 60] }),
    ];
    const a = aggregateSite(SITE, window, '30d', obs, 'model-x', { combine: 'ivw', uncertainty: 'independent' });
    // weights (1-c)/sd²: 1/2500, 0.5/10000, 0.8/1600
    const w = [1 / 2500, 0.5 / 10000, 0.8 / 1600];
    const x = [600, 400, 500];
    const sw = w[0]! + w[1]! + w[2]!;
    const mean = (w[0]! * x[0]! + w[1]! * x[1]! + w[2]! * x[2]!) / sw;
    expect(a.generation_mw).toBeCloseTo(mean, 9);
    expect(a.generation_mw_sd).toBeCloseTo(Math.sqrt(1 / sw), 9);
    expect(a.generation_mw_p05).toBeCloseTo(mean - 1.6448536 * Math.sqrt(1 / sw), 5);
    expect(a.generation_mw_p95).toBeCloseTo(mean + 1.6448536 * Math.sqrt(1 / sw), 5);
    // Default 'scaled': the same mean, sd × Birge ratio when the scatter exceeds the sds.
    const chi2 = w.reduce((acc, wi, i) => acc + wi * (x[i]! - mean) ** 2, 0);
    const scaled = aggregateSite(SITE, window, '30d', obs, 'model-x', { combine: 'ivw' });
    expect(Math.sqrt(chi2 / 2)).toBeGreaterThan(1);
    expect(scaled.generation_mw).toBe(a.generation_mw);
    expect(scaled.generation_mw_sd).toBeCloseTo(Math.sqrt(1 / sw) * Math.sqrt(chi2 / 2), 9);
    // CO2 with its own sds: 600±50, 400±100 (c .5), 520±60 (c .2)
    const wc = [1 / 2500, 0.5 / 10000, 0.8 / 3600];
    const co2 = (wc[0]! * 600 + wc[1]! * 400 + wc[2]! * 520) / (wc[0]! + wc[1]! + wc[2]!);
    expect(a.co2_t_per_h).toBeCloseTo(co2, 9);
    // P(on) weighted by (1 - c): (1·1 + .5·.5 + .8·.8)/(2.3)
    expect(a.p_on).toBeCloseTo((1 + 0.25 + 0.64) / 2.3, 12);
    expect(a.window_hours).toBe(720);
    expect(a.energy_mwh).toBeCloseTo(mean * 720, 6);
    expect(a.co2_t).toBeCloseTo(co2 * 720, 6);
    // Random effects: the same cloud-inflated variances plus τ² from the scatter.
    const q = chi2;
    const c = sw - w.reduce((acc, wi) => acc + wi * wi, 0) / sw;
    const tau2 = Math.max(0, (q - 2) / c);
    const ws = w.map((wi) => 1 / (1 / wi + tau2));
    const re = aggregateSite(SITE, window, '30d', obs, 'model-x', { combine: 'random' });
    expect(tau2).toBeGreaterThan(0);
    expect(re.generation_mw).toBeCloseTo(ws.reduce((acc, wi, i) => acc + wi * x[i]!, 0) / ws.reduce((acc, wi) => acc + wi, 0), 9);
    expect(re.generation_mw_sd).toBeCloseTo(Math.sqrt(1 / ws.reduce((acc, wi) => acc + wi, 0)), 9);
    expect(a.capacity_factor).toBeCloseTo(mean / 1000, 12);
    expect(a.energy_mwh_p95).toBeCloseTo(a.generation_mw_p95! * 720, 6);
    expect([a.n_obs, a.n_valid, a.n_cloudy]).toEqual([3, 3, 1]);
    expect(a.reason).toBeNull();
    expect(a.window_start).toBe('2024-05-01T00:00:00Z');
    expect(a.window_end).toBe('2024-05-31T00:00:00Z');
  });
  it('never shrinks the sd below √(1/Σw) when observations agree better than their sds', () => {
    // The rule belongs to inverse-variance weighting with the Birge-ratio scaling ('ivw',
    // 'scaled'): the scatter may widen the interval, never narrow it below the model's sds.
    const agree = [pred('s1', '2024-05-02T10:00:00Z', [500, 50], 0), pred('s2', '2024-05-03T10:00:00Z', [501, 50], 0)];
    const a = aggregateSite(SITE, window, '30d', agree, 'm', { combine: 'ivw', uncertainty: 'scaled' });
    expect(a.generation_mw).toBeCloseTo(500.5, 12);
    expect(a.generation_mw_sd).toBeCloseTo(50 / Math.SQRT2, 12);
    // Disagreeing observations (Birge ratio 4) widen it by that ratio.
    const disagree = [pred('s1', '2024-05-02T10:00:00Z', [300, 50], 0), pred('s2', '2024-05-03T10:00:00Z', [700, 50], 0)];
    const d = aggregateSite(SITE, window, '30d', disagree, 'm', { combine: 'ivw', uncertainty: 'scaled' });
    const birge = Math.sqrt(((300 - 500) ** 2 + (700 - 500) ** 2) / 50 ** 2 / 1);
    expect(birge).toBeGreaterThan(1);
    expect(d.generation_mw_sd).toBeCloseTo((50 / Math.SQRT2) * birge, 9);
  });
  it('drops mostly-nodata and fully cloudy patches, counting them, and says why when nothing is left', () => {
    const obs = [pred('s1', '2024-05-02T10:00:00Z', [600, 50], 1), pred('s2', '2024-05-03T10:00:00Z', [600, 50], 0, { valid: 0.2 })];
    const a = aggregateSite(SITE, window, '30d', obs, 'model-x');
    expect([a.n_obs, a.n_valid, a.n_cloudy]).toEqual([2, 0, 1]);
    expect(a.generation_mw).toBeNull();
    expect(a.energy_mwh).toBeNull();
    expect(a.reason).toMatch(/no valid observations \(1 mostly nodata, 1 fully cloudy/);
    const none = aggregateSite(SITE, window, '30d', [], 'model-x');
    expect(none.reason).toBe('no observations in window');
    expect(none.model_id).toBe('model-x');
    expect(none.n_obs).toBe(0);
    expect(none.capacity_factor).toBeNull();
  });
  it('does not depend on the order of its input (bitwise)', () => {
    const obs = Array.from({ length: 25 }, (_, i) =>
      pred(`s${i}`, `2024-05-${String(1 + i).padStart(2, '0')}T10:00:00Z`, [100 + ((i * 37) % 91) / 7, 3 + (i % 5) / 3], (i % 4) / 5),
    );
    const a = aggregateSite(SITE, window, '30d', obs, null);
    const b = aggregateSite(SITE, window, '30d', [...obs].reverse(), null);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('aggregatePredictions', () => {
  const other: Site = { site_id: 'plant-b', lon: -3.1, lat: 40.2, name: null, fuel: 'gas', capacity_mw: null , technology: null };
  it('gives every site a record for every window with observations, unseen sites with a reason', () => {
    const preds = [
      pred('s1', '2024-01-31T23:59:59Z', [100, 10], 0),
      pred('s2', '2024-02-01T00:00:00Z', [200, 10], 0),
      pred('s3', '2024-02-29T12:00:00Z', [300, 10], 0, { site: 'plant-b' }),
      pred('s4', '2024-02-10T12:00:00Z', [300, 10], 0, { site: 'plant-z' }),
    ];
    const r = aggregatePredictions(preds, [SITE, other], parseWindowSpec('month'));
    expect(r.windows.map((w) => w.key)).toEqual(['2024-01-01T00:00:00Z/2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z/2024-03-01T00:00:00Z']);
    expect(r.aggregates.map((a) => [a.site_id, a.window_start, a.n_obs, a.generation_mw])).toEqual([
      ['plant-a', '2024-01-01T00:00:00Z', 1, 100],
      ['plant-b', '2024-01-01T00:00:00Z', 0, null],
      ['plant-a', '2024-02-01T00:00:00Z', 1, 200],
      ['plant-b', '2024-02-01T00:00:00Z', 1, 300],
    ]);
    // leap February: 29 days
    expect(r.aggregates[2]!.window_hours).toBe(29 * 24);
    expect(r.aggregates[1]!.reason).toBe('no observations in window');
    expect(r.unknownSites).toEqual(['plant-z']);
    const onlyFeb = aggregatePredictions(preds, [SITE, other], parseWindowSpec('month'), {
      onlyWindows: new Set(['2024-02-01T00:00:00Z/2024-03-01T00:00:00Z']),
    });
    expect(onlyFeb.aggregates).toEqual(r.aggregates.slice(2));
  });
  it('uses one window from the first to the day after the last observation for all', () => {
    const preds = [pred('s1', '2023-12-30T10:00:00Z', [100, 10], 0), pred('s2', '2024-01-02T10:00:00Z', [300, 10], 0)];
    const r = aggregatePredictions(preds, [SITE], parseWindowSpec('all'));
    expect(r.aggregates).toHaveLength(1);
    expect(r.aggregates[0]!.window_start).toBe('2023-12-30T00:00:00Z');
    expect(r.aggregates[0]!.window_end).toBe('2024-01-03T00:00:00Z');
    expect(r.aggregates[0]!.window_hours).toBe(4 * 24);
    expect(r.aggregates[0]!.generation_mw).toBe(200);
    expect(r.aggregates[0]!.window).toBe('all');
  });
  it('returns no windows for no predictions', () => {
    expect(aggregatePredictions([], [SITE], parseWindowSpec('30d')).aggregates).toEqual([]);
  });
});
