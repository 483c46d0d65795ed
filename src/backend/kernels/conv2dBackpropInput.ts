/**
 * Conv2DBackpropInput for wasm as one forward convolution (XNNPACK), replacing wasm's own
 * scalar loop, which is ~10× slower on our layers. Strides > 1 insert s − 1 zeros between
 * dy's rows and columns first (a reshape, a pad and a reshape: cheap copies).
 */
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types.js';
import { convGeometry, inputGradPads, type ConvGradAttrs } from './convGeometry.js';
import { KernelScope } from './kernelScope.js';

export interface BackpropInputAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

/**
 * dx for `y = conv2d(x, filter)`, or null when the fast route does not cover the case (the
 * caller then runs a correct fallback kernel).
 */
export function conv2dBackpropInputFast(
  tf: Tf,
  backend: KernelBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: BackpropInputAttrs,
): TensorInfo | null {
  const g = convGeometry(tf, attrs.inputShape, filter.shape, attrs);
  if (g === null) return null;
  // Pads beyond k − 1 would need rows of dy that no output reads; leave them to the fallback.
  if (g.padTop > g.filterHeight - 1 || g.padBottom > g.filterHeight - 1) return null;
  if (g.padLeft > g.filterWidth - 1 || g.padRight > g.filterWidth - 1) return null;

  const s = new KernelScope(tf, backend, 'wasm');
  try {
    let dyz = dy;
    const { strideHeight: sh, strideWidth: sw } = g;
    if (sh > 1 || sw > 1) {
      const r = s.reshape(dy, [g.batch, g.outHeight, 1, g.outWidth, 1, g.outChannels]);
      const p = s.run('PadV2', { x: r }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
      dyz = s.reshape(p, [g.batch, g.outHeight * sh, g.outWidth * sw, g.outChannels]);
    }
    const [top, bottom] = inputGradPads(g.inHeight, g.outHeight, g.filterHeight, sh, g.padTop);
    const [left, right] = inputGradPads(g.inWidth, g.outWidth, g.filterWidth, sw, g.padLeft);
    if (bottom < 0 || right < 0) {
      // Only trailing inserted zeros fall past the end (padBottom ≤ k − 1): cut them.
      dyz = s.run('Slice', { x: dyz }, {
        begin: [0, 0, 0, 0],
        size: [g.batch, g.outHeight * sh + Math.min(bottom, 0), g.outWidth * sw + Math.min(right, 0), g.outChannels],
      });
    }
    const flipped = s.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = s.transpose(flipped, [0, 1, 3, 2]);
    const dx = s.run('Conv2D', { x: dyz, filter: swapped }, {
      strides: [1, 1],
      pad: [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    } as unknown as NamedAttrMap);
    return s.keep(dx);
  } finally {
    s.dispose();
  }
}

/** Reads the kernel's inputs and attributes from tfjs's untyped maps. */
export function backpropInputArgs(inputs: NamedTensorInfoMap, attrs: NamedAttrMap | undefined): {
  dy: TensorInfo;
  filter: TensorInfo;
  attrs: BackpropInputAttrs;
} {
  const dy = inputs['dy'];
  const filter = inputs['filter'];
  if (dy === undefined || filter === undefined || attrs === undefined) throw new Error('Conv2DBackpropInput: missing dy, filter or attributes');
  return { dy, filter, attrs: attrs as unknown as BackpropInputAttrs };
}
