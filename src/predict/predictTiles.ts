/**
 * `co2sat predict`: a tiles folder's manifest → predictions.jsonl, one line per patch,
 * written atomically (sorted by scene and site, so the file does not depend on order).
 */
import { makePredictionRecord } from '../postprocess/prediction.js';
import { formatPredictions, type PredictionRecord } from '../records/predictions.js';
import { manifestPath, readManifest } from '../records/manifest.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import type { Predictor } from './predictor.js';

export interface PredictTilesOptions {
  tilesDir: string;
  predictor: Predictor;
  out: string;
  /** Patches per progress step (default 64). */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Predicts every patch of the manifest and writes the predictions file. */
export async function predictTiles(o: PredictTilesOptions): Promise<{ patches: number; records: PredictionRecord[] }> {
  const manifest = await readManifest(manifestPath(o.tilesDir));
  const chunk = o.chunk ?? 64;
  const records: PredictionRecord[] = [];
  for (let i = 0; i < manifest.length; i += chunk) {
    const part = manifest.slice(i, i + chunk);
    const estimates = await o.predictor.predict(part.map((record) => ({ record, tilesDir: o.tilesDir })));
    part.forEach((r, k) => records.push(makePredictionRecord(r, estimates[k]!, o.predictor)));
    o.onProgress?.(Math.min(manifest.length, i + chunk), manifest.length);
  }
  await writeFileAtomic(o.out, formatPredictions(records));
  return { patches: records.length, records };
}
