/**
 * Shared pieces of the backend tests: a seeded RNG for inputs, and a runner that computes
 * the same function on two tfjs backends of one engine and returns plain arrays.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tf } from '../../src/backend/index.js';
import { mulberry32 } from '../../src/random.js';

/** co2sat's one seeded generator (mulberry32): deterministic across machines. */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}

/** Uniform values in [-1, 1) from a seeded RNG. */
export function randomArray(n: number, rand: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rand() * 2 - 1;
  return a;
}

/** max |a − b| / max |b|: the relative error of a against reference b. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return den === 0 ? num : num / den;
}

/** Runs `fn` with `backend` active and returns its result; restores nothing (callers pick). */
export async function onBackend<T>(tf: Tf, backend: string, fn: () => T | Promise<T>): Promise<T> {
  await tf.setBackend(backend);
  return fn();
}

/** The same computation on cpu (the reference) and on wasm (with whatever kernels are registered). */
export async function onBoth<T>(fn: () => T): Promise<{ cpu: T; wasm: T }> {
  await tf.setBackend('cpu');
  const cpu = fn();
  await tf.setBackend('wasm');
  return { cpu, wasm: fn() };
}
