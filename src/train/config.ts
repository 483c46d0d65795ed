/**
 * The training configuration: everything that decides what `co2sat train` builds, saved
 * verbatim in model.json. Defaults are small enough to train on a laptop CPU (wasm). What the
 * run config also sets (tasks, weighting, physics, epochs, batch, seed, split) comes from
 * configs/default.json, the one set of defaults; the rest has its only default here.
 */
import { OptionError, optionText, UsageError } from '../errors.js';
import { loadConfig, type RunConfig } from '../records/runConfig.js';
import { resolveInputSteps } from '../model/inputSteps/index.js';
import { isPhysicsName, PHYSICS_NAMES } from '../model/physicsModes/names.js';
import type { Likelihood, PhysicsName, Task, TrunkTasks } from '../model/spec.js';
import { parseTasks, TASKS } from '../model/spec.js';
import type { SelectionScore } from './selectionScores.js';
import type { SplitBy } from './split.js';
import type { WeightingName, WeightingOptions } from './weighting/index.js';
import { isWeightingName, WEIGHTING_NAMES } from './weighting/names.js';

export interface TrainConfig {
  tasks: Task[];
  weighting: WeightingName;
  weighting_options: WeightingOptions;
  physics: PhysicsName;
  likelihood: Likelihood;
  epochs: number;
  batch_size: number;
  learning_rate: number;
  /**
   * `constant` (default) or `cosine` decay to 5 %. On the 40-plant ablation world with 16
   * epochs, cosine made every variant worse (training was still improving when the rate
   * had already decayed), so it is opt-in.
   */
  lr_schedule?: 'constant' | 'cosine';
  /** Epochs without validation improvement before stopping (with checkpoint `best`). */
  patience: number;
  /**
   * Which epoch the model folder keeps: `best` (default) by the validation score, with early
   * stopping; `last`, all `epochs` epochs run, for an epoch count chosen by cross-validation.
   */
  checkpoint?: 'best' | 'last';
  /**
   * What the validation score (early stopping, the best checkpoint) measures: `all_tasks`
   * (default) sums activity log-loss and the regressions' scaled MAE over every validation
   * overpass; `plume_activity` is the activity log-loss on the validation overpasses of
   * plants whose cooling can show a plume (sites.geojson `technology`), where the image can
   * tell the state: a fleet-wide score, dominated by plants no image can tell, stops before
   * the trunk has learnt to read the plume (RESULTS.md). Needs the activity task.
   */
  selection?: SelectionScore;
  seed: number;
  split_by: SplitBy;
  val_fraction: number;
  test_fraction: number;
  min_valid_fraction: number;
  augment: boolean;
  /**
   * Input steps (model/inputSteps: spectral_indices, background_difference, wind_aligned)
   * between the patch and the network; saved in model.json and rerun at prediction.
   */
  input_steps: string[];
  /**
   * Feed the plant's cooling technology (sites.geojson `technology`, one-hot) to the fused
   * layer (model/features.ts): whether its heat can show as a plume at all. Absent = false, as
   * for every model before it; the model's `spec.auxFeatures` records it.
   */
  cooling_input?: boolean;
  /** Fold `index` of a grouped k-fold over plants (split.ts), for cross-validation (ablate --folds); absent = a seeded split. */
  cv_fold?: { k: number; index: number };
  /** Train on at most this many of the split's training plants (ablate --train-plants, for learning curves); absent = all. */
  max_train_sites?: number;
  architecture: {
    stem_width: number;
    stem_stride?: 1 | 2;
    stage_widths: number[];
    blocks_per_stage: number;
    hidden: number;
    /** Which losses train the image trunk (model/spec.ts TrunkTasks); absent = all. */
    trunk_tasks?: TrunkTasks;
  };
  /** Worker threads for data-parallel training (1: this thread; the CLI defaults to all cores). */
  threads?: number;
}

const shipped = loadConfig().train;

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  tasks: shipped.tasks.filter((t): t is Task => (TASKS as readonly string[]).includes(t)),
  weighting: shipped.weighting,
  weighting_options: {},
  physics: shipped.physics,
  likelihood: 'gaussian',
  epochs: shipped.epochs,
  batch_size: shipped.batch,
  learning_rate: 2e-3,
  lr_schedule: 'constant',
  patience: 8,
  checkpoint: 'best',
  seed: shipped.seed,
  split_by: shipped.split,
  val_fraction: 0.15,
  test_fraction: 0.2,
  min_valid_fraction: 0.5,
  augment: true,
  input_steps: [],
  cooling_input: false,
  architecture: { stem_width: 16, stem_stride: 2, stage_widths: [16, 32], blocks_per_stage: 1, hidden: 32 },
};

export function withDefaults(partial: Partial<TrainConfig>): TrainConfig {
  return {
    ...DEFAULT_TRAIN_CONFIG,
    ...partial,
    architecture: { ...DEFAULT_TRAIN_CONFIG.architecture, ...(partial.architecture ?? {}) },
    weighting_options: { ...(partial.weighting_options ?? {}) },
  };
}

function checkpointOf(v: string | undefined): { checkpoint?: 'best' | 'last' } {
  if (v === undefined) return {};
  if (v !== 'best' && v !== 'last') throw new OptionError('checkpoint', `must be best or last, got '${v}'`);
  return { checkpoint: v };
}

/** What a caller (the CLI's flags) sets directly; each wins over the file and the run config. */
export interface TrainOverrides {
  weighting?: string;
  physics?: string;
  /** Comma-separated task list, e.g. `generation,co2`. */
  tasks?: string;
  likelihood?: string;
  split?: string;
  epochs?: number;
  batch?: number;
  seed?: number;
  learningRate?: number;
  patience?: number;
  minValidFraction?: number;
  augment?: boolean;
  checkpoint?: string;
  /** The validation score (TrainConfig.selection); wins over the file's `selection`. */
  selection?: SelectionScore;
  /** Input step names (model/inputSteps); wins over the file's `input_steps`. */
  inputSteps?: string[];
  /** Training threads; wins over the file's `threads`. */
  threads?: number;
  /** Cooling-technology inputs; wins over the file's and the run config's `cooling_input`. */
  coolingInput?: boolean;
  /** Which losses train the trunk; wins over the file's `architecture.trunk_tasks`. */
  trunkTasks?: TrunkTasks;
}

/**
 * The training config from three layers, most specific first: `overrides` (flags), `file`
 * (a training-config file), `run` (the run config's train section, itself over
 * configs/default.json), then DEFAULT_TRAIN_CONFIG for what only training sets. Pure: reads
 * nothing, so the precedence is testable on its own.
 * @throws OptionError (or UsageError) naming the option whose value is not one of the valid ones
 */
export function resolveTrainConfig(overrides: TrainOverrides, file: Partial<TrainConfig>, run: RunConfig['train']): TrainConfig {
  const weighting = overrides.weighting ?? file.weighting ?? run.weighting;
  if (!isWeightingName(weighting)) throw new UsageError(`unknown weighting '${weighting}' (valid: ${WEIGHTING_NAMES.join(', ')})`);
  const physics = overrides.physics ?? file.physics ?? run.physics;
  if (!isPhysicsName(physics)) throw new UsageError(`unknown physics mode '${physics}' (valid: ${PHYSICS_NAMES.join(', ')})`);
  let tasks: Task[];
  try {
    tasks = overrides.tasks ? parseTasks(overrides.tasks) : (file.tasks ?? run.tasks);
  } catch (e) {
    throw new UsageError(`${optionText('tasks')}: ${(e as Error).message}`);
  }
  const likelihood = overrides.likelihood ?? file.likelihood ?? 'gaussian';
  if (likelihood !== 'gaussian' && likelihood !== 'laplace') throw new OptionError('likelihood', `must be gaussian or laplace, got '${likelihood}'`);
  const split = overrides.split ?? file.split_by ?? run.split;
  if (split !== 'site' && split !== 'time') throw new OptionError('split', `must be site or time, got '${split}'`);
  return withDefaults({
    ...file,
    ...(overrides.trunkTasks !== undefined ? { architecture: { ...withDefaults(file).architecture, trunk_tasks: overrides.trunkTasks } } : {}),
    tasks,
    weighting,
    physics,
    likelihood,
    split_by: split,
    epochs: overrides.epochs ?? file.epochs ?? run.epochs,
    batch_size: overrides.batch ?? file.batch_size ?? run.batch,
    seed: overrides.seed ?? file.seed ?? run.seed,
    ...(overrides.learningRate !== undefined ? { learning_rate: overrides.learningRate } : {}),
    ...(overrides.patience !== undefined ? { patience: overrides.patience } : {}),
    ...(overrides.minValidFraction !== undefined ? { min_valid_fraction: overrides.minValidFraction } : {}),
    ...(overrides.augment === false ? { augment: false } : {}),
    ...(overrides.threads !== undefined ? { threads: overrides.threads } : {}),
    ...checkpointOf(overrides.checkpoint ?? file.checkpoint),
    ...((overrides.selection ?? file.selection) !== undefined ? { selection: overrides.selection ?? file.selection } : {}),
    input_steps: resolveInputSteps(overrides.inputSteps ?? file.input_steps ?? run.input_steps ?? []).map((x) => x.name),
    cooling_input: overrides.coolingInput ?? file.cooling_input ?? run.cooling_input ?? false,
  });
}
