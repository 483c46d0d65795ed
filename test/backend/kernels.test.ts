/**
 * The other kernels co2sat registers on wasm, against the cpu backend: UnsortedSegmentSum
 * (gather's gradient), the direct-loop filter gradient used where the fast route does not
 * apply, and restoring wasm's stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasFastConvGradients, registerWasmGradients, selectBackend, unregisterWasmGradients, wasmGradientsRegistered } from '../../src/backend/index.js';
import { conv2dBackpropFilterReference } from '../../src/backend/kernels/conv2dBackpropFilter.js';
import { onBoth, randomArray, relativeError, seededRandom } from './gradHelpers.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('wasm kernels', () => {
  it('UnsortedSegmentSum sums rows into segments, dropping out-of-range ids', async () => {
    const rand = seededRandom(5);
    const data = randomArray(7 * 3, rand);
    const r = await onBoth(() =>
      tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(data, [7, 3]), tf.tensor1d([2, 0, 2, 4, 1, 0, 2], 'int32'), 5).dataSync()),
    );
    expect(relativeError(r.wasm, r.cpu)).toBeLessThan(1e-6);
    // 1-D ints, an id past the end is dropped as TensorFlow does.
    await tf.setBackend('wasm');
    const ints = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4], 'int32'), tf.tensor1d([1, 1, 0, 9], 'int32'), 2);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([3, 3]);
  });

  it('gather has a gradient on wasm (through UnsortedSegmentSum)', async () => {
    const r = await onBoth(() =>
      tf.tidy(() => {
        const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.gather(x, tf.tensor1d([0, 2, 2], 'int32')))));
        return g(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2])).dataSync();
      }),
    );
    expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
  });

  it('the direct-loop filter gradient equals cpu for strided valid and same cases', async () => {
    for (const [pad, stride] of [['valid', 2], ['same', 2], ['same', 1]] as const) {
      const rand = seededRandom(11);
      const x = randomArray(2 * 7 * 8 * 3, rand);
      const w = [3, 3, 3, 4] as [number, number, number, number];
      const r = await onBoth(() =>
        tf.tidy(() => {
          const xt = tf.tensor4d(x, [2, 7, 8, 3]);
          const y = tf.conv2d(xt, tf.zeros(w) as tf.Tensor4D, stride, pad);
          const dy = tf.tensor(randomArray(y.size, seededRandom(12)), y.shape);
          if (tf.getBackend() === 'cpu') return tf.grad((wv: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xt, wv as tf.Tensor4D, stride, pad), dy)))(tf.zeros(w)).dataSync();
          const info = conv2dBackpropFilterReference(tf, tf.backend(), xt, dy, { strides: stride, pad, filterShape: w });
          return tf.engine().makeTensorFromTensorInfo(info).dataSync();
        }),
      );
      expect(relativeError(r.wasm, r.cpu)).toBeLessThan(1e-5);
    }
  });

  it('Sum, Mean and Tile equal cpu on the GEMM route and on the fallback', async () => {
    const rand = seededRandom(21);
    const data = randomArray(4 * 5 * 6 * 3, rand);
    const axesCases: (number | number[])[] = [[0, 1, 2], [1, 2], 3, -1, [0], [0, 2], [0, 1, 2, 3]];
    for (const axis of axesCases) {
      for (const keepDims of [false, true]) {
        const r = await onBoth(() =>
          tf.tidy(() => {
            const x = tf.tensor4d(data, [4, 5, 6, 3]);
            return [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims)].map((t) => ({ shape: t.shape, v: Array.from(t.dataSync()) }));
          }),
        );
        for (let i = 0; i < 2; i++) {
          expect(r.wasm[i]!.shape, `axis ${String(axis)} keepDims ${keepDims}`).toEqual(r.cpu[i]!.shape);
          expect(relativeError(r.wasm[i]!.v, r.cpu[i]!.v)).toBeLessThan(1e-5);
        }
      }
    }
    const ints = await onBoth(() => Array.from(tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0).dataSync()));
    expect(ints.wasm).toEqual(ints.cpu);
    for (const [shape, reps] of [[[1, 1, 1, 3], [4, 5, 6, 1]], [[1, 3], [7, 1]], [[2, 3], [2, 2]], [[1, 2, 1], [3, 1, 2]]] as const) {
      const values = randomArray(shape.reduce((a: number, b: number) => a * b, 1), rand);
      const t = await onBoth(() => tf.tidy(() => tf.tile(tf.tensor(values, [...shape]), [...reps]).dataSync()));
      expect(Array.from(t.wasm)).toEqual(Array.from(t.cpu));
    }
  });

  it('depthwise conv gradients (direct loops) equal cpu tf.grad', async () => {
    const cases = [
      { n: 2, h: 7, w: 6, c: 3, m: 1, k: 3, stride: 1, pad: 'same' },
      { n: 1, h: 8, w: 8, c: 2, m: 2, k: 3, stride: 2, pad: 'same' },
      { n: 3, h: 9, w: 7, c: 4, m: 1, k: 5, stride: 2, pad: 'valid' },
    ] as const;
    for (const t of cases) {
      const rand = seededRandom(t.h * 10 + t.c);
      const x = randomArray(t.n * t.h * t.w * t.c, rand);
      const w = randomArray(t.k * t.k * t.c * t.m, rand);
      const r = await onBoth(() =>
        tf.tidy(() => {
          const xt = tf.tensor4d(x, [t.n, t.h, t.w, t.c]);
          const wt = tf.tensor4d(w, [t.k, t.k, t.c, t.m]);
          const y = tf.depthwiseConv2d(xt, wt, t.stride, t.pad);
          const dy = tf.tensor(randomArray(y.size, seededRandom(4)), y.shape);
          const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, t.stride, t.pad), dy)))([xt, wt]);
          return [gx!.dataSync(), gw!.dataSync()];
        }),
      );
      expect(relativeError(r.wasm[0]!, r.cpu[0]!), `dx ${JSON.stringify(t)}`).toBeLessThan(1e-5);
      expect(relativeError(r.wasm[1]!, r.cpu[1]!), `dW ${JSON.stringify(t)}`).toBeLessThan(1e-5);
    }
  });

  it('cpu does not count as having fast conv gradients', async () => {
    await tf.setBackend('cpu');
    expect(hasFastConvGradients(tf)).toBe(false);
    await tf.setBackend('wasm');
  });

  it('unregistering restores stock wasm, which cannot train a conv; registering again can', async () => {
    await tf.setBackend('wasm');
    const step = () => tf.tidy(() => tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')))(tf.ones([3, 3, 1, 1])).dataSync());
    expect(hasFastConvGradients(tf)).toBe(true);
    unregisterWasmGradients(tf);
    expect(wasmGradientsRegistered()).toBe(false);
    expect(hasFastConvGradients(tf)).toBe(false);
    expect(step).toThrow(/Conv2DBackpropFilter/);
    registerWasmGradients(tf);
    expect(hasFastConvGradients(tf)).toBe(true);
    // Σ over a 4×4 'same' window of ones: corner taps see 9 pixels, edge taps 12, the centre 16.
    expect(Array.from(step())).toEqual([9, 12, 9, 12, 16, 12, 9, 12, 9]);
  });
});
