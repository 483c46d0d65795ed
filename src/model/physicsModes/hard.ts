/**
 * `hard`: the physics is the model. generation = P(on) × sigmoid(CF logit) × capacity, so
 * it is never negative, never above capacity and exactly 0 when P(on) = 0; CO2 = EF(fuel)
 * × generation × exp(c_fuel), where c_fuel = 0.1·tanh(θ_fuel) is a small learned per-fuel
 * correction (at most ±10 %) for the gap between the table's median EF and the plants seen.
 */
import * as tf from '@tensorflow/tfjs';
import type { ParamStore } from '../params.js';
import type { PhysicsMode } from './types.js';

export const FUEL_CORRECTION_PARAM = 'physics/fuel_correction';
/** Largest log-correction of a fuel's emission factor. */
export const MAX_FUEL_LOG_CORRECTION = 0.1;

/** Tensor form of generation = P(on) × CF × capacity (MW). */
export function hardGenerationMW(pOn: tf.Tensor1D, capacityFactor: tf.Tensor1D, capacityMW: tf.Tensor1D): tf.Tensor1D {
  return tf.mul(tf.mul(pOn, capacityFactor), capacityMW);
}

/** Tensor form of CO2 = EF × generation × per-fuel correction (t/h). */
export function hardCo2TPerH(efTPerMWh: tf.Tensor1D, generationMW: tf.Tensor1D, correction: tf.Tensor1D): tf.Tensor1D {
  return tf.mul(tf.mul(efTPerMWh, generationMW), correction);
}

/** The per-sample EF correction factor exp(c_fuel) for a [B, 4] fuel one-hot. */
export function fuelCorrection(store: ParamStore, fuelOneHot: tf.Tensor2D): tf.Tensor1D {
  const c = tf.mul(tf.tanh(store.get(FUEL_CORRECTION_PARAM)), MAX_FUEL_LOG_CORRECTION);
  return tf.exp(tf.sum(tf.mul(fuelOneHot, c), 1)) as tf.Tensor1D;
}

export const hardPhysics: PhysicsMode = {
  name: 'hard',
  declare: (store) => {
    store.constant(FUEL_CORRECTION_PARAM, [4], 0);
  },
  compose: (raw, batch, store) => {
    const generationMW = hardGenerationMW(tf.sigmoid(raw.activityLogit), tf.sigmoid(raw.generationRaw), batch.capacityMW);
    return {
      activityLogit: raw.activityLogit,
      generationMW,
      generationLogVar: raw.generationLogVar,
      co2TPerH: hardCo2TPerH(batch.efTPerMWh, generationMW, fuelCorrection(store, batch.fuelOneHot)),
      co2LogVar: raw.co2LogVar,
    };
  },
  penalty: () => null,
};
