/**
 * Merges prediction records from several files (shards, incremental runs) into one set that
 * does not depend on file order: records are keyed by (scene_id, site_id); an exact
 * duplicate is kept once, two different records for one key are an error (the same patch
 * predicted twice, differently), and all records must come from one model.
 */
import { comparePredictions, formatPredictionLine, type PredictionRecord } from '../records/predictions.js';

export class PredictionConflictError extends Error {
  override readonly name = 'PredictionConflictError';
}

/**
 * @param sources record lists, each labelled (usually the file name) for error messages
 * @returns the union, sorted by scene then site
 * @throws PredictionConflictError on conflicting duplicates or mixed model ids
 */
export function mergePredictions(sources: readonly { label: string; records: readonly PredictionRecord[] }[]): PredictionRecord[] {
  const byKey = new Map<string, { line: string; record: PredictionRecord; label: string }>();
  let model: { id: string; label: string } | null = null;
  for (const { label, records } of sources) {
    for (const r of records) {
      if (model === null) model = { id: r.model_id, label };
      else if (r.model_id !== model.id) {
        throw new PredictionConflictError(
          `${label}: predictions from model '${r.model_id}' cannot be merged with model '${model.id}' (${model.label}); aggregate one model at a time`,
        );
      }
      const key = `${r.scene_id}\u0000${r.site_id}`;
      const line = formatPredictionLine(r);
      const seen = byKey.get(key);
      if (seen === undefined) byKey.set(key, { line, record: r, label });
      else if (seen.line !== line) {
        if (seen.record.backend === r.backend) {
          throw new PredictionConflictError(
            `${label}: scene ${r.scene_id} site ${r.site_id} is also in ${seen.label} with different values; remove one of the files`,
          );
        }
        // The same model on two backends differs in the last bits: keep the smaller line, so
        // the choice does not depend on which file came first.
        if (line < seen.line) byKey.set(key, { line, record: r, label });
      }
    }
  }
  return [...byKey.values()].map((v) => v.record).sort(comparePredictions);
}

