/**
 * Data-parallel inference over worker_threads. tfjs's wasm backend runs one thread in Node,
 * so a batch is split along its first axis across workers, each with its own wasm backend
 * and its own copy of the model (built by a predictor module inside the worker), and the
 * outputs are concatenated in order.
 *
 * A predictor module is an ES module (plain .js: workers cannot load TypeScript) exporting
 * `createPredictor(tf, init) => Promise<(x: Tensor4D) => Tensor>`; `init` must be
 * structured-clonable (spec + weights as typed arrays, for instance).
 */
import { availableParallelism } from 'node:os';
import { splitBatch, startWorkerGroup } from './workerGroup.js';

export interface InferencePoolOptions {
  /** URL (file://…) of the predictor module. */
  moduleUrl: string;
  /** Passed to createPredictor in every worker. */
  init: unknown;
  /** Worker count (default: available cores). */
  workers?: number;
  /** tfjs backend inside workers (default 'wasm'; 'cpu' for debugging). */
  backend?: 'wasm' | 'cpu';
}

export interface PredictResult {
  values: Float32Array;
  shape: number[];
}

export interface InferencePool {
  readonly size: number;
  /** Runs the predictor on a [B, …] batch; B is split over the workers. */
  predict(values: Float32Array, shape: readonly number[]): Promise<PredictResult>;
  close(): Promise<void>;
}

/** Starts the workers and waits until each has built its predictor. */
export async function createInferencePool(opts: InferencePoolOptions): Promise<InferencePool> {
  const group = await startWorkerGroup({
    moduleUrl: opts.moduleUrl,
    init: opts.init,
    size: opts.workers ?? availableParallelism(),
    backend: opts.backend ?? 'wasm',
  });
  return {
    size: group.size,
    async predict(values, shape) {
      const batch = shape[0] ?? 0;
      const per = values.length / Math.max(batch, 1);
      const parts = await Promise.all(
        splitBatch(batch, group.size).map(([start, n], i) => {
          // slice() copies the chunk, so transferring it leaves the caller's array intact.
          const chunk = values.slice(start * per, (start + n) * per);
          return group.call(i, { buffer: chunk.buffer, shape: [n, ...shape.slice(1)] }, [chunk.buffer]);
        }),
      );
      const arrays = parts.map((p) => new Float32Array(p['buffer'] as ArrayBuffer));
      const out = new Float32Array(arrays.reduce((a, v) => a + v.length, 0));
      let offset = 0;
      for (const a of arrays) {
        out.set(a, offset);
        offset += a.length;
      }
      return { values: out, shape: [batch, ...((parts[0]?.['shape'] as number[] | undefined)?.slice(1) ?? [])] };
    },
    close: () => group.close(),
  };
}
