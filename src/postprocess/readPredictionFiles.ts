/**
 * Reads one or more predictions.jsonl files (shards, runs) and merges them; a bad line
 * is reported as an InputError naming the file and the line.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { mergePredictions, PredictionConflictError } from './mergePredictions.js';
import { parsePredictions, PredictionParseError, type PredictionRecord } from '../records/predictions.js';

/** Reads and checks one file. @throws InputError naming the file (and line) */
export async function readPredictionFile(file: string): Promise<PredictionRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return parsePredictions(text);
  } catch (err) {
    if (err instanceof PredictionParseError) throw new InputError(file, err.message);
    throw err;
  }
}

/**
 * Reads every file and merges them order-independently (see mergePredictions).
 * @throws InputError for unreadable files, bad lines, conflicting duplicates or mixed models
 */
export async function readPredictionFiles(files: readonly string[]): Promise<PredictionRecord[]> {
  const sources = [];
  for (const file of files) sources.push({ label: file, records: await readPredictionFile(file) });
  try {
    return mergePredictions(sources);
  } catch (err) {
    if (err instanceof PredictionConflictError) {
      const [file, ...rest] = err.message.split(': ');
      throw new InputError(file ?? files[0] ?? '', rest.join(': '));
    }
    throw err;
  }
}
