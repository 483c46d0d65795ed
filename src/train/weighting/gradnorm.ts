/**
 * `gradnorm`: GradNorm (Chen, Badrinarayanan, Lee & Rabinovich, ICML 2018). Task weights
 * w_t are learned so that the gradient norms G_t = ‖∇_W w_t·L_t‖ on the last shared layer
 * W move towards Ḡ·r_t^α, where r_t is task t's loss ratio L_t/L_t(0) over its mean across
 * tasks. With ∇_W L_t held constant, ∂|G_t − target_t|/∂w_t = sign(G_t − target_t)·‖∇_W L_t‖,
 * one SGD step per training step; weights are renormalised to sum to the task count.
 * Options: α (default 1.5), weight learning rate (default 0.025). Losses are measured above
 * their lower bound (ctx.lossFloor) so ratios stay positive.
 */
import type { Task } from '../../model/spec.js';
import { weightedSum } from './equal.js';
import type { TaskNumbers, WeightingOptions, WeightingStrategy } from './types.js';

export const GRADNORM_DEFAULT_ALPHA = 1.5;
export const GRADNORM_DEFAULT_LR = 0.025;

export function gradNormWeighting(tasks: readonly Task[], options: WeightingOptions): WeightingStrategy {
  const alpha = options.alpha ?? GRADNORM_DEFAULT_ALPHA;
  const lr = options.weightLr ?? GRADNORM_DEFAULT_LR;
  const weights: Partial<Record<Task, number>> = Object.fromEntries(tasks.map((t) => [t, 1]));
  let initial: TaskNumbers | null = null;
  return {
    name: 'gradnorm',
    tasks,
    needsSharedGradNorms: true,
    declare: () => undefined,
    combine: (losses) => ({ total: weightedSum(losses, weights, tasks), weights: { ...weights } }),
    observe: ({ losses, sharedGradNorms, ctx }) => {
      const above = (t: Task): number => Math.max((losses[t] ?? 0) - ctx.lossFloor[t], 1e-8);
      if (initial === null) initial = Object.fromEntries(tasks.map((t) => [t, above(t)]));
      const rel = tasks.map((t) => above(t) / initial![t]!);
      const meanRel = rel.reduce((a, b) => a + b, 0) / tasks.length;
      const g = tasks.map((t) => weights[t]! * (sharedGradNorms[t] ?? 0));
      const gBar = g.reduce((a, b) => a + b, 0) / tasks.length;
      tasks.forEach((t, i) => {
        const target = gBar * Math.pow(rel[i]! / meanRel, alpha);
        const grad = Math.sign(g[i]! - target) * (sharedGradNorms[t] ?? 0);
        weights[t] = Math.max(weights[t]! - lr * grad, 1e-3);
      });
      const sum = tasks.reduce((a, t) => a + weights[t]!, 0);
      for (const t of tasks) weights[t] = (weights[t]! * tasks.length) / sum;
    },
  };
}
