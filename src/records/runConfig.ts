/**
 * Run configuration: configs/default.json, overridden by a user's `--config FILE`, itself
 * overridden by command-line flags. Both files are checked against configs/config.schema.json
 * (Ajv), and errors name the file, the JSON path and the rule, so a typo in a scheduled job's
 * config fails loudly, not silently.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { assertMatchesSchema } from '../io/jsonSchema.js';
import { packageFile } from '../io/packageFiles.js';

export type BackendName = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type TaskName = 'activity' | 'generation' | 'co2';

export interface RunConfig {
  backend: BackendName;
  tile: { size: number; bands: string; concurrency: number | null; compression: 'deflate' | 'none' };
  train: {
    weighting: 'equal' | 'fixed' | 'uncertainty' | 'dwa' | 'gradnorm';
    physics: 'none' | 'soft' | 'hard';
    tasks: TaskName[];
    epochs: number;
    batch: number;
    seed: number;
    split: 'site' | 'time';
    /** Input steps between the patch and the network (model/inputSteps); absent = none. */
    input_steps?: ('spectral_indices' | 'background_difference' | 'wind_aligned' | 'near_stack_change')[];
    /** Feed the plant's cooling technology to the model (TrainConfig.cooling_input); absent = false. */
    cooling_input?: boolean;
  };
  aggregate: { window: string };
}

/** Path of configs/default.json shipped with co2sat (works from src/ and dist/src/). */
export function defaultConfigPath(): string {
  return packageFile('configs', 'default.json');
}

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot read config: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, `not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(file, 'config must be a JSON object');
  return raw as Record<string, unknown>;
}

/**
 * Checks a (partial) config object against configs/config.schema.json, the one source of
 * truth, throwing an InputError that names the file, the JSON path and the rule.
 */
export function validateConfig(raw: Record<string, unknown>, file: string): void {
  assertMatchesSchema(raw, ['configs', 'config.schema.json'], file);
}

/** The default config merged with an optional user config file (section by section). */
export function loadConfig(userFile?: string): RunConfig {
  const defaults = readJson(defaultConfigPath());
  validateConfig(defaults, defaultConfigPath());
  const merged: Record<string, unknown> = { ...defaults };
  if (userFile !== undefined) {
    const user = readJson(userFile);
    validateConfig(user, userFile);
    for (const [key, value] of Object.entries(user)) {
      if (key === '$schema') continue;
      const base = merged[key];
      merged[key] =
        typeof value === 'object' && value !== null && !Array.isArray(value) && typeof base === 'object' && base !== null
          ? { ...(base as Record<string, unknown>), ...(value as Record<string, unknown>) }
          : value;
    }
  }
  delete merged.$schema;
  return merged as unknown as RunConfig;
}
