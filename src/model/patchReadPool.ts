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
import { Worker } from 'node:worker_threads';
import { workerModuleUrl } from '../backend/parallel/workerModule.js';
import { InputError } from '../errors.js';
import type { PatchPixels } from './patchInput.js';

export interface PatchReadPool {
  readonly size: number;
  read(file: string): Promise<PatchPixels>;
  close(): Promise<void>;
}

interface ReadReply {
  id?: number;
  ready?: boolean;
  fatal?: string;
  pixels?: PatchPixels;
  error?: { message: string; file: string | null; problem: string | null };
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
      parentPort.postMessage({ id: msg.id, error: { message: String((e && e.message) || e), file: input ? e.file : null, problem: input ? e.problem : null } });
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
 * Starts `size` reader threads (at least 1). Idle threads do not keep the process alive
 * (they are unref'd while no read is pending), so a pool held by a long-lived object (a
 * loaded model) needs no close before exit; close it to free the threads sooner.
 */
export async function createPatchReadPool(size: number): Promise<PatchReadPool> {
  const workerData = { moduleUrl: await workerModuleUrl(readerModule()) };
  const workers = Array.from({ length: Math.max(1, Math.floor(size)) }, () => new Worker(READER_SOURCE, { eval: true, workerData }));
  const pending = new Map<number, { resolve: (p: PatchPixels) => void; reject: (e: Error) => void }>();
  const load = new Array<number>(workers.length).fill(0);
  let nextId = 0;
  let closed = false;
  try {
    await Promise.all(
      workers.map(
        (w, k) =>
          new Promise<void>((resolve, reject) => {
            w.once('error', reject);
            w.on('message', (m: ReadReply) => {
              if (m.ready) return resolve();
              if (m.fatal !== undefined) return reject(new Error(`patch reader failed to start: ${m.fatal.split('\n')[0]}`));
              if (m.id === undefined) return;
              const p = pending.get(m.id);
              pending.delete(m.id);
              load[k] = load[k]! - 1;
              if (load[k] === 0) w.unref();
              if (p === undefined) return;
              if (m.error !== undefined) p.reject(m.error.file !== null && m.error.problem !== null ? new InputError(m.error.file, m.error.problem) : new Error(m.error.message));
              else if (m.pixels !== undefined) p.resolve(m.pixels);
            });
          }),
      ),
    );
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  for (const w of workers) w.unref();
  return {
    size: workers.length,
    read(file) {
      if (closed) return Promise.reject(new Error('patch read pool closed'));
      return new Promise<PatchPixels>((resolve, reject) => {
        // The least busy worker: reads differ in size, so round-robin would let one queue grow.
        let k = 0;
        for (let i = 1; i < workers.length; i++) if (load[i]! < load[k]!) k = i;
        const id = nextId++;
        pending.set(id, { resolve, reject });
        load[k] = load[k]! + 1;
        if (load[k] === 1) workers[k]!.ref();
        workers[k]!.postMessage({ id, file });
      });
    },
    async close() {
      closed = true;
      for (const p of pending.values()) p.reject(new Error('patch read pool closed'));
      pending.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
