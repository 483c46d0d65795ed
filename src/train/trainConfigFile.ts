/**
 * Reads a training-config JSON (a partial TrainConfig, e.g. test/configs/tiny.json) with
 * checks that name the file and key, and merges it over the defaults.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { INPUT_STEP_NAMES } from '../model/inputSteps/names.js';
import { TASKS, TRUNK_TASKS } from '../model/spec.js';
import { PHYSICS_NAMES } from '../model/physicsModes/names.js';
import { withDefaults, type TrainConfig } from './config.js';
import { WEIGHTING_NAMES } from './weighting/names.js';

const KEYS = new Set([...Object.keys(withDefaults({})), 'threads']);

export function readTrainConfigFile(file: string): Partial<TrainConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(file, `cannot read as JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(file, 'must be a JSON object');
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    if (k === '$schema' || k === 'description') continue;
    if (!KEYS.has(k)) throw new InputError(file, `unknown key '${k}' (valid: ${[...KEYS].join(', ')})`);
  }
  const posInt = (k: string): void => {
    if (k in r && !(Number.isInteger(r[k]) && (r[k] as number) > 0)) throw new InputError(file, `${k} must be a positive integer`);
  };
  ['epochs', 'batch_size', 'patience', 'threads'].forEach(posInt);
  if ('tasks' in r && !(Array.isArray(r.tasks) && r.tasks.length > 0 && r.tasks.every((t) => (TASKS as readonly unknown[]).includes(t)))) {
    throw new InputError(file, `tasks must be a non-empty list of ${TASKS.join('|')}`);
  }
  if ('weighting' in r && !(WEIGHTING_NAMES as unknown[]).includes(r.weighting)) throw new InputError(file, `weighting must be one of ${WEIGHTING_NAMES.join('|')}`);
  if ('physics' in r && !(PHYSICS_NAMES as unknown[]).includes(r.physics)) throw new InputError(file, `physics must be one of ${PHYSICS_NAMES.join('|')}`);
  if ('input_steps' in r && !(Array.isArray(r.input_steps) && r.input_steps.every((n) => (INPUT_STEP_NAMES as readonly unknown[]).includes(n)))) {
    throw new InputError(file, `input_steps must be a list of ${INPUT_STEP_NAMES.join('|')}`);
  }
  if ('cooling_input' in r && typeof r.cooling_input !== 'boolean') throw new InputError(file, 'cooling_input must be true or false');
  if ('architecture' in r) {
    const a = r.architecture as Record<string, unknown>;
    if (typeof a !== 'object' || a === null) throw new InputError(file, 'architecture must be an object');
    if ('stage_widths' in a && !(Array.isArray(a.stage_widths) && a.stage_widths.every((w) => Number.isInteger(w) && (w as number) > 0))) {
      throw new InputError(file, 'architecture.stage_widths must be a list of positive integers');
    }
    if ('trunk_tasks' in a && !(TRUNK_TASKS as readonly unknown[]).includes(a.trunk_tasks)) {
      throw new InputError(file, `architecture.trunk_tasks must be one of ${TRUNK_TASKS.join('|')}`);
    }
  }
  const { $schema: _s, description: _d, ...rest } = r;
  return rest as Partial<TrainConfig>;
}
