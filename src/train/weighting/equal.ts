/** `equal`: L = Σ_t L_t, every weight 1 (LibMTL's EW, whose docstring says 1/T but uses 1; we use 1). */
import * as tf from '@tensorflow/tfjs';
import type { Task } from '../../model/spec.js';
import type { WeightingStrategy } from './types.js';

export function weightedSum(losses: Partial<Record<Task, tf.Scalar>>, weights: Partial<Record<Task, number>>, tasks: readonly Task[]): tf.Scalar {
  const terms = tasks.filter((t) => losses[t]).map((t) => tf.mul(losses[t]!, weights[t] ?? 0));
  return (terms.length > 0 ? tf.addN(terms) : tf.scalar(0)) as tf.Scalar;
}

export function equalWeighting(tasks: readonly Task[]): WeightingStrategy {
  const weights = Object.fromEntries(tasks.map((t) => [t, 1]));
  return {
    name: 'equal',
    tasks,
    declare: () => undefined,
    combine: (losses) => ({ total: weightedSum(losses, weights, tasks), weights: { ...weights } }),
  };
}
