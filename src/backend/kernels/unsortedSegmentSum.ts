/**
 * UnsortedSegmentSum for wasm, which lacks it. tfjs's gradient of `gather` (used by masked
 * losses that pick the labelled samples) scatters with it. The tensors it sees in training
 * are small (a batch of per-sample values), so a direct loop over the heap is enough.
 */
import type { DataType, KernelConfig, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { kernelInputs } from './kernelInputs.js';

interface HeapBackend {
  readSync(dataId: object): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number, values?: Float32Array | Int32Array): TensorInfo;
}

function unsortedSegmentSum(args: { inputs: NamedTensorInfoMap; backend: unknown; attrs?: Record<string, unknown> }): TensorInfo {
  const [x, ids] = kernelInputs('UnsortedSegmentSum', args.inputs, ['x', 'segmentIds']);
  const numSegments = Number(args.attrs?.['numSegments']);
  if (!Number.isInteger(numSegments)) throw new Error('UnsortedSegmentSum: missing attribute numSegments');
  const heap = args.backend as HeapBackend;
  const xv = heap.readSync(x.dataId);
  const idv = heap.readSync(ids.dataId);
  // segmentIds covers the leading dimensions of x; each id owns a trailing block.
  const idCount = ids.shape.reduce((a, b) => a * b, 1);
  const block = idCount === 0 ? 0 : xv.length / idCount;
  const outShape = [numSegments, ...x.shape.slice(ids.shape.length)];
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * block) : new Float32Array(numSegments * block);
  for (let i = 0; i < idCount; i++) {
    const seg = idv[i]!;
    if (seg < 0 || seg >= numSegments) continue; // TensorFlow drops out-of-range ids
    for (let k = 0; k < block; k++) out[seg * block + k]! += xv[i * block + k]!;
  }
  return heap.makeOutput(outShape, x.dtype === 'int32' ? 'int32' : 'float32', undefined, out);
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as KernelConfig['kernelFunc'],
};
