/**
 * A worker group's threads dying, and closing the group while they are busy. A thread that
 * dies fails its pending calls (before, they waited forever).
 *
 * Closing a worker group while its threads are busy. Ending a thread in the middle of its
 * JavaScript can catch it inside zlib's constructor (native handle made, not yet
 * initialised), and Node's cleanup then aborts the whole process ("close before init"): CI
 * died that way when a failed patch read closed the readers while other reads inflated.
 * close() therefore lets the calls already sent finish (bounded by closeDrainMs) and only
 * then ends the threads; callers still get their rejection at once.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startWorkerGroup } from '../../src/backend/parallel/workerGroup.js';
import { compileEntries } from '../pipeline/compile.js';

/**
 * A worker that spins for `ms` on each call, then marks `slot` done in shared memory; with
 * `inflate` it spends the time in zlib.inflateSync calls (each builds a zlib object).
 */
const BUSY_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const packed = zlib.deflateSync(Buffer.alloc(256, 7));
const done = workerData.shared.done ? new Int32Array(workerData.shared.done) : null;
parentPort.on('message', (msg) => {
  // Uncaught, so the thread dies (no error reply), as it would on an error outside a call's try.
  if (msg.crash) throw new Error('boom ' + msg.slot);
  const end = Date.now() + msg.ms;
  let n = 0;
  while (msg.forever || Date.now() < end) {
    if (msg.inflate) zlib.inflateSync(packed);
    n++;
  }
  if (done) Atomics.store(done, msg.slot, 1);
  parentPort.postMessage({ id: msg.id, n });
});
parentPort.postMessage({ ready: true });
`;

// Not imported by BUSY_SOURCE; the group only passes it on.
const UNUSED_MODULE = 'file:///unused.js';

describe('WorkerGroup', () => {
  it('lets the calls already sent finish before ending the threads, and rejects their promises at once', async () => {
    const done = new SharedArrayBuffer(4 * 3);
    const group = await startWorkerGroup({ moduleUrl: UNUSED_MODULE, init: null, size: 2, source: BUSY_SOURCE, shared: { done } });
    // Worker 0 gets two calls (the second waits in its queue), worker 1 one.
    const calls = [group.call(0, { ms: 300, slot: 0 }, []), group.call(0, { ms: 100, slot: 1 }, []), group.call(1, { ms: 200, slot: 2 }, [])];
    const settled = calls.map((c) => c.then(() => 'resolved', (e: Error) => e.message));
    await new Promise((r) => setTimeout(r, 50));
    const closing = group.close();
    // The callers are answered before the threads finish.
    expect(await Promise.all(settled)).toEqual(['worker pool closed', 'worker pool closed', 'worker pool closed']);
    expect(Array.from(new Int32Array(done))).not.toEqual([1, 1, 1]);
    await closing;
    expect(Array.from(new Int32Array(done))).toEqual([1, 1, 1]);
  });

  it('ends a worker that never finishes once closeDrainMs has passed', async () => {
    const group = await startWorkerGroup({ moduleUrl: UNUSED_MODULE, init: null, size: 1, source: BUSY_SOURCE, closeDrainMs: 200 });
    const stuck = group.call(0, { forever: true, slot: 0 }, []).catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 50));
    await group.close();
    expect(await stuck).toBe('worker pool closed');
  }, 20_000);

  it('a thread that dies fails its own calls, naming it, and refuses new ones; the other threads go on', async () => {
    const group = await startWorkerGroup({ moduleUrl: UNUSED_MODULE, init: null, size: 2, source: BUSY_SOURCE, label: 'patch reader' });
    const queued = group.call(0, { ms: 1, slot: 1 }, []).then(() => 'resolved', (e: Error) => e.message);
    const crashed = group.call(0, { crash: true, slot: 7 }, []).then(() => 'resolved', (e: Error) => e.message);
    const behind = group.call(0, { ms: 1, slot: 2 }, []).then(() => 'resolved', (e: Error) => e.message);
    expect(await queued).toBe('resolved');
    expect(await crashed).toBe('patch reader thread 1 failed: boom 7');
    expect(await behind).toBe('patch reader thread 1 failed: boom 7');
    await new Promise((r) => setTimeout(r, 100));
    await expect(group.call(0, { ms: 1, slot: 0 }, [])).rejects.toThrow('patch reader thread 1 has exited');
    expect(group.inFlight(0)).toBe(0);
    const other = await group.call(1, { ms: 5, slot: 0 }, []);
    expect(other['n']).toBeGreaterThan(0);
    await group.close();
  });

  it('a reply a thread posted just before it died still arrives (20 rounds)', async () => {
    // The thread answers one call, then dies on the next message: the answer must not be lost
    // to the death (Node delivers a thread's messages before its 'exit', not before 'error').
    for (let round = 0; round < 20; round++) {
      const group = await startWorkerGroup({ moduleUrl: UNUSED_MODULE, init: null, size: 1, source: BUSY_SOURCE, label: 'reader' });
      const answered = group.call(0, { ms: 0, slot: 0 }, []).then(() => 'resolved', (e: Error) => e.message);
      const crashed = group.call(0, { crash: true, slot: round }, []).then(() => 'resolved', (e: Error) => e.message);
      expect([await answered, await crashed]).toEqual(['resolved', `reader thread 1 failed: boom ${round}`]);
      await group.close();
    }
  });

  it('closing groups whose threads are inflating does not abort the process', async () => {
    // A child process, because the abort takes down the process it happens in.
    const root = await compileEntries(['src/backend/parallel/workerGroup.ts']);
    const script = path.join(mkdtempSync(path.join(tmpdir(), 'co2sat-wg-')), 'close-busy.mjs');
    writeFileSync(
      script,
      `const { startWorkerGroup } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist/src/backend/parallel/workerGroup.js')).href)});
const source = ${JSON.stringify(BUSY_SOURCE)};
for (let it = 0; it < 40; it++) {
  const g = await startWorkerGroup({ moduleUrl: ${JSON.stringify(UNUSED_MODULE)}, init: null, size: 2, source });
  const calls = [0, 1].map((k) => g.call(k, { ms: 40, inflate: true, slot: 0 }, []).catch(() => null));
  await new Promise((r) => setTimeout(r, 5 + (it % 7) * 3));
  await g.close();
  await Promise.all(calls);
}
console.log('closed 40 busy groups');
`,
    );
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).not.toContain('close before init');
    expect({ status: run.status, signal: run.signal, stdout: run.stdout.trim() }).toEqual({ status: 0, signal: null, stdout: 'closed 40 busy groups' });
  }, 150_000);
});
