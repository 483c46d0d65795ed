/**
 * A `predictions.jsonl` record (src/records/predictions.ts) from a patch's manifest line and
 * the model's estimate; the 90% intervals are derived here so every writer computes them the
 * same way.
 */
import type { ManifestRecord } from '../records/manifest.js';
import type { PatchEstimate, PredictionRecord } from '../records/predictions.js';
import { gaussianInterval } from './interval.js';

/** Builds the record for one patch. */
export function makePredictionRecord(
  manifest: Pick<ManifestRecord, 'scene_id' | 'site_id' | 'datetime' | 'valid_fraction' | 'cloud_fraction' | 'fingerprint'>,
  estimate: PatchEstimate,
  model: { id: string; backend: string },
): PredictionRecord {
  const gen = gaussianInterval(estimate.generation_mw, estimate.generation_mw_sd);
  const co2 = gaussianInterval(estimate.co2_t_per_h, estimate.co2_t_per_h_sd);
  return {
    scene_id: manifest.scene_id,
    site_id: manifest.site_id,
    datetime: new Date(manifest.datetime).toISOString().replace('.000Z', 'Z'),
    valid_fraction: manifest.valid_fraction,
    cloud_fraction: manifest.cloud_fraction,
    fingerprint: manifest.fingerprint,
    p_on: estimate.p_on,
    generation_mw: estimate.generation_mw,
    generation_mw_sd: estimate.generation_mw_sd,
    generation_mw_p05: gen?.p05 ?? null,
    generation_mw_p95: gen?.p95 ?? null,
    co2_t_per_h: estimate.co2_t_per_h,
    co2_t_per_h_sd: estimate.co2_t_per_h_sd,
    co2_t_per_h_p05: co2?.p05 ?? null,
    co2_t_per_h_p95: co2?.p95 ?? null,
    model_id: model.id,
    backend: model.backend,
  };
}

