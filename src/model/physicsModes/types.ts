/**
 * A physics mode turns the network's raw head outputs into predictions in physical units
 * (MW, t/h) and may add a training penalty. Modes are strategies chosen by name
 * (`none`, `soft`, `hard`); they live in model/ rather than train/ because `hard` shapes
 * the predictions themselves and inference must apply it too.
 */
import type * as tf from '@tensorflow/tfjs';
import type { RawHeads } from '../heads.js';
import type { ParamStore } from '../params.js';
import type { PhysicsName } from '../spec.js';

/** Scales of the regression targets on the training split (loss residuals are divided by `std`). */
export interface TargetScale {
  mean: number;
  std: number;
}
export interface TargetScales {
  generation: TargetScale;
  co2: TargetScale;
}

/** Per-sample plant facts the physics needs. */
export interface PhysicsBatch {
  capacityMW: tf.Tensor1D;
  /** Emission factor of the plant's fuel (t CO2/MWh) from configs/emission-factors.json. */
  efTPerMWh: tf.Tensor1D;
  /** [B, 4] one-hot over FUELS. */
  fuelOneHot: tf.Tensor2D;
  scales: TargetScales;
}

/** Predictions in physical units; log-variances are in target-scale units (σ_MW = exp(s/2)·std). */
export interface ModelOutputs {
  activityLogit: tf.Tensor1D;
  generationMW: tf.Tensor1D;
  generationLogVar: tf.Tensor1D;
  co2TPerH: tf.Tensor1D;
  co2LogVar: tf.Tensor1D;
}

export interface PhysicsMode {
  readonly name: PhysicsName;
  /** Registers the mode's own learned parameters (e.g. per-fuel corrections). */
  declare(store: ParamStore): void;
  compose(raw: RawHeads, batch: PhysicsBatch, store: ParamStore): ModelOutputs;
  /** Extra training loss (already weighted), or null. */
  penalty(out: ModelOutputs, batch: PhysicsBatch): tf.Scalar | null;
}
