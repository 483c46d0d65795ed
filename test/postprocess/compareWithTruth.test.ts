import { describe, expect, it } from 'vitest';
import { aggregatePredictions } from '../../src/postprocess/aggregatePredictions.js';
import { patchErrors, windowErrors, type TruthSample } from '../../src/postprocess/compareWithTruth.js';
import { makePredictionRecord } from '../../src/postprocess/prediction.js';
import { parseWindowSpec } from '../../src/postprocess/windowSpec.js';

const site = { site_id: 'A', lon: 1, lat: 2, name: null, fuel: 'coal', capacity_mw: 1000 , technology: null };
const truth: TruthSample[] = [
  { site_id: 'A', datetime: '2024-03-02T10:00:00Z', generation_mw: 500, co2_t_per_h: 500 },
  { site_id: 'A', datetime: '2024-03-07T10:00:00Z', generation_mw: 700, co2_t_per_h: 700 },
  { site_id: 'A', datetime: '2024-03-12T10:00:00Z', generation_mw: 600, co2_t_per_h: 600 }, // not observed
  { site_id: 'B', datetime: '2024-03-02T10:00:00Z', generation_mw: 100, co2_t_per_h: 40 },
];
const pred = (dt: string, gen: number, siteId = 'A', valid = 1) =>
  makePredictionRecord(
    { scene_id: dt, site_id: siteId, datetime: dt, valid_fraction: valid, cloud_fraction: 0, fingerprint: 'f' },
    { p_on: 1, generation_mw: gen, generation_mw_sd: 50, co2_t_per_h: gen, co2_t_per_h_sd: 50 },
    { id: 'm', backend: 'cpu' },
  );

describe('compareWithTruth', () => {
  const preds = [pred('2024-03-02T10:00:00Z', 400), pred('2024-03-07T10:00:00Z', 900), pred('2024-03-02T10:00:00Z', 0, 'A', 0.1), pred('2024-03-02T10:00:00Z', 130, 'B')];
  it('measures per-patch error on usable patches, optionally for some sites', () => {
    // A: |400-500| = 100, |900-700| = 200 (the mostly-nodata patch is left out); B: 30 MW, 90 t/h
    expect(patchErrors(preds, truth)).toMatchObject({ n: 3, generation_mae_mw: 110, co2_mae_t_per_h: 130 });
    expect(patchErrors(preds, truth, { sites: new Set(['A']) })).toMatchObject({ n: 2, generation_mae_mw: 150, co2_mae_t_per_h: 150 });
    // intervals ±82 MW: 400±82 misses 500, 900±82 misses 700, 130±82 holds 100
    expect(patchErrors(preds, truth).generation_coverage90).toBeCloseTo(1 / 3, 12);
  });
  it('measures window error against the mean truth of all the window\'s overpasses', () => {
    const { aggregates } = aggregatePredictions(preds.slice(0, 3), [site], parseWindowSpec('month'));
    // equal sds: window estimate (400 + 900)/2 = 650; truth mean (500 + 700 + 600)/3 = 600
    expect(aggregates[0]!.generation_mw).toBeCloseTo(650, 9);
    const e = windowErrors(aggregates, truth);
    expect(e.n).toBe(1);
    expect(e.generation_mae_mw).toBeCloseTo(50, 9);
    // window sd 50/√2 ≈ 35 MW → interval 650 ± 58 holds 600
    expect(e.generation_coverage90).toBe(1);
  });
});
