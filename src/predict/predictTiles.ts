/**
 * `co2sat predict`: a tiles folder's manifest → predictions.jsonl, one line per patch,
 * written atomically (sorted by scene and site, so the file does not depend on order).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { makePredictionRecord } from '../postprocess/prediction.js';
import { formatPredictions, type PredictionRecord } from '../records/predictions.js';
import { ManifestParseError, parseManifest, type ManifestRecord } from '../tiling/manifest.js';
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

/** Reads `<tilesDir>/manifest.jsonl`. @throws InputError naming the file and line */
export async function readTilesManifest(tilesDir: string): Promise<ManifestRecord[]> {
  const file = path.join(tilesDir, 'manifest.jsonl');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot read the tiles manifest (${(err as NodeJS.ErrnoException).code ?? String(err)}): run 'co2sat tile' first`);
  }
  try {
    return parseManifest(text);
  } catch (err) {
    if (err instanceof ManifestParseError) throw new InputError(file, err.message);
    throw err;
  }
}

/** Predicts every patch of the manifest and writes the predictions file. */
export async function predictTiles(o: PredictTilesOptions): Promise<{ patches: number; records: PredictionRecord[] }> {
  const manifest = await readTilesManifest(o.tilesDir);
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
