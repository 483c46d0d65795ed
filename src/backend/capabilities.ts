/**
 * What the active backend can do fast, for model code that picks between formulations
 * (e.g. `tf.conv2d` against an im2col convolution built from slices and a matMul).
 */
import type { Tf } from './types.js';
import { wasmGradientsRegistered } from './kernels/register.js';

/** Backends whose own conv2d gradients are fast (native TensorFlow, GPU). */
const NATIVE = new Set(['tensorflow', 'webgl', 'webgpu']);

/**
 * True when `tf.conv2d` trains fast on the active backend: native TensorFlow and GPU
 * backends, and wasm once co2sat's gradient kernels are registered (selectBackend does
 * that). On wasm this is 9–16× faster per training step than an im2col formulation
 * (BENCHMARKS.md, Training); the cpu backend's conv gradients are slow either way.
 */
export function hasFastConvGradients(tf: Tf): boolean {
  const name = tf.getBackend();
  return NATIVE.has(name) || (name === 'wasm' && wasmGradientsRegistered() && tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined);
}
