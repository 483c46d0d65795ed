/**
 * DepthwiseConv2dNativeBackpropFilter / BackpropInput for wasm, which has neither: direct
 * loops over the forward geometry (every stride, dilation, padding and channel multiplier).
 * They are correct, not fast — co2sat's trunk uses dense 3×3 convolutions, whose gradients
 * run on XNNPACK (conv2dBackprop*.ts); these exist so a depthwise layer trains on wasm
 * instead of failing with "kernel not registered".
 */
import type { DataType, KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types.js';
import { kernelInputs } from './kernelInputs.js';

interface HeapBackend {
  readSync(dataId: object): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number, values?: Float32Array): TensorInfo;
}

type ConvInfo = ReturnType<Tf['backend_util']['computeConv2DInfo']>;

function info(tf: Tf, xShape: number[], filterShape: number[], attrs: NamedAttrMap): ConvInfo {
  if (attrs['dataFormat'] === 'NCHW') throw new Error("depthwise gradients on wasm support dataFormat 'NHWC' only");
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs['strides'] as number | [number, number],
    (attrs['dilations'] as number | [number, number] | undefined) ?? 1,
    attrs['pad'] as 'same' | 'valid',
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    true,
  );
}

/**
 * Visits every (output pixel, tap) pair that reads an input pixel: calls
 * fn(xIndexBase, dyIndexBase, filterIndexBase) with the NHWC offsets of channel 0.
 */
function forEachTap(c: ConvInfo, fn: (xBase: number, dyBase: number, wBase: number) => void): void {
  for (let n = 0; n < c.batchSize; n++) {
    for (let i = 0; i < c.outHeight; i++) {
      for (let j = 0; j < c.outWidth; j++) {
        const dyBase = ((n * c.outHeight + i) * c.outWidth + j) * c.outChannels;
        for (let p = 0; p < c.filterHeight; p++) {
          const h = i * c.strideHeight + p * c.dilationHeight - c.padInfo.top;
          if (h < 0 || h >= c.inHeight) continue;
          for (let q = 0; q < c.filterWidth; q++) {
            const w = j * c.strideWidth + q * c.dilationWidth - c.padInfo.left;
            if (w < 0 || w >= c.inWidth) continue;
            fn(((n * c.inHeight + h) * c.inWidth + w) * c.inChannels, dyBase, (p * c.filterWidth + q) * c.outChannels);
          }
        }
      }
    }
  }
}

export function depthwiseGradientConfigs(tf: Tf): KernelConfig[] {
  // The filter and input gradients read alike (inputs, geometry, heap views, forEachTap) and
  // differ in what the innermost loop accumulates; one body with a flag would put a branch in
  // that loop, so the two stay written out (duplicates reports them as a same-shape pair).
  const backpropFilter = ({ inputs, backend, attrs }: { inputs: NamedTensorInfoMap; backend: unknown; attrs?: NamedAttrMap }): TensorInfo => {
    const [x, dy] = kernelInputs('DepthwiseConv2dNativeBackpropFilter', inputs, ['x', 'dy']);
    const a = attrs ?? {};
    const filterShape = a['filterShape'] as number[];
    const c = info(tf, x.shape, filterShape, a);
    const heap = backend as HeapBackend;
    const xv = heap.readSync(x.dataId);
    const dyv = heap.readSync(dy.dataId);
    const dw = new Float32Array(filterShape.reduce((s, d) => s * d, 1));
    const m = c.outChannels / c.inChannels;
    // Filter [kh, kw, C, m]: tap offset (p, q) · C·m, then channel c·m + k, like dy's channels.
    forEachTap(c, (xb, dyb, wb) => {
      for (let ch = 0; ch < c.inChannels; ch++) {
        const xval = xv[xb + ch]!;
        for (let k = 0; k < m; k++) dw[wb + ch * m + k]! += xval * dyv[dyb + ch * m + k]!;
      }
    });
    return heap.makeOutput(filterShape, 'float32', undefined, dw);
  };
  const backpropInput = ({ inputs, backend, attrs }: { inputs: NamedTensorInfoMap; backend: unknown; attrs?: NamedAttrMap }): TensorInfo => {
    const [dy, filter] = kernelInputs('DepthwiseConv2dNativeBackpropInput', inputs, ['dy', 'filter']);
    const a = attrs ?? {};
    const inputShape = a['inputShape'] as number[];
    const c = info(tf, inputShape, filter.shape, a);
    const heap = backend as HeapBackend;
    const dyv = heap.readSync(dy.dataId);
    const wv = heap.readSync(filter.dataId);
    const dx = new Float32Array(inputShape.reduce((s, d) => s * d, 1));
    const m = c.outChannels / c.inChannels;
    forEachTap(c, (xb, dyb, wb) => {
      for (let ch = 0; ch < c.inChannels; ch++) {
        let acc = 0;
        for (let k = 0; k < m; k++) acc += dyv[dyb + ch * m + k]! * wv[wb + ch * m + k]!;
        dx[xb + ch]! += acc;
      }
    });
    return heap.makeOutput(inputShape, 'float32', undefined, dx);
  };
  return [
    { kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName: 'wasm', kernelFunc: backpropFilter as KernelConfig['kernelFunc'] },
    { kernelName: 'DepthwiseConv2dNativeBackpropInput', backendName: 'wasm', kernelFunc: backpropInput as KernelConfig['kernelFunc'] },
  ];
}
