/**
 * Stacks prepared samples into the network's input tensors. Shared by training, evaluation
 * and inference so all three feed the network identically.
 */
import * as tf from '@tensorflow/tfjs';
import { writeAuxFeatures, type AuxInput, type AuxStats } from './features.js';
import { makePhysicsBatch, type NetworkInputs } from './network.js';
import type { PatchImage } from './patchImage.js';
import type { EmissionFactors } from './physics.js';
import type { TargetScales } from './physicsModes/index.js';

/** A patch's network image ([size, size, channels], normalised when written) plus its aux inputs. */
export interface PreparedSample {
  image: PatchImage;
  aux: AuxInput;
}

export interface InputContext {
  patchSize: number;
  channels: number;
  auxStats: AuxStats;
  /** Length of the model's aux vector (spec.auxFeatures: with or without the cooling inputs, features.ts). */
  auxFeatures: number;
  efs: EmissionFactors;
  scales: TargetScales;
  /**
   * Factors on the predicted σ (and 90 % half-widths) per regression task, fitted on the
   * validation split after training so its 90 % intervals cover 90 % (absent = 1).
   */
  intervalScale?: { generation: number; co2: number };
}

/**
 * One reusable array for a batch's image values, on backends that copy a tensor's values when
 * the tensor is made (wasm copies them into its heap, backend_wasm.js `move`). A fresh array
 * per batch is multi-megabyte (16 × 64² × 12 floats = 3 MiB), which V8 maps from the OS each
 * time: on the 2-core VMs we measure on, its page faults cost ≈ 5 ms against 0.06 ms to
 * refill a reused array — a seventh of a training step. Backends that may keep the caller's
 * array (cpu, tensorflow) get a fresh one.
 */
let imageScratch = new Float32Array(0);

function batchImageArray(length: number): Float32Array {
  if (tf.getBackend() !== 'wasm') return new Float32Array(length);
  if (imageScratch.length < length) imageScratch = new Float32Array(length);
  return imageScratch.subarray(0, length);
}

export function makeInputs(samples: readonly PreparedSample[], ctx: InputContext): NetworkInputs {
  const b = samples.length;
  const px = ctx.patchSize * ctx.patchSize * ctx.channels;
  const images = batchImageArray(b * px);
  const nAux = ctx.auxFeatures;
  const aux = new Float32Array(b * nAux);
  samples.forEach((s, i) => {
    if (s.image.length !== px) throw new Error(`sample ${i}: image has ${s.image.length} values, expected ${px}`);
    s.image.writeTo(images, i * px);
    writeAuxFeatures(s.aux, ctx.auxStats, aux, i * nAux, nAux);
  });
  return {
    images: tf.tensor4d(images, [b, ctx.patchSize, ctx.patchSize, ctx.channels]),
    aux: tf.tensor2d(aux, [b, nAux]),
    physics: makePhysicsBatch(
      samples.map((s) => s.aux),
      ctx.efs,
      ctx.scales,
    ),
  };
}

export function disposeInputs(x: NetworkInputs): void {
  x.images.dispose();
  x.aux.dispose();
  x.physics.capacityMW.dispose();
  x.physics.efTPerMWh.dispose();
  x.physics.fuelOneHot.dispose();
}
