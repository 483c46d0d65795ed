/**
 * Reads a training-config JSON (a partial TrainConfig, e.g. test/configs/tiny.json), checked
 * against configs/train-config.schema.json — every key, nested ones included, so a typo such
 * as `architecture.trunk_task` is refused naming the file and key instead of silently
 * training the default — and merges it over the defaults.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { assertMatchesSchema } from '../io/jsonSchema.js';
import type { TrainConfig } from './config.js';

export const TRAIN_CONFIG_SCHEMA = ['configs', 'train-config.schema.json'] as const;

export function readTrainConfigFile(file: string): Partial<TrainConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(file, `cannot read as JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(file, 'must be a JSON object');
  assertMatchesSchema(raw, TRAIN_CONFIG_SCHEMA, file);
  const { $schema: _s, description: _d, ...rest } = raw as Record<string, unknown>;
  return rest as Partial<TrainConfig>;
}
