/**
 * The training optimiser: Adam over all of a network's variables as one fused update on a
 * flat vector (flatAdam.ts), behind the `applyGradients(grads)` call tf.Optimizer also has.
 * Each step reads the variables' current values (so a restored checkpoint is never
 * overwritten by a stale copy), updates them in one pass, and assigns them back.
 */
import type * as tf from '@tensorflow/tfjs';
import { FlatAdam } from './flatAdam.js';
import { FlatParams } from './flatParams.js';

export class FusedAdam {
  readonly layout: FlatParams;
  private readonly adam: FlatAdam;
  private readonly params: Float32Array;
  private readonly grads: Float32Array;

  constructor(vars: readonly tf.Variable[], learningRate: number) {
    this.layout = new FlatParams(vars);
    this.adam = new FlatAdam(this.layout.size, { learningRate });
    this.params = new Float32Array(this.layout.size);
    this.grads = new Float32Array(this.layout.size);
  }

  get learningRate(): number {
    return this.adam.learningRate;
  }

  set learningRate(value: number) {
    this.adam.learningRate = value;
  }

  /** One Adam step from gradients keyed by variable name (not disposed here). */
  applyGradients(grads: tf.NamedTensorMap): void {
    this.layout.read(this.params);
    this.layout.gather(grads, this.grads);
    this.adam.update(this.params, this.grads);
    this.layout.write(this.params);
  }

  /** Nothing to free (the moments are plain arrays); kept so callers treat it like tf.Optimizer. */
  dispose(): void {}
}
