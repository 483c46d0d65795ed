/**
 * Masked per-task losses. With δ_{t,i} = 1 where sample i has a label for task t,
 * L_t = Σ_i δ_{t,i} ℓ_t(i) / Σ_i δ_{t,i} (domain.md). Missing labels are filled with a
 * finite placeholder before ℓ is computed and then multiplied by δ = 0, so they add exactly
 * zero to the loss and to every gradient (a NaN placeholder would poison the gradient as
 * 0 × NaN). A sample with only an activity label still trains the trunk through that head.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelOutputs, TargetScales } from '../model/physicsModes/index.js';
import type { Likelihood, Task } from '../model/spec.js';

export interface TaskTargets {
  /** 1 = on, 0 = off (placeholder 0 where missing). */
  active: tf.Tensor1D;
  activeMask: tf.Tensor1D;
  generationMW: tf.Tensor1D;
  generationMask: tf.Tensor1D;
  co2TPerH: tf.Tensor1D;
  co2Mask: tf.Tensor1D;
}

export type TaskLosses = Partial<Record<Task, tf.Scalar>>;

/**
 * Σ δ·ℓ / max(Σ δ, 1): a batch with no label for the task contributes exactly 0. With
 * `labelCount` (a shard of a larger batch, see ShardNorm) the divisor is the whole batch's
 * count instead, so the shards' losses add up to the batch's.
 */
export function maskedMean(perSample: tf.Tensor1D, mask: tf.Tensor1D, labelCount?: number): tf.Scalar {
  const total = tf.sum(tf.mul(perSample, mask));
  return tf.div(total, labelCount === undefined ? tf.maximum(tf.sum(mask), 1) : Math.max(labelCount, 1)) as tf.Scalar;
}

/**
 * When a batch is split over workers (src/train/parallel), each shard's masked mean divides
 * by the WHOLE batch's label count per task, so Σ_shards L_t(shard) = L_t(batch) and the
 * shards' gradients sum to the batch's gradient.
 */
export interface ShardNorm {
  labelCounts: Record<Task, number>;
}

/** Gaussian NLL with s = log σ²: ½·exp(−s)·r² + ½·s (constant dropped). */
export function gaussianNll(residual: tf.Tensor1D, logVar: tf.Tensor1D): tf.Tensor1D {
  return tf.add(tf.mul(tf.mul(tf.exp(tf.neg(logVar)), tf.square(residual)), 0.5), tf.mul(logVar, 0.5));
}

/** Laplace NLL with s = log b: exp(−s)·|r| + s (constant dropped). */
export function laplaceNll(residual: tf.Tensor1D, logScale: tf.Tensor1D): tf.Tensor1D {
  return tf.add(tf.mul(tf.exp(tf.neg(logScale)), tf.abs(residual)), logScale);
}

/** Numerically stable binary cross-entropy from logits. */
export function bceWithLogits(logits: tf.Tensor1D, labels: tf.Tensor1D): tf.Tensor1D {
  // max(x, 0) − x·y + log(1 + exp(−|x|))
  return tf.add(tf.sub(tf.relu(logits), tf.mul(logits, labels)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
}

/** Lowest value each task's loss can reach (log-variances are bounded to ±6 in heads.ts). */
export function lossFloor(likelihood: Likelihood): Record<Task, number> {
  const reg = likelihood === 'gaussian' ? -3 : -6;
  return { activity: 0, generation: reg, co2: reg };
}

/**
 * The masked loss of each requested task. Regression residuals are in target-scale units
 * (r = (y − ŷ) / std of the training targets) so tasks in MW and t/h are comparable.
 */
export function taskLosses(out: ModelOutputs, y: TaskTargets, tasks: readonly Task[], likelihood: Likelihood, scales: TargetScales, shard?: ShardNorm): TaskLosses {
  const nll = likelihood === 'gaussian' ? gaussianNll : laplaceNll;
  const losses: TaskLosses = {};
  for (const t of tasks) {
    if (t === 'activity') losses.activity = maskedMean(bceWithLogits(out.activityLogit, y.active), y.activeMask, shard?.labelCounts.activity);
    if (t === 'generation') {
      const r = tf.div(tf.sub(y.generationMW, out.generationMW), scales.generation.std) as tf.Tensor1D;
      losses.generation = maskedMean(nll(r, out.generationLogVar), y.generationMask, shard?.labelCounts.generation);
    }
    if (t === 'co2') {
      const r = tf.div(tf.sub(y.co2TPerH, out.co2TPerH), scales.co2.std) as tf.Tensor1D;
      losses.co2 = maskedMean(nll(r, out.co2LogVar), y.co2Mask, shard?.labelCounts.co2);
    }
  }
  return losses;
}
