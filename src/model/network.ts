/**
 * The whole network: trunk → fusion + heads → physics mode. Built from a ModelSpec alone,
 * so model.json can rebuild it exactly; its ParamStore holds every learned value.
 */
import * as tf from '@tensorflow/tfjs';
import { declareHeads, headsForward, type RawHeads } from './heads.js';
import { ParamStore } from './params.js';
import { type EmissionFactors } from './physics.js';
import { FUELS, type Fuel } from '../records/sites.js';
import { createPhysics, type ModelOutputs, type PhysicsBatch, type PhysicsMode, type TargetScales } from './physicsModes/index.js';
import type { ModelSpec } from './spec.js';
import { stopGradient } from './stopGradient.js';
import { declareTrunk, trunkForward } from './trunk.js';

export interface NetworkInputs {
  /** [B, H, W, C] normalised patches. */
  images: tf.Tensor4D;
  /** [B, AUX_FEATURES] aux vectors (features.ts). */
  aux: tf.Tensor2D;
  physics: PhysicsBatch;
}

export class Network {
  readonly store: ParamStore;
  readonly physics: PhysicsMode;

  constructor(
    readonly spec: ModelSpec,
    seed: number,
  ) {
    this.store = new ParamStore(seed);
    this.physics = createPhysics(spec.physics);
    const features = declareTrunk(this.store, spec);
    declareHeads(this.store, spec, features);
    this.physics.declare(this.store);
  }

  raw(inputs: NetworkInputs): RawHeads {
    return headsForward(this.store, trunkForward(this.store, this.spec, inputs.images), inputs.aux, this.spec.trunkTasks ?? 'all');
  }

  forward(inputs: NetworkInputs): ModelOutputs {
    const raw = this.raw(inputs);
    if (this.spec.trunkTasks !== 'activity') return this.physics.compose(raw, inputs.physics, this.store);
    // Physics that gates generation by P(on) reads the activity logit without training it, so
    // the regression losses reach neither the activity head nor, through it, the trunk.
    const out = this.physics.compose({ ...raw, activityLogit: stopGradient(raw.activityLogit) }, inputs.physics, this.store);
    return { ...out, activityLogit: raw.activityLogit };
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** Builds the per-sample physics tensors (capacity, EF, fuel one-hot) for a batch. */
export function makePhysicsBatch(
  plants: readonly { fuel: Fuel; capacity_mw: number }[],
  efs: EmissionFactors,
  scales: TargetScales,
): PhysicsBatch {
  const oneHot = new Float32Array(plants.length * FUELS.length);
  plants.forEach((p, i) => (oneHot[i * FUELS.length + FUELS.indexOf(p.fuel)] = 1));
  return {
    capacityMW: tf.tensor1d(plants.map((p) => p.capacity_mw)),
    efTPerMWh: tf.tensor1d(plants.map((p) => efs[p.fuel].median)),
    fuelOneHot: tf.tensor2d(oneHot, [plants.length, FUELS.length]),
    scales,
  };
}

export function disposePhysicsBatch(b: PhysicsBatch): void {
  b.capacityMW.dispose();
  b.efTPerMWh.dispose();
  b.fuelOneHot.dispose();
}
