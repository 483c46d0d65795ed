/** Label tensors and masks (δ) for a batch; missing labels get a finite placeholder of 0. */
import * as tf from '@tensorflow/tfjs';
import type { TaskTargets } from './losses.js';
import type { Truth } from './metrics.js';

export function makeTargets(truths: readonly Truth[]): TaskTargets {
  const col = (f: (t: Truth) => number | null): [tf.Tensor1D, tf.Tensor1D] => {
    const v = truths.map(f);
    return [tf.tensor1d(v.map((x) => x ?? 0)), tf.tensor1d(v.map((x) => (x === null ? 0 : 1)))];
  };
  const [active, activeMask] = col((t) => (t.active === null ? null : t.active ? 1 : 0));
  const [generationMW, generationMask] = col((t) => t.generation_mw);
  const [co2TPerH, co2Mask] = col((t) => t.co2_t_per_h);
  return { active, activeMask, generationMW, generationMask, co2TPerH, co2Mask };
}

export function disposeTargets(t: TaskTargets): void {
  for (const x of Object.values(t)) x.dispose();
}
