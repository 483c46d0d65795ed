/**
 * The geometry that turns convolution gradients into forward convolutions. Both gradients
 * of `y = conv2d(x, W, stride s, pads)` are correlations themselves:
 *
 * - input gradient: dx[h] = Σ_{i,p: s·i + p − padTop = h} dy[i]·W[p], a correlation of dy with
 *   the spatially reversed filter (channel axes swapped), one per stride phase of h
 *   (conv2dBackpropInput.ts, `axisPhase`).
 * - filter gradient: dW[p, c, o] = Σ_{n,i} xpad[n, s·i + p, c]·dy[n, i, o]: a 'valid'
 *   correlation of x laid out as [C_in, H, W, N] ("batch" = input channel, "channels" =
 *   sample) with dy laid out as [Ho, Wo, N, C_out] as the filter, at dilation s, padded so
 *   that exactly k outputs come out (`filterGradPads`).
 *
 * Written for one spatial axis; the same holds for the other. A negative pad means the
 * tensor must be cut instead; `null` geometry marks a case the fast routes do not cover.
 */
import type { Tf } from '../types.js';

/** Resolved geometry of a 2-D convolution, NHWC, dilation 1. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
}

/** Attributes common to Conv2DBackpropInput and Conv2DBackpropFilter. */
export interface ConvGradAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Geometry of the forward convolution whose gradient is asked, or null when the fast route
 * does not apply (NCHW layout). Uses tfjs's own `computeConv2DInfo`, so 'same', 'valid',
 * explicit pads and rounding modes mean exactly what they mean in the forward op.
 */
export function convGeometry(
  tf: Tf,
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvGradAttrs,
): ConvGeometry | null {
  if (attrs.dataFormat === 'NCHW') return null;
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padBottom: info.padInfo.bottom,
    padLeft: info.padInfo.left,
    padRight: info.padInfo.right,
  };
}

/** Pads of the filter-gradient correlation along one axis: output length must be exactly k. */
export function filterGradPads(size: number, outSize: number, k: number, stride: number, padBefore: number): [number, number] {
  return [padBefore, k + (outSize - 1) * stride - size - padBefore];
}
