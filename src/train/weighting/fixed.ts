/** `fixed`: L = Σ_t w_t L_t with w_t from the config (`weighting_options.fixed`). */
import type { Task } from '../../model/spec.js';
import { weightedSum } from './equal.js';
import type { WeightingOptions, WeightingStrategy } from './types.js';

export function fixedWeighting(tasks: readonly Task[], options: WeightingOptions): WeightingStrategy {
  const given = options.fixed ?? {};
  const weights: Partial<Record<Task, number>> = {};
  for (const t of tasks) {
    const w = given[t];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new Error(`weighting 'fixed' needs a non-negative weight for task '${t}' (config weighting_options.fixed.${t})`);
    }
    weights[t] = w;
  }
  return {
    name: 'fixed',
    tasks,
    declare: () => undefined,
    combine: (losses) => ({ total: weightedSum(losses, weights, tasks), weights: { ...weights } }),
  };
}
