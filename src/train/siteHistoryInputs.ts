/**
 * Training samples and model estimates in the shapes model/siteHistory.ts takes: labelled
 * overpasses for fitting its kernels, and per-overpass estimates, with and without the image,
 * for combining them over each plant's overpasses.
 */
import type { InputContext, PreparedSample } from '../model/inputs.js';
import { BlankImage } from '../model/patchImage.js';
import type { Network } from '../model/network.js';
import { predictPrepared, type SamplePrediction } from '../model/predictor.js';
import { smoothWithSiteHistory, type HistoryObservation, type SiteHistoryModel } from '../model/siteHistory.js';
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

/** The samples with every pixel at its training mean (0 after normalisation): what the network knows without the image. */
export function blankImages<T extends PreparedSample>(samples: readonly T[]): T[] {
  return samples.map((s) => ({ ...s, image: new BlankImage(s.image.length) }));
}

/**
 * `estimates` (the network's, for `samples`, possibly from other images, as the shuffled
 * control feeds it) combined over each plant's overpasses; the image-free estimates are
 * computed here with blank images.
 */
export function withSiteHistory(net: Network, ctx: InputContext, samples: readonly TrainSample[], estimates: readonly SamplePrediction[], history: SiteHistoryModel): SamplePrediction[] {
  const imageFree = predictPrepared(net, blankImages(samples), ctx);
  return smoothWithSiteHistory(
    samples.map((s, i) => ({ site_id: s.site_id, time_ms: s.time_ms, fuel: s.truth.fuel, capacity_mw: s.truth.capacity_mw, estimate: estimates[i]!, imageFree: imageFree[i]! })),
    history,
  );
}
