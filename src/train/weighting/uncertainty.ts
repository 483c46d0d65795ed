/**
 * `uncertainty`: task uncertainty weighting (Kendall, Gal & Cipolla, "Multi-Task Learning
 * Using Uncertainty to Weigh Losses", CVPR 2018), each task in the form of its kind.
 *
 * - Classification (activity): a learned homoscedastic s_t = log σ_t², term
 *   exp(−s_t)·L_t + ½·s_t, s_t starting at 0 (σ = 1, the equal-weight point).
 * - Regression (generation, CO₂): co2sat's regression heads predict a per-sample log-variance
 *   s_i and their loss is already the Gaussian (or Laplace) negative log-likelihood
 *   ½·exp(−s_i)·r² + ½·s_i: the heteroscedastic form of the same weighting, in which each
 *   sample's σ_i weighs its residual. A homoscedastic σ_t on top would count the same
 *   uncertainty twice (σ_t only shifts every s_i, which the head's bias already can), and it
 *   is not even well posed: Kendall's ½·exp(−s_t)·L_t + ½·s_t has its optimum at s_t = log L_t,
 *   which does not exist once the NLL is negative (a head that fits well). Measured on the
 *   150-plant fleet world (seed 0): σ_generation fell 0.90 → 0.01 and σ_CO₂ 0.68 → 0.004 in 9
 *   epochs, multiplying those losses' gradients by ~5000 and leaving the image unlearnt. So
 *   regression tasks enter with weight 1 (their NLL), and only classification learns σ_t.
 * (LibMTL's UW uses one form for every task; it has no heteroscedastic heads.)
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
  const learned = tasks.filter((t) => taskKind(t) === 'classification');
  return {
    name: 'uncertainty',
    tasks,
    declare: (store: ParamStore) => {
      for (const t of learned) if (!store.has(logVarParam(t))) store.constant(logVarParam(t), [], 0);
    },
    combine: (losses, _ctx, store) => {
      const terms: tf.Scalar[] = [];
      const weights: Partial<Record<Task, number>> = {};
      const sigmas: Partial<Record<Task, number>> = {};
      for (const t of tasks) {
        const loss = losses[t];
        if (taskKind(t) === 'regression') {
          // The heteroscedastic NLL is its own uncertainty weighting (see above).
          weights[t] = 1;
          if (loss) terms.push(loss);
          continue;
        }
        const s = store.get(logVarParam(t)) as unknown as tf.Scalar;
        const sv = s.dataSync()[0]!;
        weights[t] = Math.exp(-sv);
        sigmas[t] = Math.exp(sv / 2);
        if (loss) terms.push(uncertaintyTerm(loss, s, 'classification'));
      }
      return { total: (terms.length > 0 ? tf.addN(terms) : tf.scalar(0)) as tf.Scalar, weights, sigmas };
    },
  };
}
