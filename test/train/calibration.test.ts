import { describe, expect, it } from 'vitest';
import { BlankImage } from '../../src/model/patchImage.js';
import type { SamplePrediction } from '../../src/model/predictor.js';
import type { TrainSample } from '../../src/train/prepare.js';
import { calibrateIntervals, learningRateAt } from '../../src/train/trainer.js';

const sample = (gen: number): TrainSample => ({
  image: new BlankImage(0),
  aux: { fuel: 'coal', capacity_mw: 1000, technology: null, temperature_c: null, relative_humidity: null, wind_u: null, wind_v: null, cloud_fraction: null },
  truth: { active: true, generation_mw: gen, co2_t_per_h: null, fuel: 'coal', capacity_mw: 1000 },
  site_id: 'A',
  time_ms: 0,
});
const pred = (gen: number, half: number): SamplePrediction => ({
  p_on: 1,
  generation_mw: gen,
  generation_mw_sd: half / 1.645,
  generation_mw_half90: half,
  co2_t_per_h: 0,
  co2_t_per_h_sd: 1,
  co2_t_per_h_half90: 1,
});

describe('interval calibration on the validation split', () => {
  it('scales σ so that 90 % of validation errors fall inside the 90 % interval', () => {
    // Errors 1..20 MW, half-widths 5 MW: the 0.9 quantile of |e|/h is 18/5.
    const val = Array.from({ length: 20 }, (_, i) => sample(100 + i + 1));
    const preds = val.map(() => pred(100, 5));
    const k = calibrateIntervals(preds, val);
    expect(k.generation).toBeCloseTo(18 / 5, 10);
    const covered = val.filter((s, i) => Math.abs(s.truth.generation_mw! - 100) <= preds[i]!.generation_mw_half90 * k.generation).length;
    expect(covered / val.length).toBe(0.9);
    expect(k.co2).toBe(1); // no CO2 labels: left alone
  });

  it('leaves σ alone with fewer than 10 labels and bounds the factor', () => {
    expect(calibrateIntervals([pred(0, 1)], [sample(50)]).generation).toBe(1);
    const val = Array.from({ length: 10 }, () => sample(1000));
    expect(calibrateIntervals(val.map(() => pred(0, 1)), val).generation).toBe(4);
  });
});

describe('learning-rate schedule', () => {
  it('decays by a cosine from the base rate to 5 % of it', () => {
    expect(learningRateAt(0.002, 0, 10)).toBeCloseTo(0.002, 12);
    expect(learningRateAt(0.002, 9, 10)).toBeCloseTo(0.0001, 12);
    expect(learningRateAt(0.002, 4.5, 10)).toBeCloseTo(0.002 * 0.525, 12);
  });
});
