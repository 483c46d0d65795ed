/**
 * The wasm kernels that avoid copies and element-by-element broadcasting (Identity by
 * reference, comparisons and Tile through XNNPACK's broadcasting add), against the cpu
 * backend, including the gradients that use them (max reduction, i.e. global max pooling).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { onBoth, randomArray, relativeError, seededRandom } from './gradHelpers.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('wasm broadcasting and identity kernels', () => {
  it('comparisons broadcast like cpu, including ties, infinities, NaN and -0', async () => {
    const a = new Float32Array([1, -0, Infinity, -Infinity, NaN, 2, 3, 0.5, 0, 7, -1, 4]);
    const b = new Float32Array([0, Infinity, NaN, 3]);
    for (const op of ['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual'] as const) {
      for (const [sa, sb] of [[[3, 4], [1, 4]], [[3, 1, 4], [4]], [[1, 4], [3, 4]], [[3, 4], [3, 1]]] as const) {
        const take = (pool: Float32Array, shape: readonly number[]) => Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => pool[i % pool.length]!);
        const av = take(a, sa);
        const bv = take(b, sb);
        const r = await onBoth(() => tf.tidy(() => Array.from(tf[op](tf.tensor(av, [...sa]), tf.tensor(bv, [...sb])).dataSync())));
        expect(r.wasm, `${op} ${sa} vs ${sb}`).toEqual(r.cpu);
      }
    }
    // int32 keeps wasm's own kernel and stays right.
    await tf.setBackend('wasm');
    expect(Array.from(tf.equal(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), tf.tensor1d([1, 4], 'int32')).dataSync())).toEqual([1, 0, 0, 1]);
  });

  it('Tile of any axes equals cpu (4-D middle axes, 1-D, 3-D mixed)', async () => {
    const rand = seededRandom(3);
    for (const [shape, reps] of [
      [[2, 1, 1, 5], [1, 4, 3, 1]],
      [[3], [4]],
      [[2, 3, 4], [2, 1, 3]],
      [[2, 3, 1, 2], [2, 2, 2, 2]],
    ] as const) {
      const v = randomArray(shape.reduce((p: number, q: number) => p * q, 1), rand);
      const r = await onBoth(() => tf.tidy(() => tf.tile(tf.tensor(v, [...shape]), [...reps]).dataSync()));
      expect(Array.from(r.wasm), `${shape} × ${reps}`).toEqual(Array.from(r.cpu));
    }
  });

  it('Identity shares the buffer and survives disposing the source', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const s = tf.clone(tf.tensor1d(['a', 'b'], 'string'));
    expect(s.arraySync()).toEqual(['a', 'b']);
  });

  it('the gradient of global max pooling and of a relu step equals cpu', async () => {
    const rand = seededRandom(9);
    const x = randomArray(3 * 5 * 6 * 4, rand);
    const r = await onBoth(() =>
      tf.tidy(() => {
        const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.max(tf.relu(t), [1, 2]), tf.tensor1d([1, -2, 3, 0.5])));
        return tf.grad(f)(tf.tensor4d(x, [3, 5, 6, 4])).dataSync();
      }),
    );
    expect(relativeError(r.wasm, r.cpu)).toBeLessThan(1e-6);
  });
});
