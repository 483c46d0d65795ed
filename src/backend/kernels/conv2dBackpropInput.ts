/**
 * Conv2DBackpropInput for wasm as forward convolutions (XNNPACK), replacing wasm's own
 * scalar loop, which is 3–10× slower on our layers.
 *
 * Stride phases: with stride s, the rows h = s·i' + a of dx (one phase a ∈ [0, s)) only meet
 * the filter taps p ≡ a + padTop (mod s). Writing p = r + s·m (r = (a + padTop) mod s) and
 * c = (a + padTop − r)/s gives dx_a[i'] = Σ_m dy[i' + c − m]·W[r + s·m]: a stride-1
 * correlation of dy with the reversed sub-filter W[r::s], padded M − 1 − c before. Each of
 * the s² phases is one convolution over dy at its own resolution, so the work equals the
 * forward convolution's (zero insertion would spend s² times that on zeros); the phases are
 * then interleaved by transposes. Stride 1 is the single phase a = 0.
 *
 * Small layers run all phases as ONE convolution instead (inputGradFilter.ts: the phases as
 * output channels, filter built in JavaScript), which saves kernel calls and passes over dx;
 * `mergedPays` picks the route.
 */
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types.js';
import { convGeometry, type ConvGeometry, type ConvGradAttrs } from './convGeometry.js';
import { axisPlan, mergedFilter, type AxisPlan } from './inputGradFilter.js';
import { KernelScope } from './kernelScope.js';
import { kernelAttrs, kernelInputs } from './kernelInputs.js';

export interface BackpropInputAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

/** One stride phase along one axis: which taps it uses and how dy must be cut and padded. */
export interface AxisPhase {
  /** First filter tap of the phase (taps r, r + s, …). */
  tap: number;
  /** Number of taps (0: this phase of dx is all zeros). */
  taps: number;
  /** Rows of dx in the phase: ceil((size − a)/s). */
  length: number;
  /** dy rows [begin, end) the correlation reads, and the zero pads around them. */
  begin: number;
  end: number;
  padBefore: number;
  padAfter: number;
}

/** Phase `a` along an axis of input size `size`, output size `outSize`, kernel `k`, stride `s`. */
export function axisPhase(size: number, outSize: number, k: number, s: number, padBefore: number, a: number): AxisPhase {
  const tap = (a + padBefore) % s;
  const taps = tap < k ? Math.ceil((k - tap) / s) : 0;
  const c = (a + padBefore - tap) / s;
  const length = Math.max(0, Math.ceil((size - a) / s));
  const before = taps - 1 - c;
  const after = length + c - outSize;
  const begin = Math.max(0, -before);
  const end = outSize + Math.min(0, after);
  return { tap, taps, length, begin, end, padBefore: Math.max(0, before), padAfter: Math.max(0, after) };
}

/** dx of one phase pair (a along H, b along W): [N, length_a, length_b, C_in]. */
function phaseConv(s: KernelScope, g: ConvGeometry, dy: TensorInfo, filter: TensorInfo, ph: AxisPhase, pw: AxisPhase): TensorInfo {
  const shape = [g.batch, ph.length, pw.length, g.inChannels];
  if (ph.taps === 0 || pw.taps === 0 || ph.end <= ph.begin || pw.end <= pw.begin || ph.length === 0 || pw.length === 0) {
    return s.run('Fill', {}, { shape, value: 0, dtype: 'float32' });
  }
  let d = dy;
  if (ph.begin > 0 || pw.begin > 0 || ph.end < g.outHeight || pw.end < g.outWidth) {
    d = s.run('Slice', { x: dy }, { begin: [0, ph.begin, pw.begin, 0], size: [g.batch, ph.end - ph.begin, pw.end - pw.begin, g.outChannels] });
  }
  let w = filter;
  if (g.strideHeight > 1 || g.strideWidth > 1) {
    w = s.run('StridedSlice', { x: filter }, {
      begin: [ph.tap, pw.tap, 0, 0],
      end: [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels],
      strides: [g.strideHeight, g.strideWidth, 1, 1],
      beginMask: 0,
      endMask: 0,
      ellipsisMask: 0,
      newAxisMask: 0,
      shrinkAxisMask: 0,
    });
  }
  const flipped = s.transpose(s.run('Reverse', { x: w }, { dims: [0, 1] }), [0, 1, 3, 2]);
  return s.run('Conv2D', { x: d, filter: flipped }, {
    strides: [1, 1],
    pad: [[0, 0], [ph.padBefore, ph.padAfter], [pw.padBefore, pw.padAfter], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [1, 1],
  } as unknown as NamedAttrMap);
}

/**
 * Whether the merged convolution beats the per-phase ones: it multiplies by the zeros of
 * phases with fewer taps (16/9 of the work for 3×3 at stride 2) but saves s² − 1 kernel
 * calls and ~3 passes over dx. Measured on wasm (bench/profileTrain.ts, A/B per layer): the
 * merged route won up to ~30 extra multiply-adds per dx element and lost at ~110 (a
 * 16×64×64×32 → 64 layer: 75 vs 51 ms), so the break-even is put at 64.
 */
function mergedPays(g: ConvGeometry, ph: AxisPlan, pw: AxisPlan): boolean {
  const sh = ph.taps.length;
  const sw = pw.taps.length;
  if (sh === 1 && sw === 1) return true;
  const macsPerRow = g.outChannels * g.inChannels * g.batch;
  const merged = ph.rows * pw.rows * ph.length * pw.length * sh * sw * macsPerRow;
  const phases = ph.taps.reduce((acc, ta) => acc + pw.taps.reduce((acc2, tb) => acc2 + ta.length * tb.length, 0), 0) * ph.rows * pw.rows * macsPerRow;
  return merged - phases <= 64 * g.batch * g.inHeight * g.inWidth * g.inChannels;
}

/** The part of the wasm backend the merged filter needs. */
interface HeapBackend {
  readSync(dataId: object): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): TensorInfo;
}

/**
 * dx as one convolution per stride phase, interleaved (see the top of this file). Same work
 * as the forward convolution, but s² convolutions and more passes over dx (pads, concat, two
 * transposes), so it wins on large layers, where the merged route's extra multiplies cost
 * more than those passes.
 */
function phaseInputGrad(
  tf: Tf,
  backend: KernelBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const { strideHeight: sh, strideWidth: sw } = g;
  const s = new KernelScope(tf, backend, 'wasm');
  try {
    const phasesH = Array.from({ length: sh }, (_, a) => axisPhase(g.inHeight, g.outHeight, g.filterHeight, sh, g.padTop, a));
    const phasesW = Array.from({ length: sw }, (_, b) => axisPhase(g.inWidth, g.outWidth, g.filterWidth, sw, g.padLeft, b));
    if (sh === 1 && sw === 1) return s.keep(phaseConv(s, g, dy, filter, phasesH[0]!, phasesW[0]!));

    // Every phase padded to the longest (phase 0), stacked on a leading axis, interleaved
    // [a, b, N, Lh, Lw, C] → [N, Lh, a, Lw, b, C], then cut to H × W.
    const lh = phasesH[0]!.length;
    const lw = phasesW[0]!.length;
    const parts: TensorInfo[] = [];
    for (const ph of phasesH) {
      for (const pw of phasesW) {
        let part = phaseConv(s, g, dy, filter, ph, pw);
        if (ph.length < lh || pw.length < lw) {
          part = s.run('PadV2', { x: part }, { paddings: [[0, 0], [0, lh - ph.length], [0, lw - pw.length], [0, 0]], constantValue: 0 });
        }
        parts.push(part);
      }
    }
    // wasm transposes ranks ≤ 4 fast and 6 slowly (~30×), so the interleave is two 4-D/3-D
    // transposes: [a, b, N·Lh·Lw, C] → [a, N·Lh·Lw, b, C], then [a, N·Lh, Lw·b·C] → [N·Lh, a, Lw·b·C].
    const m = g.batch * lh;
    const stacked = s.reshape(s.run('Concat', parts as unknown as NamedTensorInfoMap, { axis: 0 }), [sh, sw, m * lw, g.inChannels]);
    const bInner = s.reshape(s.transpose(stacked, [0, 2, 1, 3]), [sh, m, lw * sw * g.inChannels]);
    const woven = s.reshape(s.transpose(bInner, [1, 0, 2]), [g.batch, lh * sh, lw * sw, g.inChannels]);
    if (lh * sh === g.inHeight && lw * sw === g.inWidth) return s.keep(woven);
    return s.keep(s.run('Slice', { x: woven }, { begin: [0, 0, 0, 0], size: [g.batch, g.inHeight, g.inWidth, g.inChannels] }));
  } finally {
    s.dispose();
  }
}

/**
 * dx for `y = conv2d(x, filter)` as one convolution over dy with all stride phases as output
 * channels (inputGradFilter.ts), or null when the fast route does not cover the case (the
 * caller then runs a correct fallback kernel).
 */
export function conv2dBackpropInputFast(
  tf: Tf,
  backend: KernelBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: BackpropInputAttrs,
  route: 'auto' | 'merged' | 'phases' = 'auto',
): TensorInfo | null {
  const g = convGeometry(tf, attrs.inputShape, filter.shape, attrs);
  if (g === null || filter.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const { strideHeight: sh, strideWidth: sw } = g;
  const ph = axisPlan(g.inHeight, g.outHeight, g.filterHeight, sh, g.padTop);
  const pw = axisPlan(g.inWidth, g.outWidth, g.filterWidth, sw, g.padLeft);
  if (route === 'phases' || (route === 'auto' && !mergedPays(g, ph, pw))) return phaseInputGrad(tf, backend, dy, filter, g);
  const s = new KernelScope(tf, backend, 'wasm');
  try {
    if (ph.length === 0 || pw.length === 0 || ph.end <= ph.begin || pw.end <= pw.begin) {
      return s.keep(s.run('Fill', {}, { shape: [g.batch, g.inHeight, g.inWidth, g.inChannels], value: 0, dtype: 'float32' }));
    }
    const heap = backend as unknown as HeapBackend;
    const k = mergedFilter(heap.readSync(filter.dataId), filter.shape, ph, pw);
    const merged = heap.makeOutput([ph.length, pw.length, g.outChannels, sh * sw * g.inChannels], 'float32', undefined, k);
    s.adopt(merged);
    let d = dy;
    if (ph.begin > 0 || pw.begin > 0 || ph.end < g.outHeight || pw.end < g.outWidth) {
      d = s.run('Slice', { x: dy }, { begin: [0, ph.begin, pw.begin, 0], size: [g.batch, ph.end - ph.begin, pw.end - pw.begin, g.outChannels] });
    }
    const out = s.run('Conv2D', { x: d, filter: merged }, {
      strides: [1, 1],
      pad: [[0, 0], [ph.padBefore, ph.padAfter], [pw.padBefore, pw.padAfter], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    } as unknown as NamedAttrMap);
    // Depth-to-space: [N·Lh, Lw, a, b·C] → [N·Lh, a, Lw, b·C] is [N, Lh·sh, Lw·sw, C].
    const woven =
      sh === 1
        ? s.reshape(out, [g.batch, ph.rows, pw.rows * sw, g.inChannels])
        : s.reshape(s.transpose(s.reshape(out, [g.batch * ph.rows, pw.rows, sh, sw * g.inChannels]), [0, 2, 1, 3]), [g.batch, ph.rows * sh, pw.rows * sw, g.inChannels]);
    if (ph.rows * sh === g.inHeight && pw.rows * sw === g.inWidth) return s.keep(woven);
    return s.keep(s.run('Slice', { x: woven }, { begin: [0, 0, 0, 0], size: [g.batch, g.inHeight, g.inWidth, g.inChannels] }));
  } finally {
    s.dispose();
  }
}

/** Reads the kernel's inputs and attributes from tfjs's untyped maps. */
export function backpropInputArgs(inputs: NamedTensorInfoMap, attrs: NamedAttrMap | undefined): { dy: TensorInfo; filter: TensorInfo; attrs: BackpropInputAttrs } {
  const [dy, filter] = kernelInputs('Conv2DBackpropInput', inputs, ['dy', 'filter']);
  return { dy, filter, attrs: kernelAttrs<BackpropInputAttrs>('Conv2DBackpropInput', attrs) };
}
