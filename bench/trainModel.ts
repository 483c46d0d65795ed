/**
 * The network `co2sat bench train` times, written once for tfjs here and once for PyTorch
 * in bench/train_torch.py from the same `BenchArch` JSON, so both sides run the same layers.
 * It mirrors co2sat's trunk (src/model/trunk.ts): a 3×3 stem (stride `stem_stride`), stages
 * that halve the resolution with a stride-2 3×3 conv and add residual blocks (conv–relu–conv
 * + identity, then relu), global average and max pooling concatenated, and a dense head;
 * every conv has a bias.
 *
 * Plain tf ops over a parameter list (no tf.layers), taking the tf namespace as an argument,
 * so the same code runs on any backend and inside inference workers (createPredictor).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { Tf } from '../src/backend/index.js';
import { FlatParams } from '../src/train/optimizer/flatParams.js';

export interface BenchArch {
  in_channels: number;
  stem: number;
  stem_stride: 1 | 2;
  stages: number[];
  blocks: number;
  outputs: number;
}

/** co2sat's default trunk (src/model/spec.ts DEFAULT_SPEC) on 12 bands. */
export const DEFAULT_ARCH: BenchArch = { in_channels: 12, stem: 16, stem_stride: 2, stages: [16, 32], blocks: 1, outputs: 3 };
/** A wider 3-stage trunk at full stem resolution, about the size issue 4 measured. */
export const WIDE_ARCH: BenchArch = { in_channels: 12, stem: 32, stem_stride: 1, stages: [32, 64, 128], blocks: 1, outputs: 3 };

export interface Conv {
  w: tfjs.Tensor4D;
  b: tfjs.Tensor1D;
}
export interface BenchParams {
  stem: Conv;
  stemStride: 1 | 2;
  stages: { down: Conv; blocks: { c1: Conv; c2: Conv }[] }[];
  dense: { w: tfjs.Tensor2D; b: tfjs.Tensor1D };
}

/** Deterministic He-normal-ish weights (Box–Muller over a seeded LCG), as variables or plain tensors. */
export function initParams(tf: Tf, arch: BenchArch, seed = 1, trainable = true): BenchParams {
  let state = seed >>> 0;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const normal = (n: number, std: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = std * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return a;
  };
  const wrap = <T extends tfjs.Tensor>(t: T): T => (trainable ? (tf.variable(t) as unknown as T) : t);
  const conv = (cin: number, cout: number, scale = 1): Conv => ({
    w: wrap(tf.tensor4d(normal(9 * cin * cout, scale * Math.sqrt(2 / (9 * cin))), [3, 3, cin, cout])),
    b: wrap(tf.zeros([cout]) as tfjs.Tensor1D),
  });
  const stem = conv(arch.in_channels, arch.stem);
  let c = arch.stem;
  const stages = arch.stages.map((w) => {
    const down = conv(c, w);
    c = w;
    return { down, blocks: Array.from({ length: arch.blocks }, () => ({ c1: conv(w, w), c2: conv(w, w, 0.1) })) };
  });
  const dense = {
    w: wrap(tf.tensor2d(normal(2 * c * arch.outputs, Math.sqrt(1 / (2 * c))), [2 * c, arch.outputs])),
    b: wrap(tf.zeros([arch.outputs]) as tfjs.Tensor1D),
  };
  return { stem, stemStride: arch.stem_stride, stages, dense };
}

/** A 3×3 'same' convolution; the bench swaps in other formulations (e.g. im2col). */
export type Conv3x3 = (x: tfjs.Tensor4D, w: tfjs.Tensor4D, stride: 1 | 2) => tfjs.Tensor4D;

/**
 * `conv3x3` swaps the convolution formulation; `'fused'` runs each conv with its bias and
 * relu as one `tf.fused.conv2d` (XNNPACK applies both in its output loop, and the backward
 * pass saves the separate add/relu gradients).
 */
export function forward(tf: Tf, p: BenchParams, x: tfjs.Tensor4D, conv3x3?: Conv3x3 | 'fused'): tfjs.Tensor2D {
  const c3: Conv3x3 = typeof conv3x3 === 'function' ? conv3x3 : (h, w, stride) => tf.conv2d(h, w, stride, 'same');
  const conv = (h: tfjs.Tensor4D, c: Conv, stride: 1 | 2, relu: boolean): tfjs.Tensor4D => {
    if (conv3x3 === 'fused') return tf.fused.conv2d({ x: h, filter: c.w, strides: stride, pad: 'same', bias: c.b, activation: relu ? 'relu' : 'linear' });
    const y = tf.add(c3(h, c.w, stride), c.b) as tfjs.Tensor4D;
    return relu ? tf.relu(y) : y;
  };
  let h = conv(x, p.stem, p.stemStride, true);
  for (const stage of p.stages) {
    h = conv(h, stage.down, 2, true);
    for (const blk of stage.blocks) h = tf.relu(tf.add(h, conv(conv(h, blk.c1, 1, true), blk.c2, 1, false))) as tfjs.Tensor4D;
  }
  const pooled = tf.concat([tf.mean(h, [1, 2]), tf.max(h, [1, 2])], 1) as tfjs.Tensor2D;
  return tf.add(tf.matMul(pooled, p.dense.w), p.dense.b) as tfjs.Tensor2D;
}

export function paramList(p: BenchParams): tfjs.Tensor[] {
  return [p.stem.w, p.stem.b, ...p.stages.flatMap((s) => [s.down.w, s.down.b, ...s.blocks.flatMap((b) => [b.c1.w, b.c1.b, b.c2.w, b.c2.b])]), p.dense.w, p.dense.b];
}

/** Worker entry (see src/backend/parallel): a forward pass with the same seeded weights. */
export async function createPredictor(tf: Tf, init: unknown): Promise<(x: tfjs.Tensor4D) => tfjs.Tensor> {
  const { arch, seed } = init as { arch: BenchArch; seed: number };
  const params = initParams(tf, arch, seed, false);
  return (x) => tf.tidy(() => forward(tf, params, x));
}

/**
 * What the main thread sends a training worker per step: which rows of the batch are its own.
 * The batch itself (x, y) lies in shared memory (BenchTrainerInit), as co2sat's trainer keeps
 * each worker's shard images in a shared slot (src/train/parallel/), so no pixels are posted.
 */
export interface BenchShard {
  /** First row of the shard in the shared batch. */
  start: number;
  rows: number;
  /** Rows in the whole batch: each shard's loss is its share of the batch mean. */
  batch: number;
}

export interface BenchTrainerInit {
  arch: BenchArch;
  seed: number;
  size: number;
  /** The batch's inputs, N × size × size × in_channels, and targets, N × outputs (shared memory; a plain array in-process). */
  x: SharedArrayBuffer | Float32Array;
  y: SharedArrayBuffer | Float32Array;
}

/**
 * Worker entry for data-parallel training (src/backend/parallel/trainPool.ts): the bench
 * network with the same seeded weights, its flat gradient of the shard's share of the
 * batch's MSE written into `gradsOut` in paramList order. The main thread sums the shards and
 * applies one fused Adam step, as `co2sat train --threads N` does with the real network.
 */
export async function createTrainer(
  tf: Tf,
  init: unknown,
): Promise<{ size: number; setParams: (flat: Float32Array) => void; step: (shard: BenchShard, gradsOut: Float32Array) => number }> {
  const { arch, seed, size, x: xInit, y: yInit } = init as BenchTrainerInit;
  const view = (v: SharedArrayBuffer | Float32Array): Float32Array => (v instanceof Float32Array ? v : new Float32Array(v));
  const xs = view(xInit);
  const ys = view(yInit);
  const pixels = size * size * arch.in_channels;
  const { registerWasmGradients } = await import('../src/backend/index.js');
  if (tf.getBackend() === 'wasm') registerWasmGradients(tf);
  const params = initParams(tf, arch, seed, true);
  const vars = paramList(params) as tfjs.Variable[];
  // The same flat layout co2sat's data-parallel trainer uses (src/train/optimizer/flatParams.ts).
  const layout = new FlatParams(vars);
  return {
    size: layout.size,
    setParams: (flat) => layout.write(flat),
    step: (shard, gradsOut) => {
      const x = tf.tensor4d(xs.subarray(shard.start * pixels, (shard.start + shard.rows) * pixels), [shard.rows, size, size, arch.in_channels]);
      const y = tf.tensor2d(ys.subarray(shard.start * arch.outputs, (shard.start + shard.rows) * arch.outputs), [shard.rows, arch.outputs]);
      const scale = 1 / (shard.batch * arch.outputs);
      const { value, grads } = tf.variableGrads(() => tf.mul(tf.sum(tf.square(tf.sub(forward(tf, params, x), y))), scale) as tfjs.Scalar, vars);
      for (const v of vars) if (grads[v.name] === undefined) throw new Error(`no gradient for ${v.name}`);
      layout.gather(grads, gradsOut);
      const loss = value.dataSync()[0] ?? NaN;
      tf.dispose([x, y, value, ...Object.values(grads)]);
      return loss;
    },
  };
}
