/**
 * Fusion and heads. Aux inputs (capacity, fuel, weather, clouds) pass a small dense layer
 * and join the pooled trunk features; one shared hidden layer feeds three heads: the
 * activity logit, and for generation and CO2 a raw mean and a raw log-variance each. What
 * the raw means become (free regression or physics) is the physics mode's business.
 *
 * With `trunkTasks: 'activity'` the generation and CO₂ heads get a hidden layer of their own
 * that reads the trunk's features through stopGradient: the trunk and the activity path learn
 * from the activity loss alone, the regression heads still see what the trunk found.
 */
import * as tf from '@tensorflow/tfjs';
import type { ParamStore } from './params.js';
import type { ModelSpec, TrunkTasks } from './spec.js';
import { stopGradient } from './stopGradient.js';

export interface RawHeads {
  activityLogit: tf.Tensor1D;
  generationRaw: tf.Tensor1D;
  generationLogVar: tf.Tensor1D;
  co2Raw: tf.Tensor1D;
  co2LogVar: tf.Tensor1D;
}

const AUX_WIDTH = 16;
/** Log-variances are bounded to (−6, 6) in target-scale units so a perfectly fit sample cannot drive the loss to −∞. */
const LOGVAR_BOUND = 6;

function dense(store: ParamStore, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, store.get(`${name}/w`) as unknown as tf.Tensor2D), store.get(`${name}/b`));
}

function declareDense(store: ParamStore, name: string, inF: number, outF: number, small = false): void {
  if (small) store.small(`${name}/w`, [inF, outF], 0.01);
  else store.heNormal(`${name}/w`, [inF, outF]);
  store.constant(`${name}/b`, [outF], 0);
}

export function declareHeads(store: ParamStore, spec: ModelSpec, trunkFeatures: number): void {
  declareDense(store, 'fusion/aux', spec.auxFeatures, AUX_WIDTH);
  declareDense(store, 'fusion/hidden', trunkFeatures + AUX_WIDTH, spec.hidden);
  if (spec.trunkTasks === 'activity') declareDense(store, REGRESSION_HIDDEN, trunkFeatures + AUX_WIDTH, spec.hidden);
  declareDense(store, 'head/activity', spec.hidden, 1, true);
  declareDense(store, 'head/generation', spec.hidden, 2, true);
  declareDense(store, 'head/co2', spec.hidden, 2, true);
}

/** The last shared layer (GradNorm balances gradient norms on it). */
export const LAST_SHARED_PARAM = 'fusion/hidden/w';
/** The regression heads' own hidden layer (trunkTasks `activity` only). */
const REGRESSION_HIDDEN = 'fusion/regression';

export function headsForward(store: ParamStore, features: tf.Tensor2D, aux: tf.Tensor2D, trunkTasks: TrunkTasks = 'all'): RawHeads {
  const a = tf.relu(dense(store, 'fusion/aux', aux));
  const h = tf.relu(dense(store, 'fusion/hidden', tf.concat([features, a], 1)));
  const hRegression = trunkTasks === 'activity' ? tf.relu(dense(store, REGRESSION_HIDDEN, tf.concat([stopGradient(features), a], 1))) : h;
  const act = dense(store, 'head/activity', h);
  const gen = dense(store, 'head/generation', hRegression);
  const co2 = dense(store, 'head/co2', hRegression);
  const col = (t: tf.Tensor2D, i: number): tf.Tensor1D => tf.squeeze(tf.slice(t, [0, i], [-1, 1]), [1]) as tf.Tensor1D;
  const bound = (t: tf.Tensor1D): tf.Tensor1D => tf.mul(tf.tanh(tf.div(t, LOGVAR_BOUND)), LOGVAR_BOUND);
  return {
    activityLogit: col(act, 0),
    generationRaw: col(gen, 0),
    generationLogVar: bound(col(gen, 1)),
    co2Raw: col(co2, 0),
    co2LogVar: bound(col(co2, 1)),
  };
}
