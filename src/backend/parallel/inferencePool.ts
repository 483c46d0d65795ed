/**
 * Data-parallel inference over worker_threads. tfjs's wasm backend runs one thread in Node,
 * so a batch is split along its first axis across workers, each with its own wasm backend
 * and its own copy of the model (built by a predictor module inside the worker), and the
 * outputs are concatenated in order.
 *
 * A predictor module is any ES module exporting
 * `createPredictor(tf, init) => Promise<(x: Tensor4D) => Tensor>`; `init` must be
 * structured-clonable (spec + weights as typed arrays, for instance).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { wasmBinaryDir } from '../wasmPaths.js';
import { WORKER_SOURCE } from './workerSource.js';

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

interface Reply {
  id?: number;
  buffer?: ArrayBuffer;
  shape?: number[];
  error?: string;
  ready?: boolean;
  fatal?: string;
}

/** Starts the workers and waits until each has built its predictor. */
export async function createInferencePool(opts: InferencePoolOptions): Promise<InferencePool> {
  const size = Math.max(1, opts.workers ?? availableParallelism());
  const workerData = {
    anchor: import.meta.url,
    wasmDir: wasmBinaryDir(),
    backend: opts.backend ?? 'wasm',
    moduleUrl: opts.moduleUrl,
    init: opts.init,
  };
  const workers = Array.from({ length: size }, () => new Worker(WORKER_SOURCE, { eval: true, workerData }));
  const pending = new Map<number, { resolve: (r: PredictResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('error', reject);
            w.on('message', (m: Reply) => {
              if (m.ready) resolve();
              else if (m.fatal !== undefined) reject(new Error(`inference worker failed to start: ${m.fatal.split('\n')[0]}`));
              else if (m.id !== undefined) {
                const p = pending.get(m.id);
                pending.delete(m.id);
                if (p === undefined) return;
                if (m.error !== undefined) p.reject(new Error(`inference worker: ${m.error.split('\n')[0]}`));
                else p.resolve({ values: new Float32Array(m.buffer!), shape: m.shape! });
              }
            });
          }),
      ),
    );
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }

  const call = (w: Worker, values: Float32Array, shape: number[]) =>
    new Promise<PredictResult>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      w.postMessage({ id, buffer: values.buffer, shape }, [values.buffer as ArrayBuffer]);
    });

  return {
    size,
    async predict(values, shape) {
      const batch = shape[0] ?? 0;
      const per = values.length / Math.max(batch, 1);
      const chunk = Math.ceil(batch / size);
      const jobs: Promise<PredictResult>[] = [];
      for (let i = 0, start = 0; start < batch; i++, start += chunk) {
        const n = Math.min(chunk, batch - start);
        // slice() copies the chunk, so transferring it leaves the caller's array intact.
        jobs.push(call(workers[i]!, values.slice(start * per, (start + n) * per), [n, ...shape.slice(1)]));
      }
      const parts = await Promise.all(jobs);
      const total = parts.reduce((a, p) => a + p.values.length, 0);
      const out = new Float32Array(total);
      let offset = 0;
      for (const p of parts) {
        out.set(p.values, offset);
        offset += p.values.length;
      }
      return { values: out, shape: [batch, ...(parts[0]?.shape.slice(1) ?? [])] };
    },
    async close() {
      for (const p of pending.values()) p.reject(new Error('inference pool closed'));
      pending.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
