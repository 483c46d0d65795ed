/**
 * Sum, Mean and Tile for wasm on XNNPACK operators, where wasm's own kernels are slow on
 * the shapes training hits: batch-norm and bias gradients sum a [N, H, W, C] tensor over
 * N, H, W (wasm: transpose, then a scalar loop; ~10× slower than one average pooling),
 * global average pooling means over H, W, and tfjs's batch-norm gradient
 * tiles a [1, 1, 1, C] vector to the full [N, H, W, C] (wasm: a per-element index loop,
 * ~200× slower than ones[NHW, 1]·v). Shapes outside these patterns, and non-float32 data,
 * run wasm's own kernel.
 */
import type { KernelBackend, KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types.js';
import { tileByBroadcast } from './broadcast.js';
import { KernelScope } from './kernelScope.js';
import { kernelInputs } from './kernelInputs.js';

/**
 * Sorted, non-negative axes (null/undefined = all, as in tfjs); null unless they form one
 * contiguous block.
 */
export function contiguousAxes(axis: number | number[] | null | undefined, rank: number): number[] | null {
  const given = axis === null || axis === undefined ? Array.from({ length: rank }, (_, i) => i) : Array.isArray(axis) ? axis : [axis];
  const list = [...new Set(given.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  if (list.length === 0 || list[0]! < 0 || list[list.length - 1]! >= rank) return null;
  for (let i = 1; i < list.length; i++) if (list[i] !== list[i - 1]! + 1) return null;
  return list;
}

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/**
 * Mean (or Σ, scaled by R) over a contiguous block of axes as one average pooling of
 * X[B, R, 1, C] with an R × 1 window. Pooling streams X once; a GEMM against ones would
 * first pack X as its weight matrix, which costs more than the sum on fresh tensors.
 */
function reduceByPooling(tf: Tf, backend: KernelBackend, x: TensorInfo, attrs: NamedAttrMap, mean: boolean): TensorInfo | null {
  if (x.dtype !== 'float32') return null;
  const axes = contiguousAxes(attrs['axis'] as number | number[] | null | undefined, x.shape.length);
  if (axes === null) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  const b = prod(x.shape.slice(0, first));
  const r = prod(x.shape.slice(first, last + 1));
  const c = prod(x.shape.slice(last + 1));
  if (r <= 1 || b * c === 0) return null;
  const outShape = attrs['keepDims'] === true ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d)) : x.shape.filter((_, i) => i < first || i > last);
  const s = new KernelScope(tf, backend, 'wasm');
  try {
    const pooled = s.run('AvgPool', { x: s.reshape(x, [b, r, 1, c]) }, { filterSize: [r, 1], strides: [1, 1], pad: 'valid' });
    if (mean) return s.keep(s.reshape(pooled, outShape));
    const count = s.run('Fill', {}, { shape: [], value: r, dtype: 'float32' });
    return s.keep(s.reshape(s.run('Multiply', { a: pooled, b: count }), outShape));
  } finally {
    s.dispose();
  }
}

/** Tile that only repeats leading size-1 axes is a broadcast: ones[M, 1]·x[1, K]. */
function tileByMatMul(tf: Tf, backend: KernelBackend, x: TensorInfo, reps: number[]): TensorInfo | null {
  if (x.dtype !== 'float32' || reps.length !== x.shape.length) return null;
  let j = 0;
  reps.forEach((rep, i) => {
    if (rep > 1) j = i + 1;
  });
  if (x.shape.slice(0, j).some((d) => d !== 1)) return null;
  const m = prod(reps.slice(0, j));
  const k = prod(x.shape);
  if (m <= 1 || k === 0) return null;
  const s = new KernelScope(tf, backend, 'wasm');
  try {
    const ones = s.run('Fill', {}, { shape: [m, 1], value: 1, dtype: 'float32' });
    const y = s.run('BatchMatMul', { a: ones, b: s.reshape(x, [1, k]) }, { transposeA: false, transposeB: false });
    return s.keep(s.reshape(y, x.shape.map((d, i) => d * reps[i]!)));
  } finally {
    s.dispose();
  }
}

/** Kernel configs that try the XNNPACK route and fall back to `stock[name]`. */
export function reductionConfigs(tf: Tf, stock: ReadonlyMap<string, KernelConfig | undefined>): KernelConfig[] {
  const withFallback =
    (name: string, fast: (backend: KernelBackend, inputs: NamedTensorInfoMap, attrs: NamedAttrMap) => TensorInfo | null): KernelConfig['kernelFunc'] =>
    ({ inputs, backend, attrs }) => {
      const out = fast(backend as KernelBackend, inputs, attrs ?? {});
      if (out !== null) return out;
      const fallback = stock.get(name);
      if (fallback === undefined) throw new Error(`${name}: case not covered and wasm has no kernel of its own`);
      return fallback.kernelFunc({ inputs, backend, attrs });
    };
  const input = (inputs: NamedTensorInfoMap): TensorInfo => kernelInputs('reduction kernel', inputs, ['x'])[0];
  return [
    { kernelName: 'Sum', backendName: 'wasm', kernelFunc: withFallback('Sum', (be, i, a) => reduceByPooling(tf, be, input(i), a, false)) },
    { kernelName: 'Mean', backendName: 'wasm', kernelFunc: withFallback('Mean', (be, i, a) => reduceByPooling(tf, be, input(i), a, true)) },
    { kernelName: 'Tile', backendName: 'wasm', kernelFunc: withFallback('Tile', (be, i, a) => tileByMatMul(tf, be, input(i), a['reps'] as number[]) ?? tileByBroadcast(tf, be, input(i), a['reps'] as number[])) },
  ];
}
