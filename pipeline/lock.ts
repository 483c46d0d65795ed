/**
 * One run at a time per output folder: a lock file created with O_EXCL holding the owner's
 * PID, host and start time. A lock left by a process that no longer exists on this host
 * (`kill -9`, a crash, a reboot) is stale and taken over; a live owner makes the second
 * run fail at once with a message naming the PID, so schedulers see a clear error instead
 * of two runs interleaving their writes.
 *
 * Limits: PIDs are only checked on the same host (a lock from another host is never
 * treated as stale: remove it by hand if that host is gone), and two runs that find the
 * same stale lock at the same instant could both take it over; the rename-then-check below
 * re-checks what it moved aside, which makes that window a few microseconds wide.
 */
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { isAlive } from '../src/io/atomicWrite.js';

export interface LockInfo {
  pid: number;
  host: string;
  started: string;
  command: string;
}

/** Another live process holds the lock. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(
    readonly lockFile: string,
    readonly holder: LockInfo,
  ) {
    super(
      `${lockFile}: another co2sat run (pid ${holder.pid} on ${holder.host}, started ${holder.started}) is writing this output folder; wait for it or stop it` +
        (holder.host === hostname() ? '' : `, or delete the lock if ${holder.host} is gone`),
    );
  }
}

export interface Lock {
  readonly file: string;
  /** Removes the lock (only if it is still ours). Safe to call twice. */
  release(): Promise<void>;
}

async function readLock(file: string): Promise<LockInfo | null> {
  try {
    const info = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LockInfo>;
    if (typeof info.pid !== 'number' || typeof info.host !== 'string') return null;
    return { pid: info.pid, host: info.host, started: String(info.started ?? '?'), command: String(info.command ?? '') };
  } catch {
    return null;
  }
}

/**
 * Takes the lock file `file`, removing a stale one.
 * @throws LockHeldError when a live process holds it
 */
export async function acquireLock(file: string, command = process.argv.slice(1).join(' ')): Promise<Lock> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const me: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const handle = await fs.open(file, 'wx');
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        file,
        release: async () => {
          if (released) return;
          released = true;
          const now = await readLock(file);
          if (now && now.pid === me.pid && now.host === me.host && now.started === me.started) await fs.rm(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readLock(file);
    if (holder === null) {
      // Unreadable: a writer between open and write, or a torn file from a crash. Give a
      // live writer a moment, then treat a still-unreadable lock as stale.
      await new Promise((r) => setTimeout(r, 50));
      if ((await readLock(file)) !== null) continue;
    } else if (holder.host !== hostname() || isAlive(holder.pid)) {
      throw new LockHeldError(file, holder);
    }
    // Stale: move it aside under a unique name (atomic), then retry the exclusive create.
    const aside = `${file}.stale.${process.pid}.${attempt}`;
    try {
      await fs.rename(file, aside);
    } catch {
      continue; // someone else moved it first; retry
    }
    // If another run replaced the stale lock between our read and our rename, we just moved
    // its live lock: put it back (link fails rather than overwrite) and report it as held.
    const moved = await readLock(aside);
    if (moved && holder && (moved.pid !== holder.pid || moved.started !== holder.started) && isAlive(moved.pid)) {
      await fs.link(aside, file).catch(() => undefined);
      await fs.rm(aside, { force: true });
      throw new LockHeldError(file, moved);
    }
    await fs.rm(aside, { force: true });
  }
  const holder = await readLock(file);
  throw new LockHeldError(file, holder ?? { pid: -1, host: '?', started: '?', command: '' });
}

/** Runs `fn` holding the lock, releasing it afterwards whatever happens. */
export async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(file);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
