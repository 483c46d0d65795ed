/**
 * `uncertainty`: homoscedastic task uncertainty (Kendall, Gal & Cipolla, "Multi-Task
 * Learning Using Uncertainty to Weigh Losses", CVPR 2018). Learns s_t = log σ_t² per task:
 * regression term ½·exp(−s_t)·L_t + ½·s_t, classification term exp(−s_t)·L_t + ½·s_t.
 * Unlike LibMTL's UW (one form for all tasks) each task gets the form of its kind.
 * s_t starts at 0 (σ = 1, the equal-weight point).
 */
import * as tf from '@tensorflow/tfjs';
import type { ParamStore } from '../../model/params.js';
import type { Task } from '../../model/spec.js';
import type { WeightingStrategy } from './types.js';

export const taskKind = (t: Task): 'classification' | 'regression' => (t === 'activity' ? 'classification' : 'regression');
export const logVarParam = (t: Task): string => `weighting/log_var/${t}`;

/** One task's Kendall term for a loss L and log-variance s. */
export function uncertaintyTerm(loss: tf.Scalar, s: tf.Scalar, kind: 'classification' | 'regression'): tf.Scalar {
  const precision = tf.exp(tf.neg(s));
  const scale = kind === 'classification' ? 1 : 0.5;
  return tf.add(tf.mul(tf.mul(precision, loss), scale), tf.mul(s, 0.5)) as tf.Scalar;
}

export function uncertaintyWeighting(tasks: readonly Task[]): WeightingStrategy {
  return {
    name: 'uncertainty',
    tasks,
    declare: (store: ParamStore) => {
      for (const t of tasks) if (!store.has(logVarParam(t))) store.constant(logVarParam(t), [], 0);
    },
    combine: (losses, _ctx, store) => {
      const terms: tf.Scalar[] = [];
      const weights: Partial<Record<Task, number>> = {};
      const sigmas: Partial<Record<Task, number>> = {};
      for (const t of tasks) {
        const s = store.get(logVarParam(t)) as unknown as tf.Scalar;
        const sv = s.dataSync()[0]!;
        weights[t] = (taskKind(t) === 'classification' ? 1 : 0.5) * Math.exp(-sv);
        sigmas[t] = Math.exp(sv / 2);
        if (losses[t]) terms.push(uncertaintyTerm(losses[t], s, taskKind(t)));
      }
      return { total: (terms.length > 0 ? tf.addN(terms) : tf.scalar(0)) as tf.Scalar, weights, sigmas };
    },
  };
}
