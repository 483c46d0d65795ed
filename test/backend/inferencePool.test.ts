/**
 * Data-parallel inference over worker threads: a batch split over workers (each with its
 * own wasm backend) gives the same outputs, in order, as the main thread; worker errors
 * come back as rejections.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInferencePool, selectBackend, type InferencePool } from '../../src/backend/index.js';
import { randomArray, relativeError, seededRandom } from './gradHelpers.js';

const rand = seededRandom(9);
const channels = 3;
const weights = Array.from(randomArray(9 * channels * 2, rand));
const moduleUrl = new URL('./fixtures/convPredictor.mjs', import.meta.url).href;
let pool: InferencePool;

beforeAll(async () => {
  await selectBackend('wasm');
  pool = await createInferencePool({ moduleUrl, init: { weights, channels }, workers: 2 });
});
afterAll(async () => {
  await pool.close();
});

describe('createInferencePool', () => {
  it('splits an uneven batch over 2 workers and returns the main-thread result in order', async () => {
    const shape = [5, 8, 7, channels];
    const values = randomArray(5 * 8 * 7 * channels, rand);
    const { createPredictor } = (await import(moduleUrl)) as { createPredictor: (t: typeof tf, init: unknown) => Promise<(x: tf.Tensor) => tf.Tensor> };
    const predict = await createPredictor(tf, { weights, channels });
    const expected = tf.tidy(() => predict(tf.tensor(values, shape)).dataSync());
    const got = await pool.predict(values, shape);
    expect(pool.size).toBe(2);
    expect(got.shape).toEqual([5, 2]);
    expect(relativeError(got.values, expected)).toBeLessThan(1e-6);
    // The caller's array is not transferred away.
    expect(values.length).toBe(5 * 8 * 7 * channels);
  });

  it('a batch smaller than the pool uses fewer workers', async () => {
    const got = await pool.predict(randomArray(8 * 8 * channels, rand), [1, 8, 8, channels]);
    expect(got.shape).toEqual([1, 2]);
  });

  it('reports a predictor error as a rejection and keeps serving', async () => {
    await expect(pool.predict(randomArray(2 * 13 * 4 * channels, rand), [2, 13, 4, channels])).rejects.toThrow(/13 is unlucky/);
    const ok = await pool.predict(randomArray(2 * 4 * 4 * channels, rand), [2, 4, 4, channels]);
    expect(ok.shape).toEqual([2, 2]);
  });

  it('fails to start with a clear error when the module has no predictor', async () => {
    const moduleUrl = new URL('./fixtures/noPredictor.mjs', import.meta.url).href;
    await expect(createInferencePool({ moduleUrl, init: {}, workers: 1 })).rejects.toThrow(/worker failed to start: .*noPredictor\.mjs exports no createPredictor/);
  });
});
