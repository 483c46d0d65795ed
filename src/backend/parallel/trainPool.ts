/**
 * Synchronous data-parallel training over worker threads. Each worker has its own wasm
 * backend and its own copy of the network (built by a trainer module inside the worker);
 * the parameters live once, in shared memory (a SharedArrayBuffer the caller updates), and
 * each worker writes its shard's flat gradient into its own slot of a second shared buffer.
 * A step sends shard i to worker i, waits for all, and sums the slots IN SHARD ORDER, so
 * the result never depends on which worker finished first.
 *
 * A trainer module is an ES module exporting `createTrainer(tf, init) => Promise<{ size,
 * setParams(flat), step(shard, gradsOut) => result }>` (`size`: the flat parameter count;
 * `step` must write the full gradient of the shard's share of the loss into gradsOut and
 * return structured-clonable numbers). TypeScript modules are bundled for the workers
 * (workerModule.ts).
 */
import { availableParallelism } from 'node:os';
import { startWorkerGroup } from './workerGroup.js';

export interface TrainPoolOptions {
  /** URL (file://…) of the trainer module. */
  moduleUrl: string;
  /** Passed to createTrainer in every worker (structured-clonable). */
  init: unknown;
  /** Length of the flat parameter vector. */
  paramCount: number;
  /** Worker count (default: available cores). */
  workers?: number;
  /** tfjs backend inside workers (default 'wasm'). */
  backend?: 'wasm' | 'cpu';
}

export interface TrainPool {
  readonly size: number;
  /** The parameters every worker loads before its step (shared memory): write the current values here. */
  readonly params: Float32Array;
  /**
   * One step: shard i runs on worker i (at most `size` shards). Resolves with the gradient
   * summed over the shards in their order (a buffer reused by the next step) and each shard's result.
   */
  step(shards: readonly unknown[]): Promise<{ grads: Float32Array; results: unknown[] }>;
  close(): Promise<void>;
}

export async function createTrainPool(opts: TrainPoolOptions): Promise<TrainPool> {
  const size = Math.max(1, opts.workers ?? availableParallelism());
  const n = opts.paramCount;
  const paramsBuffer = new SharedArrayBuffer(n * 4);
  const gradsBuffer = new SharedArrayBuffer(size * n * 4);
  const group = await startWorkerGroup({
    moduleUrl: opts.moduleUrl,
    init: opts.init,
    size,
    backend: opts.backend ?? 'wasm',
    kind: 'train',
    shared: { params: paramsBuffer, grads: gradsBuffer },
  });
  const params = new Float32Array(paramsBuffer);
  const slots = Array.from({ length: size }, (_, i) => new Float32Array(gradsBuffer, i * n * 4, n));
  const sum = new Float32Array(n);
  return {
    size,
    params,
    async step(shards) {
      if (shards.length === 0 || shards.length > size) throw new Error(`a step needs 1 to ${size} shards, got ${shards.length}`);
      const replies = await Promise.all(shards.map((shard, i) => group.call(i, { slot: i, shard }, [])));
      sum.set(slots[0]!);
      for (let k = 1; k < shards.length; k++) {
        const slot = slots[k]!;
        for (let i = 0; i < n; i++) sum[i] = sum[i]! + slot[i]!;
      }
      return { grads: sum, results: replies.map((r) => r['result']) };
    },
    close: () => group.close(),
  };
}
