/**
 * A fixed group of worker threads running WORKER_SOURCE (tfjs) or a caller's source, with
 * request/response matching by id; the inference, training and patch-reading pools are thin
 * layers over it.
 */
import { Worker } from 'node:worker_threads';
import { wasmBinaryDir } from '../wasmPaths.js';
import { workerModuleUrl } from './workerModule.js';
import { WORKER_SOURCE } from './workerSource.js';

export interface WorkerGroupOptions {
  moduleUrl: string;
  init: unknown;
  size: number;
  /** tfjs backend inside WORKER_SOURCE's workers (default 'wasm'). */
  backend?: 'wasm' | 'cpu';
  /**
   * The code each worker runs (`new Worker(code, { eval: true })`), default WORKER_SOURCE. It
   * gets the same workerData (`moduleUrl`: the importable module) and must post `{ ready: true }`
   * once started, `{ fatal }` if it cannot start, and `{ id, … }` (or `{ id, error }`) per call.
   */
  source?: string;
  /** Names the workers in start-up errors (default 'worker'). */
  label?: string;
  /**
   * Workers with no call pending do not keep the process alive (unref'd), so a group held by
   * a long-lived object needs no close before exit.
   */
  idleUnref?: boolean;
  /** What the workers run (workerSource.ts); default 'predict'. */
  kind?: 'predict' | 'train';
  /** Shared memory every worker sees (SharedArrayBuffers are shared, not copied). */
  shared?: Record<string, SharedArrayBuffer>;
  /** How long close() waits for busy workers (default CLOSE_DRAIN_MS). */
  closeDrainMs?: number;
}

export interface Reply {
  id?: number;
  error?: string;
  ready?: boolean;
  fatal?: string;
  [key: string]: unknown;
}

export interface WorkerGroup {
  readonly size: number;
  /** Calls pending on worker `index`. */
  inFlight(index: number): number;
  call(index: number, message: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<Reply>;
  /**
   * Rejects the calls still pending, waits (up to closeDrainMs) for the workers to finish
   * what they are running, then ends the threads.
   */
  close(): Promise<void>;
}

/**
 * How long close() waits for busy workers before ending them anyway. Ending a thread while
 * it runs JavaScript can stop it inside zlib's constructor, between creating the native
 * handle and initialising it; Node's cleanup then aborts the whole process
 * (node_zlib.cc: `init_done_ && "close before init"`, seen in CI when a failed read closed the
 * patch readers while other reads were inflating). A worker waiting for a message holds only
 * initialised handles, so ending it then is safe. The wait is bounded so that a stuck worker
 * cannot hang close().
 */
export const CLOSE_DRAIN_MS = 30_000;

export async function startWorkerGroup(opts: WorkerGroupOptions): Promise<WorkerGroup> {
  const workerData = {
    anchor: import.meta.url,
    wasmDir: wasmBinaryDir(),
    backend: opts.backend ?? 'wasm',
    moduleUrl: await workerModuleUrl(opts.moduleUrl),
    init: opts.init,
    kind: opts.kind ?? 'predict',
    shared: opts.shared ?? {},
  };
  const workers = Array.from({ length: Math.max(1, opts.size) }, () => new Worker(opts.source ?? WORKER_SOURCE, { eval: true, workerData }));
  const label = opts.label ?? 'worker';
  const pending = new Map<number, { worker: number; resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  const load = new Array<number>(workers.length).fill(0);
  const exited = new Array<boolean>(workers.length).fill(false);
  // Called whenever a worker's load drops to 0 or it exits (close() waits on these).
  let onIdle: (() => void) | null = null;
  // A thread that dies (an error thrown outside a call's handler, memory exhausted) answers
  // none of its calls: they fail, naming the thread, instead of waiting forever.
  const failCalls = (k: number, reason: string): void => {
    for (const [id, p] of pending) {
      if (p.worker !== k) continue;
      pending.delete(id);
      p.reject(new Error(reason));
    }
    load[k] = 0;
  };
  // The calls fail at 'exit', not at 'error': Node delivers the messages a thread posted
  // before it died ahead of 'exit' (not of 'error'), so replies already sent still arrive.
  const deathOf = new Array<string | null>(workers.length).fill(null);
  workers.forEach((w, k) => {
    w.on('error', (e: Error) => (deathOf[k] ??= `${label} thread ${k + 1} failed: ${e.message.split('\n')[0]}`));
    w.once('exit', (code: number) => {
      exited[k] = true;
      failCalls(k, deathOf[k] ?? `${label} thread ${k + 1} exited (code ${code})`);
      onIdle?.();
    });
  });
  let nextId = 0;
  try {
    await Promise.all(
      workers.map(
        (w, k) =>
          new Promise<void>((resolve, reject) => {
            w.once('error', reject);
            w.on('message', (m: Reply) => {
              if (m.ready) resolve();
              else if (m.fatal !== undefined) reject(new Error(`${label} failed to start: ${m.fatal.split('\n')[0]}`));
              else if (m.id !== undefined) {
                const p = pending.get(m.id);
                pending.delete(m.id);
                load[k] = load[k]! - 1;
                if (load[k] === 0) {
                  if (opts.idleUnref) w.unref();
                  onIdle?.();
                }
                if (p === undefined) return;
                if (m.error !== undefined) p.reject(new Error(`worker: ${m.error.split('\n')[0]}`));
                else p.resolve(m);
              }
            });
          }),
      ),
    );
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  if (opts.idleUnref) for (const w of workers) w.unref();
  return {
    size: workers.length,
    inFlight: (index) => load[index] ?? 0,
    call(index, message, transfer) {
      return new Promise<Reply>((resolve, reject) => {
        if (exited[index]) {
          reject(new Error(`${label} thread ${index + 1} has exited`));
          return;
        }
        const id = nextId++;
        pending.set(id, { worker: index, resolve, reject });
        load[index] = load[index]! + 1;
        if (opts.idleUnref && load[index] === 1) workers[index]!.ref();
        workers[index]!.postMessage({ id, ...message }, transfer);
      });
    },
    async close() {
      for (const p of pending.values()) p.reject(new Error('worker pool closed'));
      pending.clear();
      const busy = (): boolean => workers.some((_, k) => !exited[k] && (load[k] ?? 0) > 0);
      if (busy()) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          onIdle = () => {
            if (!busy()) resolve();
          };
          timer = setTimeout(resolve, opts.closeDrainMs ?? CLOSE_DRAIN_MS);
        });
        clearTimeout(timer);
        onIdle = null;
      }
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Splits `batch` rows into at most `parts` contiguous [start, count] chunks. */
export function splitBatch(batch: number, parts: number): [number, number][] {
  const chunk = Math.ceil(batch / Math.max(1, parts));
  const out: [number, number][] = [];
  for (let start = 0; start < batch; start += chunk) out.push([start, Math.min(chunk, batch - start)]);
  return out;
}
