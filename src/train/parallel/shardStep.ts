/**
 * One shard's share of a training step, for data-parallel training: the loss whose
 * gradients, summed over the shards of a batch, equal the whole batch's gradient.
 *
 * - Task losses: each shard's masked mean divides by the WHOLE batch's label count per task
 *   (losses.ts ShardNorm), so Σ_shards L_t = L_t of the batch even when labels are missing
 *   unevenly across shards.
 * - Weighting: every strategy's combination is affine in the task losses (Σ_t w_t·L_t plus a
 *   term R of its own parameters, e.g. uncertainty's ½·s_t), with w_t set by parameters and
 *   the step context only. So shard 0 adds combine(L_shard) and the others
 *   combine(L_shard) − combine(0), which counts R once and keeps its gradient exact.
 * - Physics penalty: a sum of batch means, so each shard's is scaled by its share of the batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { Network, NetworkInputs } from '../../model/network.js';
import type { Likelihood, Task } from '../../model/spec.js';
import { taskLosses, type ShardNorm, type TaskLosses, type TaskTargets } from '../losses.js';
import type { StepContext, TaskNumbers, WeightingStrategy } from '../weighting/index.js';

export interface ShardPlan extends ShardNorm {
  /** Samples in the whole batch. */
  batchSize: number;
  /** True for the batch's first shard (it carries the weighting's own terms). */
  first: boolean;
}

export interface ShardOutcome {
  /** This shard's share of the step's total loss (the shares add up to it). */
  total: number;
  /** This shard's share of each task's loss. */
  losses: TaskNumbers;
  penalty: number;
  weights: TaskNumbers;
  sigmas: TaskNumbers | null;
}

export function shardGradients(
  s: { net: Network; weighting: WeightingStrategy; tasks: readonly Task[]; likelihood: Likelihood },
  inputs: NetworkInputs,
  y: TaskTargets,
  plan: ShardPlan,
  ctx: StepContext,
): { outcome: ShardOutcome; grads: tf.NamedTensorMap } {
  const losses: TaskNumbers = {};
  let weights: TaskNumbers = {};
  let sigmas: TaskNumbers | null = null;
  let penalty = 0;
  const shardSize = inputs.images.shape[0];
  const { value, grads } = tf.variableGrads(() => {
    const out = s.net.forward(inputs);
    const tl = taskLosses(out, y, s.tasks, s.likelihood, inputs.physics.scales, plan);
    for (const t of s.tasks) losses[t] = tl[t]!.dataSync()[0]!;
    const c = s.weighting.combine(tl, ctx, s.net.store);
    weights = c.weights;
    sigmas = c.sigmas ?? null;
    let total: tf.Scalar = c.total;
    if (!plan.first) {
      const zeros: TaskLosses = Object.fromEntries(s.tasks.map((t) => [t, tf.scalar(0)]));
      total = tf.sub(total, s.weighting.combine(zeros, ctx, s.net.store).total);
    }
    const p = s.net.physics.penalty(out, inputs.physics);
    if (p) {
      const share = tf.mul(p, shardSize / plan.batchSize) as tf.Scalar;
      penalty = share.dataSync()[0]!;
      total = tf.add(total, share);
    }
    return total;
  }, s.net.store.list());
  const total = value.dataSync()[0]!;
  value.dispose();
  return { outcome: { total, losses, penalty, weights, sigmas }, grads };
}
