/**
 * `dwa`: Dynamic Weight Average (Liu, Johns & Davison, "End-to-End Multi-Task Learning
 * with Attention", CVPR 2019). w_k(t) = K·exp(r_k(t−1)/T) / Σ_i exp(r_i(t−1)/T),
 * r_k(t−1) = L_k(t−1) / L_k(t−2), from per-epoch mean losses; weights are 1 for the first
 * two epochs. Option: temperature T (default 2). Our NLLs can be negative, so ratios are
 * taken of each loss above its lower bound (ctx.lossFloor).
 */
import type { Task } from '../../model/spec.js';
import { weightedSum } from './equal.js';
import type { StepContext, WeightingOptions, WeightingStrategy } from './types.js';

export const DWA_DEFAULT_TEMPERATURE = 2;

export function dwaWeights(tasks: readonly Task[], ctx: StepContext, temperature: number): Partial<Record<Task, number>> {
  const h = ctx.history;
  const out: Partial<Record<Task, number>> = {};
  if (h.length < 2) {
    for (const t of tasks) out[t] = 1;
    return out;
  }
  const prev = h[h.length - 1]!;
  const prev2 = h[h.length - 2]!;
  const ratio = (t: Task): number => {
    const a = (prev[t] ?? 0) - ctx.lossFloor[t];
    const b = (prev2[t] ?? 0) - ctx.lossFloor[t];
    return b > 1e-12 ? a / b : 1;
  };
  const e = tasks.map((t) => Math.exp(ratio(t) / temperature));
  const z = e.reduce((a, b) => a + b, 0);
  tasks.forEach((t, i) => (out[t] = (tasks.length * e[i]!) / z));
  return out;
}

export function dwaWeighting(tasks: readonly Task[], options: WeightingOptions): WeightingStrategy {
  const T = options.temperature ?? DWA_DEFAULT_TEMPERATURE;
  return {
    name: 'dwa',
    tasks,
    declare: () => undefined,
    combine: (losses, ctx) => {
      const weights = dwaWeights(tasks, ctx, T);
      return { total: weightedSum(losses, weights, tasks), weights };
    },
  };
}
