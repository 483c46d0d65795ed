/**
 * tf.fused.conv2d (conv + bias + activation, the formulation recommended on wasm) trains on
 * wasm: its gradients for x, W and the bias, through co2sat's convolution gradient kernels
 * and the broadcasting kernels, equal the cpu backend's (relative error < 1e-4).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { randomArray, relativeError, seededRandom } from './gradHelpers.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const CASES = [
  { n: 2, h: 9, w: 8, cin: 3, cout: 4, k: 3, stride: 1, pad: 'same', activation: 'relu' },
  { n: 3, h: 8, w: 8, cin: 12, cout: 5, k: 3, stride: 2, pad: 'same', activation: 'relu' },
  { n: 1, h: 9, w: 7, cin: 4, cout: 3, k: 5, stride: 2, pad: 'valid', activation: 'linear' },
  { n: 16, h: 6, w: 6, cin: 3, cout: 8, k: 1, stride: 1, pad: 'valid', activation: 'linear' },
] as const;

function grads(c: (typeof CASES)[number]): Float32Array[] {
  return tf.tidy(() => {
    const rand = seededRandom(c.h * 31 + c.cin * 7 + c.k);
    const x = tf.tensor4d(randomArray(c.n * c.h * c.w * c.cin, rand), [c.n, c.h, c.w, c.cin]);
    const w = tf.tensor4d(randomArray(c.k * c.k * c.cin * c.cout, rand), [c.k, c.k, c.cin, c.cout]);
    const b = tf.tensor1d(randomArray(c.cout, rand));
    const f = (xv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor) => {
      const y = tf.fused.conv2d({ x: xv as tf.Tensor4D, filter: wv as tf.Tensor4D, bias: bv, strides: c.stride, pad: c.pad, activation: c.activation });
      return tf.sum(tf.mul(y, tf.tensor(randomArray(y.size, seededRandom(99)), y.shape)));
    };
    return tf.grads(f)([x, w, b]).map((g) => g.dataSync() as Float32Array);
  });
}

describe('tf.fused.conv2d gradients on wasm', () => {
  it.each(CASES.map((c) => [`${c.n}×${c.h}×${c.w}×${c.cin}→${c.cout} k${c.k} s${c.stride} ${c.pad} ${c.activation}`, c] as const))(
    '%s equals cpu for x, W and bias',
    async (_label, c) => {
      await tf.setBackend('cpu');
      const ref = grads(c);
      await tf.setBackend('wasm');
      const got = grads(c);
      for (const [i, g] of got.entries()) expect(relativeError(g, ref[i]!), ['dx', 'dW', 'db'][i]).toBeLessThan(1e-4);
    },
  );
});
