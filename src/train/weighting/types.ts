/**
 * A weighting strategy turns the vector of task losses into one training loss and says
 * which weights it applied (logged per step). State is explicit: epoch and loss history
 * arrive in the StepContext; strategies with learned parameters register them in the
 * model's ParamStore so they train (and are saved) with the network.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ParamStore } from '../../model/params.js';
import type { Task } from '../../model/spec.js';
import type { TaskLosses } from '../losses.js';

export type WeightingName = 'equal' | 'fixed' | 'uncertainty' | 'dwa' | 'gradnorm';
export type TaskNumbers = Partial<Record<Task, number>>;

export interface StepContext {
  epoch: number;
  step: number;
  /** Mean unweighted loss per task of each finished epoch, oldest first. */
  history: readonly TaskNumbers[];
  /** Lowest value each task's loss can take (NLLs with a learned variance can be negative). */
  lossFloor: Readonly<Record<Task, number>>;
}

export interface Combined {
  total: tf.Scalar;
  /** The weight each task's loss was multiplied by in this step. */
  weights: TaskNumbers;
  /** σ_t = exp(s_t / 2) for strategies that learn task uncertainty. */
  sigmas?: TaskNumbers;
}

export interface WeightingStrategy {
  readonly name: WeightingName;
  readonly tasks: readonly Task[];
  /** Registers learned parameters; only `uncertainty` learns some (its log σ² per task). */
  declare(store: ParamStore): void;
  combine(losses: TaskLosses, ctx: StepContext, store: ParamStore): Combined;
  /** GradNorm: the trainer computes ‖∇_W L_t‖ on the last shared layer and reports it here. */
  readonly needsSharedGradNorms?: boolean;
  observe?(obs: { losses: TaskNumbers; sharedGradNorms: TaskNumbers; ctx: StepContext }): void;
}

/** Options every strategy may read; each documents its own defaults. */
export interface WeightingOptions {
  /** `fixed`: one weight per task. */
  fixed?: TaskNumbers;
  /** `dwa`: temperature T (default 2). */
  temperature?: number;
  /** `gradnorm`: restoring-force strength α (default 1.5) and weight learning rate (default 0.025). */
  alpha?: number;
  weightLr?: number;
}
