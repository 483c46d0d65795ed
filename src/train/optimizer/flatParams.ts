/**
 * One flat Float32Array view of a list of tfjs variables: where each variable's values sit
 * (registration order, no gaps), reading values or gradients into the flat vector, and
 * writing the vector back into the variables. The fused optimiser and the data-parallel
 * trainer work on this vector; the network keeps computing with its variables.
 */
import * as tf from '@tensorflow/tfjs';

export interface FlatSlot {
  /** The variable's tfjs name (tf.variableGrads keys its gradients by it). */
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

export class FlatParams {
  readonly slots: readonly FlatSlot[];
  readonly size: number;

  constructor(readonly vars: readonly tf.Variable[]) {
    let offset = 0;
    this.slots = vars.map((v) => {
      const slot = { name: v.name, shape: [...v.shape], offset, size: v.size };
      offset += v.size;
      return slot;
    });
    this.size = offset;
  }

  /** Copies the variables' current values into `out` (a new vector by default). */
  read(out: Float32Array = new Float32Array(this.size)): Float32Array {
    this.vars.forEach((v, i) => out.set(v.dataSync() as Float32Array, this.slots[i]!.offset));
    return out;
  }

  /**
   * Copies gradients keyed by variable name into `out`; a variable without a gradient gets
   * zeros. Does not dispose the gradients.
   */
  gather(grads: tf.NamedTensorMap, out: Float32Array = new Float32Array(this.size)): Float32Array {
    for (const slot of this.slots) {
      const g = grads[slot.name];
      if (g === undefined) out.fill(0, slot.offset, slot.offset + slot.size);
      else out.set(g.dataSync() as Float32Array, slot.offset);
    }
    return out;
  }

  /** Assigns `values` (this layout) to the variables. */
  write(values: Float32Array): void {
    if (values.length !== this.size) throw new Error(`FlatParams: expected ${this.size} values, got ${values.length}`);
    this.vars.forEach((v, i) => {
      const slot = this.slots[i]!;
      const t = tf.tensor(values.subarray(slot.offset, slot.offset + slot.size), slot.shape, 'float32');
      v.assign(t);
      t.dispose();
    });
  }
}
