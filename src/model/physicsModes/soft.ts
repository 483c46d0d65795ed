/**
 * `soft`: free heads plus penalties that pull predictions towards the physics without
 * forcing it: CO2 ≠ EF(fuel) × generation, generation above capacity, and generation
 * while P(on) is low. Each term is a mean square in target-scale units, times λ.
 */
import * as tf from '@tensorflow/tfjs';
import { freeOutputs } from './none.js';
import type { PhysicsMode } from './types.js';

/** Penalty weights; defaults chosen so penalties are comparable to a unit-variance NLL. */
export interface SoftPhysicsOptions {
  consistency: number;
  capacity: number;
  offGeneration: number;
}
export const SOFT_DEFAULTS: SoftPhysicsOptions = { consistency: 0.5, capacity: 0.5, offGeneration: 0.5 };

export function softPhysics(options: Partial<SoftPhysicsOptions> = {}): PhysicsMode {
  const o = { ...SOFT_DEFAULTS, ...options };
  return {
    name: 'soft',
    declare: () => undefined,
    compose: (raw, batch) => freeOutputs(raw, batch),
    penalty: (out, batch) =>
      tf.tidy(() => {
        const { generation: g, co2: c } = batch.scales;
        const consistency = tf.mean(tf.square(tf.div(tf.sub(out.co2TPerH, tf.mul(batch.efTPerMWh, out.generationMW)), c.std)));
        const over = tf.mean(tf.square(tf.div(tf.relu(tf.sub(out.generationMW, batch.capacityMW)), g.std)));
        const pOff = tf.sub(1, tf.sigmoid(out.activityLogit));
        const off = tf.mean(tf.mul(pOff, tf.square(tf.div(tf.relu(out.generationMW), g.std))));
        return tf.addN([tf.mul(consistency, o.consistency), tf.mul(over, o.capacity), tf.mul(off, o.offGeneration)]) as tf.Scalar;
      }),
  };
}
