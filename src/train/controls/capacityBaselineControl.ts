/**
 * The capacity-aware baseline (model/capacityBaseline.ts) as predictions in the model's own
 * shape, so evaluate and ablate score it with the same metrics as the model.
 */
import { fitCapacityBaseline, predictCapacityBaseline, type BaselineObservation, type CapacityBaseline } from '../../model/capacityBaseline.js';
import type { SamplePrediction } from '../../model/predictor.js';
import type { Truth } from '../metrics.js';

/** z of the two-sided 90 % normal interval: σ = half-width / z, for the *_sd fields. */
const Z90 = 1.6448536269514722;

/** A labelled sample as the baseline sees it. */
export interface BaselineSample {
  site_id: string;
  truth: Truth;
}

export function baselineObservation(s: BaselineSample): BaselineObservation {
  return {
    site_id: s.site_id,
    fuel: s.truth.fuel,
    capacity_mw: s.truth.capacity_mw,
    active: s.truth.active,
    generation_mw: s.truth.generation_mw,
    co2_t_per_h: s.truth.co2_t_per_h,
  };
}

/** Fits on the training samples; `fallbackCo2PerMWh` for fuels whose training rows carry no CO₂. */
export function fitBaselineOn(training: readonly BaselineSample[], fallbackCo2PerMWh: Readonly<Record<string, number>> = {}): CapacityBaseline {
  return fitCapacityBaseline(training.map(baselineObservation), fallbackCo2PerMWh);
}

export function capacityBaselinePredictions(b: CapacityBaseline, samples: readonly BaselineSample[]): SamplePrediction[] {
  return samples.map((s) => {
    const p = predictCapacityBaseline(b, { site_id: s.site_id, fuel: s.truth.fuel, capacity_mw: s.truth.capacity_mw });
    return {
      p_on: p.p_on,
      generation_mw: p.generation_mw,
      generation_mw_sd: p.generation_mw_half90 / Z90,
      generation_mw_half90: p.generation_mw_half90,
      co2_t_per_h: p.co2_t_per_h,
      co2_t_per_h_sd: p.co2_t_per_h_half90 / Z90,
      co2_t_per_h_half90: p.co2_t_per_h_half90,
    };
  });
}
