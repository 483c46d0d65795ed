import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INPUT_STEP_NAMES } from '../../src/model/inputSteps/names.js';
import { OptionError, UsageError } from '../../src/errors.js';
import { loadConfig } from '../../src/records/runConfig.js';
import { DEFAULT_TRAIN_CONFIG, resolveTrainConfig } from '../../src/train/config.js';
import { WEIGHTING_NAMES } from '../../src/train/weighting/names.js';
import { createWeighting } from '../../src/train/weighting/index.js';

const run = loadConfig().train;

describe('resolveTrainConfig', () => {
  it('takes each setting from the flags, then the training file, then the run config', () => {
    const fromRun = resolveTrainConfig({}, {}, { ...run, batch: 7, seed: 5, split: 'time' });
    expect([fromRun.batch_size, fromRun.seed, fromRun.split_by]).toEqual([7, 5, 'time']);
    const fromFile = resolveTrainConfig({}, { batch_size: 9, learning_rate: 0.01 }, { ...run, batch: 7 });
    expect([fromFile.batch_size, fromFile.learning_rate, fromFile.seed]).toEqual([9, 0.01, run.seed]);
    const fromFlags = resolveTrainConfig({ batch: 3, tasks: 'generation,co2', learningRate: 0.05, augment: false }, { batch_size: 9, learning_rate: 0.01 }, run);
    expect([fromFlags.batch_size, fromFlags.tasks, fromFlags.learning_rate, fromFlags.augment]).toEqual([3, ['generation', 'co2'], 0.05, false]);
    // Only what the run config does not set has its default in train/config.ts.
    expect(resolveTrainConfig({}, {}, run)).toEqual({ ...DEFAULT_TRAIN_CONFIG, weighting_options: {} });
  });

  it('takes input steps from the flags over the file, in canonical order, and refuses unknown ones', () => {
    expect(resolveTrainConfig({}, { input_steps: ['wind_aligned'] }, run).input_steps).toEqual(['wind_aligned']);
    expect(resolveTrainConfig({ inputSteps: ['wind_aligned', 'spectral_indices'] }, { input_steps: ['background_difference'] }, run).input_steps).toEqual(['spectral_indices', 'wind_aligned']);
    expect(() => resolveTrainConfig({ inputSteps: ['ndvi'] }, {}, run)).toThrow(/unknown input step 'ndvi'/);
    // A run config's train section can set them too (a scheduled job's config file), and its
    // schema lists exactly the registered steps.
    expect(resolveTrainConfig({}, {}, { ...run, input_steps: ['background_difference'] }).input_steps).toEqual(['background_difference']);
    const schema = JSON.parse(readFileSync(new URL('../../configs/config.schema.json', import.meta.url), 'utf8')) as { properties: { train: { properties: { input_steps: { items: { enum: string[] } } } } } };
    expect(schema.properties.train.properties.input_steps.items.enum).toEqual([...INPUT_STEP_NAMES]);
  });

  it('names the option with a bad value, without flag syntax', () => {
    const bad = (): unknown => resolveTrainConfig({ split: 'random' }, {}, run);
    expect(bad).toThrow(OptionError);
    expect(bad).toThrow("option 'split' must be site or time, got 'random'");
    expect(() => resolveTrainConfig({ weighting: 'magic' }, {}, run)).toThrow(UsageError);
    expect(() => resolveTrainConfig({ tasks: 'co3' }, {}, run)).toThrow(/^option 'tasks': /);
  });

  it('lists the same weighting names as the registry builds (names without loading tfjs)', () => {
    for (const name of WEIGHTING_NAMES) expect(createWeighting(name, ['activity'], { fixed: { activity: 1 } }).name).toBe(name);
  });
});
