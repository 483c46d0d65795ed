/**
 * A small residual CNN trained a few steps on wasm (with co2sat's gradient kernels) follows
 * the same trajectory as on the cpu backend: conv2d + bias + relu, batch norm, a stride-2
 * conv, a residual add, global average pooling, a dense head and a masked loss that gathers
 * the labelled samples (its gradient scatters with UnsortedSegmentSum).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { randomArray, relativeError, seededRandom } from './gradHelpers.js';

const SHAPES: Record<string, number[]> = {
  stem: [3, 3, 3, 8],
  stemB: [8],
  down: [3, 3, 8, 12],
  downB: [12],
  c1: [3, 3, 12, 12],
  c2: [5, 5, 12, 12],
  gamma: [12],
  beta: [12],
  dense: [12, 2],
  denseB: [2],
};

function initialValues(): Record<string, Float32Array> {
  const rand = seededRandom(42);
  const out: Record<string, Float32Array> = {};
  for (const [k, s] of Object.entries(SHAPES)) {
    const a = randomArray(s.reduce((x, y) => x * y, 1), rand);
    out[k] = k === 'gamma' ? a.map((v) => 1 + 0.1 * v) : a.map((v) => 0.3 * v);
  }
  return out;
}

function forward(p: Record<string, tf.Variable>, x: tf.Tensor4D): tf.Tensor2D {
  const conv = (h: tf.Tensor4D, w: string, stride: 1 | 2) => tf.conv2d(h, p[w] as tf.Variable<tf.Rank.R4>, stride, 'same');
  let h = tf.relu(tf.add(conv(x, 'stem', 1), p['stemB']!)) as tf.Tensor4D;
  h = tf.relu(tf.add(conv(h, 'down', 2), p['downB']!)) as tf.Tensor4D;
  let r = tf.relu(conv(h, 'c1', 1));
  r = conv(r, 'c2', 1);
  const { mean, variance } = tf.moments(r, [0, 1, 2]);
  r = tf.batchNorm(r, mean, variance, p["beta"]!, p["gamma"]!, 1e-3) as tf.Tensor4D;
  h = tf.relu(tf.add(h, r)) as tf.Tensor4D;
  return tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, p['dense'] as tf.Variable<tf.Rank.R2>), p['denseB']!) as tf.Tensor2D;
}

/** Runs `steps` SGD steps from the same start; returns the losses and the final parameters. */
function train(steps: number): { losses: number[]; params: Record<string, Float32Array> } {
  const init = initialValues();
  const params: Record<string, tf.Variable> = {};
  for (const [k, s] of Object.entries(SHAPES)) params[k] = tf.variable(tf.tensor(init[k]!, s), true, `${k}_${tf.getBackend()}`);
  const rand = seededRandom(3);
  const x = tf.tensor4d(randomArray(6 * 9 * 10 * 3, rand), [6, 9, 10, 3]);
  const y = tf.tensor2d(randomArray(6 * 2, rand), [6, 2]);
  const labelled = tf.tensor1d([0, 2, 3, 5], 'int32'); // samples 1 and 4 have no label
  const opt = tf.train.sgd(0.05);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = opt.minimize(() => tf.mean(tf.square(tf.sub(tf.gather(forward(params, x), labelled), tf.gather(y, labelled)))) as tf.Scalar, true);
    losses.push(loss!.dataSync()[0]!);
    loss!.dispose();
  }
  const out: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(params)) out[k] = v.dataSync() as Float32Array;
  tf.dispose([x, y, labelled, ...Object.values(params)]);
  opt.dispose();
  return { losses, params: out };
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('training on wasm with co2sat kernels', () => {
  it('matches the same steps on cpu', async () => {
    await tf.setBackend('cpu');
    const ref = train(4);
    await tf.setBackend('wasm');
    const got = train(4);
    // The loss moves (the steps do something) and both backends move it the same way.
    expect(ref.losses[3]).toBeLessThan(ref.losses[0]!);
    expect(relativeError(got.losses, ref.losses)).toBeLessThan(1e-4);
    for (const k of Object.keys(SHAPES)) {
      expect(relativeError(got.params[k]!, ref.params[k]!), k).toBeLessThan(1e-4);
    }
  });
});
