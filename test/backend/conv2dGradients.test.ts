/**
 * The wasm convolution gradients co2sat registers equal the cpu backend's tf.grad results
 * (relative error < 1e-4) and a central finite difference, over a table of geometries that
 * covers every value of each axis: odd/even sizes, stride 1/2, 'same'/'valid', batch 1/16,
 * 1/3/12 channels, 1×1 to 7×7 kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, wasmGradientsRegistered } from '../../src/backend/index.js';
import { conv2dBackpropFilterFast } from '../../src/backend/kernels/conv2dBackpropFilter.js';
import { conv2dBackpropInputFast } from '../../src/backend/kernels/conv2dBackpropInput.js';
import { randomArray, relativeError, seededRandom } from './gradHelpers.js';

interface Case {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  stride: 1 | 2 | [number, number];
  pad: 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
}

const CASES: Case[] = [
  { n: 1, h: 9, w: 9, cin: 3, cout: 3, k: 3, stride: 1, pad: 'same' },
  { n: 1, h: 8, w: 8, cin: 3, cout: 12, k: 3, stride: 2, pad: 'same' },
  { n: 1, h: 9, w: 7, cin: 12, cout: 1, k: 3, stride: 2, pad: 'valid' },
  { n: 1, h: 10, w: 10, cin: 1, cout: 3, k: 1, stride: 1, pad: 'valid' },
  { n: 1, h: 7, w: 8, cin: 12, cout: 12, k: 1, stride: 2, pad: 'same' },
  { n: 1, h: 11, w: 11, cin: 3, cout: 1, k: 5, stride: 1, pad: 'same' },
  { n: 1, h: 12, w: 9, cin: 1, cout: 12, k: 5, stride: 2, pad: 'valid' },
  { n: 1, h: 13, w: 13, cin: 3, cout: 3, k: 7, stride: 2, pad: 'same' },
  { n: 1, h: 10, w: 11, cin: 12, cout: 3, k: 7, stride: 1, pad: 'valid' },
  { n: 16, h: 6, w: 6, cin: 12, cout: 3, k: 3, stride: 2, pad: 'same' },
  { n: 16, h: 5, w: 5, cin: 3, cout: 12, k: 3, stride: 1, pad: 'valid' },
  { n: 16, h: 4, w: 5, cin: 1, cout: 1, k: 1, stride: 1, pad: 'same' },
  { n: 16, h: 7, w: 6, cin: 3, cout: 3, k: 5, stride: 2, pad: 'valid' },
  // Explicit pads, including pads wider than the kernel (rows no tap of some phase reaches).
  { n: 1, h: 8, w: 7, cin: 3, cout: 12, k: 3, stride: 2, pad: [[0, 0], [2, 0], [0, 3], [0, 0]] },
  { n: 1, h: 6, w: 6, cin: 12, cout: 3, k: 1, stride: 2, pad: [[0, 0], [1, 2], [3, 1], [0, 0]] },
  // Different strides per axis (one axis merged into channels, the other not).
  { n: 2, h: 7, w: 8, cin: 3, cout: 3, k: 3, stride: [1, 2], pad: 'same' },
  { n: 2, h: 8, w: 7, cin: 3, cout: 12, k: 5, stride: [2, 1], pad: 'valid' },
];

const name = (c: Case) => `n${c.n} ${c.h}×${c.w}×${c.cin}→${c.cout} k${c.k} s${String(c.stride)} ${typeof c.pad === 'string' ? c.pad : JSON.stringify(c.pad)}`;

/** Inputs of one case: x, W and the fixed weights R that turn y into a scalar loss. */
function inputs(c: Case) {
  const rand = seededRandom(c.h * 1000 + c.w * 100 + c.k * 10 + c.cin + c.cout + c.n);
  const x = randomArray(c.n * c.h * c.w * c.cin, rand);
  const wv = randomArray(c.k * c.k * c.cin * c.cout, rand);
  const yShape = tf.tidy(() => tf.conv2d(tf.zeros([c.n, c.h, c.w, c.cin]) as tf.Tensor4D, tf.zeros([c.k, c.k, c.cin, c.cout]) as tf.Tensor4D, c.stride, c.pad).shape);
  const r = randomArray(yShape.reduce((a, b) => a * b, 1), rand);
  return { x, wv, r, yShape };
}

/** Loss = Σ conv2d(x, W)·R, so dy = R is non-uniform and the loss is linear in x and in W. */
function lossFn(c: Case, r: Float32Array, yShape: number[]) {
  return (x: tf.Tensor, w: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad), tf.tensor(r, yShape)));
}

function grads(c: Case): { dx: Float32Array; dw: Float32Array } {
  const { x, wv, r, yShape } = inputs(c);
  return tf.tidy(() => {
    const [dx, dw] = tf.grads(lossFn(c, r, yShape))([tf.tensor4d(x, [c.n, c.h, c.w, c.cin]), tf.tensor4d(wv, [c.k, c.k, c.cin, c.cout])]);
    return { dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array };
  });
}

beforeAll(async () => {
  await selectBackend('wasm');
  expect(wasmGradientsRegistered()).toBe(true);
});

describe('wasm Conv2DBackpropInput / Conv2DBackpropFilter', () => {
  it.each(CASES.map((c) => [name(c), c] as const))('%s equals cpu tf.grad and finite differences', async (_label, c) => {
    await tf.setBackend('cpu');
    const ref = grads(c);
    await tf.setBackend('wasm');
    const got = grads(c);
    expect(relativeError(got.dx, ref.dx)).toBeLessThan(1e-4);
    expect(relativeError(got.dw, ref.dw)).toBeLessThan(1e-4);

    // The fast (XNNPACK) route itself covers the case: no silent fallback.
    const { x, wv, r, yShape } = inputs(c);
    tf.tidy(() => {
      const xt = tf.tensor4d(x, [c.n, c.h, c.w, c.cin]);
      const wt = tf.tensor4d(wv, [c.k, c.k, c.cin, c.cout]);
      const dy = tf.tensor(r, yShape);
      const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC' as const };
      // Both input-gradient routes (one merged convolution, one per stride phase).
      for (const route of ['merged', 'phases'] as const) {
        const dxInfo = conv2dBackpropInputFast(tf, tf.backend(), dy, wt, { ...attrs, inputShape: [c.n, c.h, c.w, c.cin] }, route);
        expect(dxInfo, route).not.toBeNull();
        const dxFast = tf.engine().makeTensorFromTensorInfo(dxInfo!);
        expect(relativeError(dxFast.dataSync(), ref.dx), route).toBeLessThan(1e-4);
      }
      const dwInfo = conv2dBackpropFilterFast(tf, tf.backend(), xt, dy, { ...attrs, filterShape: [c.k, c.k, c.cin, c.cout] });
      expect(dwInfo).not.toBeNull();
      const dwFast = tf.engine().makeTensorFromTensorInfo(dwInfo!);
      expect(relativeError(dwFast.dataSync(), ref.dw)).toBeLessThan(1e-4);
    });

    // Central differences of the (linear) loss at a few coordinates, on wasm's forward conv.
    const f = lossFn(c, r, yShape);
    const evalAt = (xa: Float32Array, wa: Float32Array) =>
      tf.tidy(() => f(tf.tensor4d(xa, [c.n, c.h, c.w, c.cin]), tf.tensor4d(wa, [c.k, c.k, c.cin, c.cout])).dataSync()[0]!);
    const eps = 0.05;
    const rand = seededRandom(7);
    const scale = Math.max(...Array.from(got.dx, Math.abs), ...Array.from(got.dw, Math.abs));
    for (let t = 0; t < 3; t++) {
      const i = Math.floor(rand() * x.length);
      const xp = x.slice();
      const xm = x.slice();
      xp[i]! += eps;
      xm[i]! -= eps;
      const fd = (evalAt(xp, wv) - evalAt(xm, wv)) / (2 * eps);
      expect(Math.abs(fd - got.dx[i]!) / scale).toBeLessThan(2e-3);
      const j = Math.floor(rand() * wv.length);
      const wp = wv.slice();
      const wm = wv.slice();
      wp[j]! += eps;
      wm[j]! -= eps;
      const fdw = (evalAt(x, wp) - evalAt(x, wm)) / (2 * eps);
      expect(Math.abs(fdw - got.dw[j]!) / scale).toBeLessThan(2e-3);
    }
  });
});
