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
  const parts: (typeof manifest)[] = [];
  for (let i = 0; i < manifest.length; i += chunk) parts.push(manifest.slice(i, i + chunk));
  const predictPart = (part: typeof manifest) => o.predictor.predict(part.map((record) => ({ record, tilesDir: o.tilesDir })));
  // The next part is asked for before this one's answer is awaited, so its patches are read
  // while the network runs on this one (reading and the network take turns otherwise).
  let pending = parts.length > 0 ? predictPart(parts[0]!) : null;
  let done = 0;
  for (const [i, part] of parts.entries()) {
    const next = i + 1 < parts.length ? predictPart(parts[i + 1]!) : null;
    // An early failure must not leave the prefetched part's rejection unhandled.
    next?.catch(() => undefined);
    const estimates = await pending!;
    part.forEach((r, k) => records.push(makePredictionRecord(r, estimates[k]!, o.predictor)));
    done += part.length;
    o.onProgress?.(done, manifest.length);
    pending = next;
  }
  await writeFileAtomic(o.out, formatPredictions(records));
  return { patches: records.length, records };
}
