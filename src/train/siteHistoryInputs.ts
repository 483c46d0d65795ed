/**
 * Training samples and model estimates in the shapes model/siteHistory.ts takes: labelled
 * overpasses for fitting its kernels, and per-overpass estimates for smoothing them.
 */
import type { SamplePrediction } from '../model/predictor.js';
import type { HistoryInput, HistoryObservation } from '../model/siteHistory.js';
import type { TrainSample } from './prepare.js';

export function historyObservation(s: Pick<TrainSample, 'site_id' | 'time_ms' | 'truth'>): HistoryObservation {
  return {
    site_id: s.site_id,
    time_ms: s.time_ms,
    fuel: s.truth.fuel,
    capacity_mw: s.truth.capacity_mw,
    active: s.truth.active,
    generation_mw: s.truth.generation_mw,
  };
}

export function historyInputs(samples: readonly Pick<TrainSample, 'site_id' | 'time_ms' | 'truth'>[], estimates: readonly SamplePrediction[]): HistoryInput[] {
  return samples.map((s, i) => ({ site_id: s.site_id, time_ms: s.time_ms, fuel: s.truth.fuel, capacity_mw: s.truth.capacity_mw, estimate: estimates[i]! }));
}
