/**
 * The training configuration: everything that decides what `co2sat train` builds, saved
 * verbatim in model.json. Defaults are small enough to train on a laptop CPU (wasm). What the
 * run config also sets (tasks, weighting, physics, epochs, batch, seed, split) comes from
 * configs/default.json, the one set of defaults; the rest has its only default here.
 */
import { loadConfig } from '../records/runConfig.js';
import type { Likelihood, PhysicsName, Task } from '../model/spec.js';
import { TASKS } from '../model/spec.js';
import type { SplitBy } from './split.js';
import type { WeightingName, WeightingOptions } from './weighting/index.js';

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
  /** Epochs without validation improvement before stopping. */
  patience: number;
  seed: number;
  split_by: SplitBy;
  val_fraction: number;
  test_fraction: number;
  min_valid_fraction: number;
  augment: boolean;
  architecture: { stem_width: number; stem_stride?: 1 | 2; stage_widths: number[]; blocks_per_stage: number; hidden: number };
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
  seed: shipped.seed,
  split_by: shipped.split,
  val_fraction: 0.15,
  test_fraction: 0.2,
  min_valid_fraction: 0.5,
  augment: true,
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
