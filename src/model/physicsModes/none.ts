/**
 * `none`: three free heads. Regression heads predict z-scores of the training targets,
 * mapped back to MW and t/h; nothing ties them to capacity, fuel or activity.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhysicsMode, ModelOutputs } from './types.js';

export function freeOutputs(raw: Parameters<PhysicsMode['compose']>[0], batch: Parameters<PhysicsMode['compose']>[1]): ModelOutputs {
  const { generation: g, co2: c } = batch.scales;
  return {
    activityLogit: raw.activityLogit,
    generationMW: tf.add(tf.mul(raw.generationRaw, g.std), g.mean),
    generationLogVar: raw.generationLogVar,
    co2TPerH: tf.add(tf.mul(raw.co2Raw, c.std), c.mean),
    co2LogVar: raw.co2LogVar,
  };
}

export const nonePhysics: PhysicsMode = {
  name: 'none',
  declare: () => undefined,
  compose: (raw, batch) => freeOutputs(raw, batch),
  penalty: () => null,
};
