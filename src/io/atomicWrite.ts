/**
 * Write-then-rename, so a crash or `kill -9` never leaves a half-written output under its
 * final name: readers see the old file or the new one, never a mix. The temporary name
 * sits in the same folder (rename is only atomic within one filesystem) and carries the
 * PID so concurrent writers never share one. After each rename the folder itself is fsynced:
 * the rename lives in the directory entry, and without that a power loss can forget it even
 * though the file's bytes were synced.
 */
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** A unique temporary path beside `finalPath`, ignored by readers (leading dot, .tmp suffix). */
export function temporaryPathFor(finalPath: string): string {
  const dir = path.dirname(finalPath);
  const base = path.basename(finalPath);
  return path.join(dir, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Flushes a folder's entries (a rename, a new name) to disk. File systems that cannot fsync a
 * folder (some network and Windows ones answer EISDIR/EINVAL/EPERM) are left as they are.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw err;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `data` to a new file at `tmpPath` and fsyncs it, without renaming: for callers
 * that publish several staged files together (tileScene renames a scene's patches, then
 * fsyncs the folder once). `tmpPath` should come from temporaryPathFor.
 */
export async function writeStagedFile(tmpPath: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(tmpPath, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `finalPath` atomically (fsync, then rename, then fsync the folder); creates parent folders. */
export async function writeFileAtomic(finalPath: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(finalPath), { recursive: true });
  const tmp = temporaryPathFor(finalPath);
  try {
    await writeStagedFile(tmp, data);
    await fs.rename(tmp, finalPath);
  } catch (err) {
    // A failed write (a full disk) leaves no temporary behind either.
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDirectory(path.dirname(finalPath));
}

/**
 * Runs `fill(tmpPath)` to produce a file, then renames it to `finalPath`. If `fill`
 * throws, the temporary file is removed and nothing appears under `finalPath`.
 */
export async function produceFileAtomic(finalPath: string, fill: (tmpPath: string) => Promise<void>): Promise<void> {
  await fs.mkdir(path.dirname(finalPath), { recursive: true });
  const tmp = temporaryPathFor(finalPath);
  try {
    await fill(tmp);
    await fs.rename(tmp, finalPath);
  } catch (err) {
    await fs.rm(tmp, { force: true, recursive: true });
    throw err;
  }
  await syncDirectory(path.dirname(finalPath));
}

/** Removes leftover `.NAME.PID.XXXX.tmp` files of dead writers in `dir` (not recursive). */
export async function removeStaleTemporaries(dir: string): Promise<number> {
  let removed = 0;
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const m = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    await fs.rm(path.join(dir, name), { force: true, recursive: true });
    removed++;
  }
  return removed;
}

/** True when a process with this PID exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
