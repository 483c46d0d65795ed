/**
 * The trainer module each data-parallel worker imports (src/backend/parallel/trainPool.ts):
 * builds the same network as the main thread from its spec, seed and weighting, registers
 * co2sat's wasm gradient kernels as the main thread does, and per step loads the shared
 * parameters, runs its shard (shardStep.ts) and writes the shard's flat gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { registerWasmGradients } from '../../backend/index.js';
import type { InputContext } from '../../model/inputs.js';
import { disposeInputs, makeInputs } from '../../model/inputs.js';
import { Network } from '../../model/network.js';
import type { Likelihood, ModelSpec, Task } from '../../model/spec.js';
import { FlatParams } from '../optimizer/flatParams.js';
import type { TrainSample } from '../prepare.js';
import { disposeTargets, makeTargets } from '../targets.js';
import { createWeighting, type StepContext, type WeightingName, type WeightingOptions } from '../weighting/index.js';
import { shardGradients, type ShardOutcome, type ShardPlan } from './shardStep.js';
import { DenseImage } from '../../model/patchImage.js';

export interface ShardWorkerInit {
  spec: ModelSpec;
  seed: number;
  tasks: Task[];
  likelihood: Likelihood;
  weighting: WeightingName;
  weightingOptions: WeightingOptions;
  ctx: InputContext;
  /** The main thread's parameter names in layout order (checked against the worker's network). */
  paramNames: string[];
  /** Shared memory holding each worker's shard images (slot i at i × slotFloats), written by the main thread before each step. */
  images: SharedArrayBuffer;
  slotFloats: number;
}

/** What the main thread sends per step (structured clone). */
export interface ShardMessage {
  /** The shard's samples without their images, which wait in image slot `slot`, in this order. */
  samples: Pick<TrainSample, 'aux' | 'truth'>[];
  slot: number;
  plan: ShardPlan;
  ctx: StepContext;
}

export interface ShardTrainer {
  size: number;
  setParams(flat: Float32Array): void;
  step(message: ShardMessage, gradsOut: Float32Array): ShardOutcome;
}

export async function createTrainer(_tf: unknown, init: ShardWorkerInit): Promise<ShardTrainer> {
  if (tf.getBackend() === 'wasm') registerWasmGradients(tf);
  const net = new Network(init.spec, init.seed);
  const weighting = createWeighting(init.weighting, init.tasks, init.weightingOptions);
  weighting.declare(net.store);
  const names = net.store.names();
  if (names.join('\n') !== init.paramNames.join('\n')) throw new Error(`the worker's network has other parameters than the main thread's (${names.length} vs ${init.paramNames.length})`);
  const layout = new FlatParams(net.store.list());
  const setup = { net, weighting, tasks: init.tasks, likelihood: init.likelihood };
  const images = new Float32Array(init.images);
  const pixels = init.ctx.patchSize * init.ctx.patchSize * init.ctx.channels;
  return {
    size: layout.size,
    setParams: (flat) => layout.write(flat),
    step: (message, gradsOut) => {
      const base = message.slot * init.slotFloats;
      const samples = message.samples.map((x, k) => ({ ...x, image: new DenseImage(images.subarray(base + k * pixels, base + (k + 1) * pixels), init.ctx.patchSize, init.ctx.channels) }));
      const inputs = makeInputs(samples, init.ctx);
      const y = makeTargets(message.samples.map((x) => x.truth));
      try {
        const { outcome, grads } = shardGradients(setup, inputs, y, message.plan, message.ctx);
        layout.gather(grads, gradsOut);
        Object.values(grads).forEach((g) => g.dispose());
        return outcome;
      } finally {
        disposeInputs(inputs);
        disposeTargets(y);
      }
    },
  };
}
