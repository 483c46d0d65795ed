/**
 * Conv2DBackpropFilter for wasm, which has none. The fast route is one forward convolution
 * (XNNPACK) of x laid out as [C_in, H, W, N] with dy laid out as [Ho, Wo, N, C_out] as its
 * filter, at dilation = stride (see convGeometry.ts). Cases it does not cover (NCHW) run
 * `conv2dBackpropFilterReference`, a direct loop that is slow but correct.
 */
import type { DataType, KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types.js';
import { convGeometry, filterGradPads, type ConvGeometry, type ConvGradAttrs } from './convGeometry.js';
import { KernelScope } from './kernelScope.js';
import { kernelAttrs, kernelInputs } from './kernelInputs.js';

export interface BackpropFilterAttrs extends ConvGradAttrs {
  filterShape: [number, number, number, number];
}

/** The part of the wasm backend the reference kernel needs (readSync + makeOutput). */
interface HeapBackend {
  readSync(dataId: object): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number, values?: Float32Array): TensorInfo;
}

/** dW via one forward convolution, or null when the fast route does not cover the case. */
export function conv2dBackpropFilterFast(
  tf: Tf,
  backend: KernelBackend,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: BackpropFilterAttrs,
): TensorInfo | null {
  const g = convGeometry(tf, x.shape, attrs.filterShape, attrs);
  if (g === null) return null;
  const s = new KernelScope(tf, backend, 'wasm');
  try {
    let xt = s.transpose(x, [3, 1, 2, 0]);
    const [top, bottom] = filterGradPads(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.padTop);
    const [left, right] = filterGradPads(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.padLeft);
    if (bottom < 0 || right < 0) {
      // Rows/columns past the last window ('valid' with a stride that does not divide) never
      // meet a filter tap: cut them.
      xt = s.run('Slice', { x: xt }, {
        begin: [0, 0, 0, 0],
        size: [g.inChannels, g.inHeight + Math.min(bottom, 0), g.inWidth + Math.min(right, 0), g.batch],
      });
    }
    const dyt = s.transpose(dy, [1, 2, 0, 3]);
    const out = s.run('Conv2D', { x: xt, filter: dyt }, {
      strides: [1, 1],
      pad: [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [g.strideHeight, g.strideWidth],
    } as unknown as NamedAttrMap);
    return s.keep(s.transpose(out, [1, 2, 0, 3]));
  } finally {
    s.dispose();
  }
}

/** Direct summation over the forward geometry: the correct fallback for every NHWC case. */
export function conv2dBackpropFilterReference(
  tf: Tf,
  backend: KernelBackend,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: BackpropFilterAttrs,
): TensorInfo {
  const g = convGeometry(tf, x.shape, attrs.filterShape, { ...attrs, dataFormat: 'NHWC' });
  if (g === null || attrs.dataFormat === 'NCHW') {
    throw new Error("Conv2DBackpropFilter on wasm supports dataFormat 'NHWC' only");
  }
  const heap = backend as unknown as HeapBackend;
  const xv = heap.readSync(x.dataId);
  const dyv = heap.readSync(dy.dataId);
  const dw = new Float32Array(g.filterHeight * g.filterWidth * g.inChannels * g.outChannels);
  accumulateFilterGrad(g, xv, dyv, dw);
  return heap.makeOutput([g.filterHeight, g.filterWidth, g.inChannels, g.outChannels], 'float32', undefined, dw);
}

function accumulateFilterGrad(g: ConvGeometry, x: ArrayLike<number>, dy: ArrayLike<number>, dw: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo, outChannels: O } = g;
  for (let n = 0; n < g.batch; n++) {
    for (let i = 0; i < Ho; i++) {
      for (let j = 0; j < Wo; j++) {
        const dyBase = ((n * Ho + i) * Wo + j) * O;
        for (let p = 0; p < g.filterHeight; p++) {
          const h = i * g.strideHeight + p - g.padTop;
          if (h < 0 || h >= H) continue;
          for (let q = 0; q < g.filterWidth; q++) {
            const w = j * g.strideWidth + q - g.padLeft;
            if (w < 0 || w >= W) continue;
            const xBase = ((n * H + h) * W + w) * C;
            const dwBase = (p * g.filterWidth + q) * C * O;
            for (let c = 0; c < C; c++) {
              const xval = x[xBase + c]!;
              const row = dwBase + c * O;
              for (let o = 0; o < O; o++) dw[row + o]! += xval * dy[dyBase + o]!;
            }
          }
        }
      }
    }
  }
}

/** Reads the kernel's inputs and attributes from tfjs's untyped maps. */
export function backpropFilterArgs(inputs: NamedTensorInfoMap, attrs: NamedAttrMap | undefined): { x: TensorInfo; dy: TensorInfo; attrs: BackpropFilterAttrs } {
  const [x, dy] = kernelInputs('Conv2DBackpropFilter', inputs, ['x', 'dy']);
  return { x, dy, attrs: kernelAttrs<BackpropFilterAttrs>('Conv2DBackpropFilter', attrs) };
}
