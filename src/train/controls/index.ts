/**
 * Controls scored beside a model, with the model's own metrics on the model's own samples:
 * the capacity-aware baseline (no image at all), the model with each site's images shuffled
 * among its own overpasses (image content decoupled from the label), and two oracles from a
 * synthetic world's truth.json: the noise floor (observable overpasses read exactly, the rest
 * the plant's own prior — reachable only with the plant's history) and the image ceiling
 * (observable overpasses read exactly, the rest the capacity baseline — the best one overpass
 * at a time allows). A model that earns its skill from the image beats the first two clearly
 * and approaches the image ceiling; only temporal context can go further, up to the history
 * ceiling (observable overpasses exact, the rest the nearest observable one in time, the
 * capacity baseline for a plant that never shows a plume). Below that, only labels help.
 */
import type { CapacityBaseline } from '../../model/capacityBaseline.js';
import type { InputContext } from '../../model/inputs.js';
import type { Network } from '../../model/network.js';
import type { EmissionFactors } from '../../model/physics.js';
import { predictPrepared, type SamplePrediction } from '../../model/predictor.js';
import type { Task } from '../../model/spec.js';
import type { TruthDocument } from '../../records/truth.js';
import { evaluationMetrics, type EvaluationMetrics } from '../metrics.js';
import type { TrainSample } from '../prepare.js';
import { capacityBaselinePredictions } from './capacityBaselineControl.js';
import { historyCeilingPredictions, imageCeilingPredictions, noiseFloorPredictions, withoutCoverage } from './noiseFloorControl.js';
import { shuffleImagesWithinSites } from './shuffleImages.js';

export { fitBaselineOn } from './capacityBaselineControl.js';
export { shuffleImagesWithinSites } from './shuffleImages.js';

/** The names `--control` accepts (controls that cost a model pass; the others are always on). */
export const CONTROL_NAMES = ['shuffle-images'] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];

export interface Controls {
  capacity_baseline: EvaluationMetrics | null;
  shuffled: EvaluationMetrics | null;
  noise_floor: EvaluationMetrics | null;
  /** Observable overpasses read exactly, the rest the capacity-aware baseline: the best one overpass at a time allows (noiseFloorControl.ts). */
  image_ceiling: EvaluationMetrics | null;
  /** Observable overpasses read exactly, the rest the plant's nearest observable one in time (the capacity baseline where it has none): the best images plus history allow (noiseFloorControl.ts). */
  history_ceiling: EvaluationMetrics | null;
}

export interface ControlReport {
  controls: Controls;
  /** Scored samples truth.json has no record of (left out of the noise floor). */
  noise_floor_unmatched: number;
}

export interface ControlInputs {
  net: Network;
  ctx: InputContext;
  tasks: readonly Task[];
  /** The samples the model is scored on. */
  samples: readonly TrainSample[];
  /** Fitted on the model's training plants; null leaves the row out. */
  baseline: CapacityBaseline | null;
  /** Seed of the within-site image shuffle; null skips the control. */
  shuffleSeed: number | null;
  truth: Pick<TruthDocument, 'sites' | 'samples'> | null;
  efs: EmissionFactors;
}

export function scoreControls(o: ControlInputs): ControlReport {
  const truths = o.samples.map((s) => s.truth);
  const capacity_baseline = o.baseline ? evaluationMetrics(capacityBaselinePredictions(o.baseline, o.samples), truths, o.tasks) : null;
  const shuffled = o.shuffleSeed === null ? null : evaluationMetrics(predictPrepared(o.net, shuffleImagesWithinSites(o.samples, o.shuffleSeed), o.ctx), truths, o.tasks);
  let noise_floor: EvaluationMetrics | null = null;
  let image_ceiling: EvaluationMetrics | null = null;
  let history_ceiling: EvaluationMetrics | null = null;
  let unmatched = 0;
  const score = (predictions: readonly (SamplePrediction | null)[]): EvaluationMetrics | null => {
    const idx = predictions.flatMap((p, i) => (p ? [i] : []));
    return idx.length > 0 ? withoutCoverage(evaluationMetrics(idx.map((i) => predictions[i]!), idx.map((i) => truths[i]!), o.tasks)) : null;
  };
  if (o.truth) {
    const oracle = noiseFloorPredictions(o.truth, o.samples, o.efs);
    unmatched = oracle.unmatched;
    noise_floor = score(oracle.predictions);
    if (o.baseline) {
      const fallback = capacityBaselinePredictions(o.baseline, o.samples);
      image_ceiling = score(imageCeilingPredictions(o.truth, o.samples, fallback, o.efs).predictions);
      history_ceiling = score(historyCeilingPredictions(o.truth, o.samples, fallback, o.efs).predictions);
    }
  }
  return { controls: { capacity_baseline, shuffled, noise_floor, image_ceiling, history_ceiling }, noise_floor_unmatched: unmatched };
}
