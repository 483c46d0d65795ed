/**
 * Registers co2sat's gradient kernels on the wasm backend, so a CNN can train there:
 * wasm ships no Conv2DBackpropFilter, a slow scalar Conv2DBackpropInput, slow Sum,
 * Mean and Tile on the shapes bias, batch-norm and pooling gradients produce, an Identity
 * that copies every tensor the tape saves, and comparisons that broadcast element by element. Each kernel
 * takes its fast route (forward convolutions on XNNPACK) where the geometry is covered and
 * otherwise a correct fallback (wasm's own kernel, or a direct loop), never a wrong answer.
 */
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types.js';
import { backpropFilterArgs, conv2dBackpropFilterFast, conv2dBackpropFilterReference } from './conv2dBackpropFilter.js';
import { backpropInputArgs, conv2dBackpropInputFast } from './conv2dBackpropInput.js';
import { broadcastingCompareConfig, COMPARE_KERNELS } from './broadcast.js';
import { depthwiseGradientConfigs } from './depthwiseGradients.js';
import { identityConfig } from './identity.js';
import { reductionConfigs } from './reductions.js';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum.js';

/** Kernel names this module replaces or adds on wasm. */
export const WASM_GRADIENT_KERNELS = [
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
  'Sum',
  'Mean',
  'Tile',
  'Identity',
  ...COMPARE_KERNELS,
] as const;

/** What was registered before us, per kernel name, so `unregisterWasmGradients` can restore it. */
const stock = new Map<string, KernelConfig | undefined>();

/** True while our kernels are registered (on the engine of the tf passed last). */
export function wasmGradientsRegistered(): boolean {
  return stock.size > 0;
}

/**
 * Registers the kernels. Call after the wasm backend is initialised (tf.setBackend('wasm')),
 * so wasm's own kernels we fall back to have run their setup. Idempotent.
 */
export function registerWasmGradients(tf: Tf): void {
  if (stock.size > 0) return;
  for (const name of WASM_GRADIENT_KERNELS) {
    const existing = tf.getKernel(name, 'wasm');
    stock.set(name, existing);
    if (existing !== undefined) tf.unregisterKernel(name, 'wasm');
  }
  const stockInput = stock.get('Conv2DBackpropInput');

  const backpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
    const a = backpropInputArgs(inputs, attrs);
    const fast = conv2dBackpropInputFast(tf, backend as KernelBackend, a.dy, a.filter, a.attrs);
    if (fast !== null) return fast;
    if (stockInput === undefined) throw new Error('Conv2DBackpropInput: case not covered and wasm has no kernel of its own');
    return stockInput.kernelFunc({ inputs, backend, attrs });
  };
  const backpropFilter: KernelFunc = ({ inputs, backend, attrs }): TensorInfo => {
    const a = backpropFilterArgs(inputs, attrs);
    const kb = backend as KernelBackend;
    return conv2dBackpropFilterFast(tf, kb, a.x, a.dy, a.attrs) ?? conv2dBackpropFilterReference(tf, kb, a.x, a.dy, a.attrs);
  };
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: backpropInput });
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: backpropFilter });
  tf.registerKernel(unsortedSegmentSumConfig);
  for (const config of reductionConfigs(tf, stock)) tf.registerKernel(config);
  for (const config of depthwiseGradientConfigs(tf)) tf.registerKernel(config);
  tf.registerKernel(identityConfig(stock.get('Identity')));
  for (const name of COMPARE_KERNELS) tf.registerKernel(broadcastingCompareConfig(tf, name, stock.get(name)));
}

/** Restores wasm's stock kernels (for benchmarks that compare against them, and tests). */
export function unregisterWasmGradients(tf: Tf): void {
  if (stock.size === 0) return;
  for (const name of WASM_GRADIENT_KERNELS) {
    if (tf.getKernel(name, 'wasm') !== undefined) tf.unregisterKernel(name, 'wasm');
    const previous = stock.get(name);
    if (previous !== undefined) tf.registerKernel(previous);
  }
  stock.clear();
}
