/**
 * Training-config files are checked against configs/train-config.schema.json: the schema
 * lists exactly the keys TrainConfig has (with the code's own name lists as its enums), every
 * valid file reads back as written, and each kind of mistake — nested ones included — is
 * refused naming the file, the key and the rule.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUT_STEP_NAMES } from '../../src/model/inputSteps/names.js';
import { PHYSICS_NAMES } from '../../src/model/physicsModes/names.js';
import { TASKS, TRUNK_TASKS } from '../../src/model/spec.js';
import { SELECTION_SCORES } from '../../src/train/selectionScores.js';
import { withDefaults } from '../../src/train/config.js';
import { readTrainConfigFile } from '../../src/train/trainConfigFile.js';
import { WEIGHTING_NAMES } from '../../src/train/weighting/names.js';
import { REPO_ROOT } from '../helpers/oracle.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
}
const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'configs/train-config.schema.json'), 'utf8')) as SchemaNode;
const props = schema.properties!;
const dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-traincfg-'));
let n = 0;
function fileWith(content: unknown): string {
  const file = path.join(dir, `c${n++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('train-config schema', () => {
  it('has exactly TrainConfig’s keys, and the code’s name lists as its enums', () => {
    const defaults = withDefaults({});
    expect(Object.keys(props).sort()).toEqual([...Object.keys(defaults), 'cv_fold', 'max_train_sites', 'threads', 'selection', '$schema', 'description'].sort());
    expect(Object.keys(props.architecture!.properties!).sort()).toEqual([...Object.keys(defaults.architecture), 'trunk_tasks'].sort());
    expect(props.tasks!.items!.enum).toEqual([...TASKS]);
    expect(props.weighting!.enum).toEqual([...WEIGHTING_NAMES]);
    expect(props.physics!.enum).toEqual([...PHYSICS_NAMES]);
    expect(props.input_steps!.items!.enum).toEqual([...INPUT_STEP_NAMES]);
    expect(props.architecture!.properties!.trunk_tasks!.enum).toEqual([...TRUNK_TASKS]);
    expect(props.selection!.enum).toEqual([...SELECTION_SCORES]);
  });

  it('reads a file that sets every key back as written (less its description)', () => {
    const full = {
      description: 'every key',
      tasks: ['activity', 'co2'],
      weighting: 'gradnorm',
      weighting_options: { fixed: { activity: 1, co2: 0.5 }, temperature: 2, alpha: 1.5, weightLr: 0.025 },
      physics: 'soft',
      likelihood: 'laplace',
      epochs: 7,
      batch_size: 12,
      learning_rate: 0.003,
      lr_schedule: 'cosine',
      patience: 2,
      checkpoint: 'last',
      selection: 'plume_activity',
      seed: 41,
      split_by: 'time',
      val_fraction: 0.1,
      test_fraction: 0.25,
      min_valid_fraction: 0.6,
      augment: false,
      input_steps: ['wind_aligned'],
      cooling_input: true,
      cv_fold: { k: 3, index: 2 },
      max_train_sites: 20,
      architecture: { stem_width: 8, stem_stride: 1, stage_widths: [8, 16], blocks_per_stage: 2, hidden: 24, trunk_tasks: 'activity' },
      threads: 2,
    };
    const { description: _d, ...rest } = full;
    expect(readTrainConfigFile(fileWith(full))).toEqual(rest);
    expect(readTrainConfigFile(path.join(REPO_ROOT, 'test/configs/tiny.json'))).toHaveProperty('architecture.hidden', 16);
  });

  it.each([
    [{ architecture: { trunk_task: 'activity' } }, "architecture: unknown key 'trunk_task' (rule additionalProperties)"],
    [{ architecture: { trunk_tasks: 'images' } }, 'architecture.trunk_tasks must be one of all|activity, got "images" (rule enum)'],
    [{ learning_rate: '0.01' }, 'learning_rate must be number, got "0.01" (rule type)'],
    [{ learning_rate: 0 }, 'learning_rate must be > 0, got 0 (rule exclusiveMinimum)'],
    [{ epochs: 2.5 }, 'epochs must be integer, got 2.5 (rule type)'],
    [{ weighting_options: { temprature: 2 } }, "weighting_options: unknown key 'temprature' (rule additionalProperties)"],
    [{ tasks: [] }, 'tasks must NOT have fewer than 1 items, got [] (rule minItems)'],
    [{ checkpoint: 'final' }, 'checkpoint must be one of best|last, got "final" (rule enum)'],
    [{ selection: 'plume' }, 'selection must be one of all_tasks|plume_activity, got "plume" (rule enum)'],
    [{ architecture: { stage_widths: [8, -1] } }, 'architecture.stage_widths[1] must be >= 1, got -1 (rule minimum)'],
    [{ lr: 0.01 }, "unknown key 'lr' (rule additionalProperties)"],
  ])('refuses %j naming the file and key', (content, message) => {
    const file = fileWith(content);
    expect(() => readTrainConfigFile(file)).toThrow(`${file}: ${message}`);
  });

  it('refuses a file that is not a JSON object', () => {
    const notJson = fileWith('{ "epochs": 3,');
    expect(() => readTrainConfigFile(notJson)).toThrow(`${notJson}: cannot read as JSON`);
    const list = fileWith([1, 2]);
    expect(() => readTrainConfigFile(list)).toThrow(`${list}: must be a JSON object`);
  });
});
