/**
 * Run configuration: configs/default.json, overridden by a user's `--config FILE`, itself
 * overridden by command-line flags. The checks mirror configs/config.schema.json and name
 * the file and the key, so a typo in a scheduled job's config fails loudly, not silently.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { InputError } from '../errors.js';

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
  };
  aggregate: { window: string };
}

type Check = (v: unknown) => boolean;
const oneOf =
  (...values: readonly unknown[]): Check =>
  (v) =>
    values.includes(v);
const int =
  (min: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min;

const checks: Record<string, Record<string, [Check, string]>> = {
  '': { backend: [oneOf('auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'), 'auto|tensorflow-gpu|tensorflow|wasm|cpu'] },
  tile: {
    size: [int(1), 'a positive integer'],
    bands: [(v) => typeof v === 'string' && v.length > 0, 'a band-set name or path'],
    concurrency: [(v) => v === null || int(1)(v), 'a positive integer or null'],
    compression: [oneOf('deflate', 'none'), 'deflate|none'],
  },
  train: {
    weighting: [oneOf('equal', 'fixed', 'uncertainty', 'dwa', 'gradnorm'), 'equal|fixed|uncertainty|dwa|gradnorm'],
    physics: [oneOf('none', 'soft', 'hard'), 'none|soft|hard'],
    tasks: [
      (v) => Array.isArray(v) && v.length > 0 && v.every((t) => ['activity', 'generation', 'co2'].includes(t as string)),
      'a non-empty list of activity|generation|co2',
    ],
    epochs: [int(1), 'a positive integer'],
    batch: [int(1), 'a positive integer'],
    seed: [int(Number.MIN_SAFE_INTEGER), 'an integer'],
    split: [oneOf('site', 'time'), 'site|time'],
  },
  aggregate: { window: [(v) => typeof v === 'string' && /^([1-9][0-9]*d|month|year|all)$/.test(v), 'Nd|month|year|all'] },
};

/** Path of configs/default.json shipped with co2sat (works from src/ and dist/src/). */
export function defaultConfigPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const p = path.join(here, up, 'configs', 'default.json');
    try {
      readFileSync(p);
      return p;
    } catch {
      // next candidate
    }
  }
  throw new Error('configs/default.json not found beside the co2sat package');
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

/** Checks a (partial) config object, throwing an InputError that names the file and key. */
export function validateConfig(raw: Record<string, unknown>, file: string): void {
  for (const [key, value] of Object.entries(raw)) {
    if (key === '$schema') continue;
    if (key in checks['']!) {
      const [ok, want] = checks['']![key]!;
      if (!ok(value)) throw new InputError(file, `${key} must be ${want}, got ${JSON.stringify(value)}`);
      continue;
    }
    const section = checks[key];
    if (!section) throw new InputError(file, `unknown key '${key}' (known: backend, tile, train, aggregate)`);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(file, `${key} must be an object`);
    for (const [sub, subValue] of Object.entries(value as Record<string, unknown>)) {
      const check = section[sub];
      if (!check) throw new InputError(file, `unknown key '${key}.${sub}' (known: ${Object.keys(section).join(', ')})`);
      if (!check[0](subValue)) throw new InputError(file, `${key}.${sub} must be ${check[1]}, got ${JSON.stringify(subValue)}`);
    }
  }
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
