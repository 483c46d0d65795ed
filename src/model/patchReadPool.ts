/**
 * Reads patch files (readPatchPixels) on worker threads, so that decoding a world's patches
 * uses every core. On the main thread alone, with reads kept in flight, file I/O and inflate
 * already ran on libuv's pool, but GeoTIFF parsing, band conversion and allocation stayed on
 * the one JavaScript thread: reading a 150-plant world's 9,000 patches took ~28 s of a 66 s
 * training run (BENCHMARKS.md), and a second core could not help with it.
 *
 * Each worker imports this folder's patchInput module (compiled .js, or a bundle of the .ts
 * when run from the sources: backend/parallel/workerModule.ts) and answers a file name with
 * its bands and validity mask, transferred (moved, not copied) to the caller. An error
 * comes back as the InputError the same read on the main thread would throw.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startWorkerGroup } from '../backend/parallel/workerGroup.js';
import { InputError } from '../errors.js';
import type { PatchPixels } from './patchInput.js';

export interface PatchReadPool {
  readonly size: number;
  read(file: string): Promise<PatchPixels>;
  close(): Promise<void>;
}

/** How a reader reports a failed read: the InputError's parts, or the message of another error. */
interface ReadFailure {
  message: string;
  file: string | null;
  problem: string | null;
}

/** The worker: imports the module named in workerData and reads one file per message. */
const READER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const mod = await import(workerData.moduleUrl);
  parentPort.on('message', async (msg) => {
    try {
      const p = await mod.readPatchPixels(msg.file);
      parentPort.postMessage({ id: msg.id, pixels: p }, [...p.bands.map((b) => b.buffer), p.valid.buffer]);
    } catch (e) {
      const input = e && e.name === 'InputError';
      parentPort.postMessage({ id: msg.id, failure: { message: String((e && e.message) || e), file: input ? e.file : null, problem: input ? e.problem : null } });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
`;

function readerModule(): string {
  return new URL(`./patchInput${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
}

/**
 * Whether reader threads can start here: they import patchInput from beside this module,
 * which a bundle of co2sat (one file, or chunks elsewhere) does not have. Callers then read
 * on their own thread.
 */
export function patchReadersAvailable(): boolean {
  return existsSync(fileURLToPath(readerModule()));
}

/**
 * Starts `size` reader threads (at least 1) as a worker group (backend/parallel/workerGroup.ts).
 * Idle threads do not keep the process alive, so a pool held by a long-lived object (a loaded
 * model) needs no close before exit; close it to free the threads sooner.
 */
export async function createPatchReadPool(size: number): Promise<PatchReadPool> {
  const group = await startWorkerGroup({ moduleUrl: readerModule(), init: null, size: Math.max(1, Math.floor(size)), source: READER_SOURCE, label: 'patch reader', idleUnref: true });
  let closed = false;
  return {
    size: group.size,
    async read(file) {
      if (closed) throw new Error('patch read pool closed');
      // The least busy worker: reads differ in size, so round-robin would let one queue grow.
      let k = 0;
      for (let i = 1; i < group.size; i++) if (group.inFlight(i) < group.inFlight(k)) k = i;
      const reply = await group.call(k, { file }, []);
      const failure = reply['failure'] as ReadFailure | undefined;
      if (failure !== undefined) throw failure.file !== null && failure.problem !== null ? new InputError(failure.file, failure.problem) : new Error(failure.message);
      return reply['pixels'] as PatchPixels;
    },
    async close() {
      closed = true;
      await group.close();
    },
  };
}
