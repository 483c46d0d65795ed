/**
 * One optimisation step: forward, masked task losses, the weighting strategy's combination,
 * the physics penalty, backward, update. Returns the numbers the progress bar and history
 * log. GradNorm additionally gets ‖∇_W L_t‖ on the last shared layer, one extra backward
 * pass per task.
 */
import { optionText } from '../errors.js';
import * as tf from '@tensorflow/tfjs';
import { LAST_SHARED_PARAM } from '../model/heads.js';
import type { NetworkInputs, Network } from '../model/network.js';
import type { Likelihood, Task } from '../model/spec.js';
import { taskLosses, type TaskTargets } from './losses.js';
import type { StepContext, TaskNumbers, WeightingStrategy } from './weighting/index.js';

export class TrainingDivergedError extends Error {
  override readonly name = 'TrainingDivergedError';
}

export interface StepResult {
  total: number;
  losses: TaskNumbers;
  weights: TaskNumbers;
  sigmas: TaskNumbers | null;
  penalty: number;
}

/** What a step needs of its optimiser: tf.Optimizer and the fused Adam (train/optimizer) both fit. */
export type StepOptimizer = Pick<tf.Optimizer, 'applyGradients'>;

export interface StepSetup {
  net: Network;
  weighting: WeightingStrategy;
  optimizer: StepOptimizer;
  tasks: readonly Task[];
  likelihood: Likelihood;
}

/** Throws TrainingDivergedError when the step's loss is not finite. */
export function assertFinite(total: number, losses: TaskNumbers, tasks: readonly Task[], ctx: StepContext): void {
  if (Number.isFinite(total) && Object.values(losses).every((v) => Number.isFinite(v))) return;
  const parts = tasks.map((t) => `${t}=${losses[t]}`).join(', ');
  throw new TrainingDivergedError(`training loss became ${total} at epoch ${ctx.epoch + 1}, step ${ctx.step + 1} (${parts}); try a lower ${optionText('lr')} or check the labels`);
}

export function trainStep(s: StepSetup, inputs: NetworkInputs, y: TaskTargets, ctx: StepContext): StepResult {
  const losses: TaskNumbers = {};
  let weights: TaskNumbers = {};
  let sigmas: TaskNumbers | null = null;
  let penalty = 0;
  const vars = s.net.store.list();
  const { value, grads } = tf.variableGrads(() => {
    const out = s.net.forward(inputs);
    const tl = taskLosses(out, y, s.tasks, s.likelihood, inputs.physics.scales);
    for (const t of s.tasks) losses[t] = tl[t]!.dataSync()[0]!;
    const c = s.weighting.combine(tl, ctx, s.net.store);
    weights = c.weights;
    sigmas = c.sigmas ?? null;
    const p = s.net.physics.penalty(out, inputs.physics);
    if (p) penalty = p.dataSync()[0]!;
    return p ? (tf.add(c.total, p) as tf.Scalar) : c.total;
  }, vars);
  const total = value.dataSync()[0]!;
  value.dispose();
  try {
    assertFinite(total, losses, s.tasks, ctx);
  } catch (err) {
    Object.values(grads).forEach((g) => g.dispose());
    throw err;
  }
  s.optimizer.applyGradients(grads);
  Object.values(grads).forEach((g) => g.dispose());
  if (s.weighting.needsSharedGradNorms && s.weighting.observe) {
    const shared = s.net.store.get(LAST_SHARED_PARAM);
    const norms: TaskNumbers = {};
    for (const t of s.tasks) {
      const g = tf.variableGrads(() => taskLosses(s.net.forward(inputs), y, [t], s.likelihood, inputs.physics.scales)[t]!, [shared]);
      const gw = g.grads[shared.name];
      norms[t] = gw ? tf.tidy(() => tf.norm(gw).dataSync()[0]!) : 0;
      g.value.dispose();
      Object.values(g.grads).forEach((x) => x.dispose());
    }
    s.weighting.observe({ losses, sharedGradNorms: norms, ctx });
  }
  return { total, losses, weights, sigmas, penalty };
}
