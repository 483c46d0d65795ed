/**
 * One run at a time per output folder, as a lease that recovers by itself: the lock is a
 * directory (mkdir is atomic on local, NFS and SMB file systems alike) whose mtime the holder
 * renews every `staleMs / 2` while it lives (proper-lockfile's heartbeat). A lease not renewed
 * for `staleMs` is stale whatever host took it — a killed pod, a crashed node, a reboot — and
 * the next run takes it over with a warning naming the old holder. A live holder makes a
 * second run fail at once with LockHeldError (exit 75, "retry later").
 *
 * On the holder's own host a dead PID ends the lease at once (a `kill -9` followed by a rerun
 * on the same machine need not wait for staleness); across hosts only the heartbeat counts.
 * A PID counts as the holder only while it has the start time recorded with it (Linux
 * /proc), so a PID reused by another process after the holder died does not keep the lease.
 *
 * A run can be killed at every instruction, including between taking the lease (mkdir) and writing
 * its holder record, or between removing that record and the lease at release. So that such a
 * holderless lease still names who may own it, every contender first writes a *claim*
 * (`run.lock.claim.HOST.PID.json`) and removes it only after its lease is gone: a holderless
 * lease whose every claimant ran on this host and is dead is ended at once, like a dead
 * holder's; a claim from another host or a live process keeps it until it goes stale.
 *
 * Why a lease rather than a PID check: on a shared volume each Kubernetes pod has its own
 * hostname and PID namespace, so "is that PID alive?" cannot be answered across hosts; a
 * heartbeat can. Clocks of the hosts sharing the folder must agree to well within staleMs.
 */
import { readFileSync, promises as fs } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { LockHeldError, type LeaseHolder } from '../src/errors.js';
import { isAlive, writeFileAtomic } from '../src/io/atomicWrite.js';

export { LockHeldError };
export type LockInfo = LeaseHolder;

/** Default lease: stale after 30 s without a heartbeat, renewed every 15 s. */
export const DEFAULT_STALE_MS = 30_000;

/**
 * The host name written into the lease. `CO2SAT_HOSTNAME` overrides it (tests; containers
 * whose hostname says nothing useful).
 */
export function leaseHostname(): string {
  return process.env.CO2SAT_HOSTNAME ?? osHostname();
}

/** Lease length in ms: `CO2SAT_LEASE_STALE_MS` or the default (proper-lockfile's minimum is 2 s). */
export function leaseStaleMs(): number {
  const fromEnv = Number(process.env.CO2SAT_LEASE_STALE_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 2000 ? fromEnv : DEFAULT_STALE_MS;
}

export interface Lock {
  readonly file: string;
  /** Set when the heartbeat could not renew the lease (another run may now hold it). */
  readonly compromised: Error | null;
  /** Stops the heartbeat and removes the lease (only if still ours). Safe to call twice. */
  release(): Promise<void>;
}

export interface LockOptions {
  command?: string;
  staleMs?: number;
  /** Called when a stale lease was taken over, with the holder it names (null if unreadable). */
  onTakeover?: (previous: LeaseHolder | null, lastBeatSecondsAgo: number) => void;
}

/**
 * The holder's record sits beside the lease directory, not inside it: proper-lockfile removes
 * a stale or released lease with rmdir, which must find the directory empty.
 */
function holderFile(lockDir: string): string {
  return `${lockDir}.holder.json`;
}

/** A contender's claim: written before it tries the lease, removed after its lease is gone. */
function claimFile(lockDir: string, holder: LeaseHolder): string {
  return `${lockDir}.claim.${encodeURIComponent(holder.host)}.${holder.pid}.json`;
}

/**
 * When the kernel started process `pid`: field 22 of /proc/PID/stat (clock ticks since boot),
 * read after the last ')' because the command name in field 2 may hold spaces and
 * parentheses. Null where there is no /proc (macOS, Windows) or no such process.
 */
export function processStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields 3 onwards follow the ')' that closes the command name.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether the process a record names still runs on this host: its PID is alive and, when the
 * record has the PID's start time and this system can tell it, started at that time.
 */
function recordedProcessAlive(record: LeaseHolder): boolean {
  if (!isAlive(record.pid)) return false;
  if (record.pid_start === undefined) return true;
  const now = processStartTicks(record.pid);
  return now === null || now === record.pid_start;
}

/** A holder or claim record, or null when the file is missing or not one. */
async function readHolderRecord(file: string): Promise<LeaseHolder | null> {
  try {
    const info = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LeaseHolder>;
    if (typeof info.pid !== 'number' || typeof info.host !== 'string') return null;
    return {
      pid: info.pid,
      host: info.host,
      started: String(info.started ?? '?'),
      command: String(info.command ?? ''),
      ...(typeof info.pid_start === 'string' ? { pid_start: info.pid_start } : {}),
    };
  } catch {
    return null;
  }
}

/** The holder of the lease at `lockDir`; `plain` when the caller has already statted it. */
async function readHolder(lockDir: string, plain?: boolean): Promise<LeaseHolder | null> {
  // co2sat 0.1 wrote the holder into a plain lock file; leases keep it beside the directory.
  const isPlain = plain ?? (await fs.stat(lockDir).then((st) => st.isFile(), () => false));
  return readHolderRecord(isPlain ? lockDir : holderFile(lockDir));
}

/** Every claim file beside the lease `lockDir` but `except`, with its record (null if unreadable). */
async function otherClaims(lockDir: string, except: string): Promise<Array<{ file: string; claimant: LeaseHolder | null }>> {
  const dir = path.dirname(lockDir);
  const prefix = `${path.basename(lockDir)}.claim.`;
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const claims: Array<{ file: string; claimant: LeaseHolder | null }> = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if (!name.startsWith(prefix) || !name.endsWith('.json') || file === except) continue;
    claims.push({ file, claimant: await readHolderRecord(file) });
  }
  return claims;
}

/**
 * Who holds a lease that has no holder record yet (its run is between mkdir and naming
 * itself): the one other claimant, when there is exactly one; otherwise unknown.
 */
async function soleClaimant(lockDir: string, myClaim: string): Promise<LeaseHolder | null> {
  const claims = await otherClaims(lockDir, myClaim);
  return claims.length === 1 ? (claims[0]?.claimant ?? null) : null;
}

/** A claim whose process ran on this host and is gone: it can no longer own a lease. */
function isDeadHereClaim(claimant: LeaseHolder | null): boolean {
  return claimant !== null && claimant.host === leaseHostname() && !recordedProcessAlive(claimant);
}

/**
 * True when a lease without a holder record can belong to no live process: every other
 * claimant ran on this host and is dead (or none is left, as after a co2sat that predates
 * claims). An unreadable claim, another host's or a live one may own it: not ended.
 */
async function holderlessLeaseIsDead(lockDir: string, myClaim: string): Promise<boolean> {
  return (await otherClaims(lockDir, myClaim)).every(({ claimant }) => isDeadHereClaim(claimant));
}

/**
 * Moves the dead lease judged at `judged` (its directory's inode then) aside and removes it.
 * The rename is atomic, and a racing run that moved it first makes ours fail harmlessly. A
 * racing run may also have ended it and taken a fresh lease at the same path since we judged:
 * that lease has another inode, and is left alone (checked before the move, and after it, when
 * a lease moved aside by mistake goes straight back).
 * @internal exported for tests
 */
export async function endDeadLease(lockDir: string, judged: { ino: number }): Promise<void> {
  const current = await fs.stat(lockDir).catch(() => null);
  if (!current || current.ino !== judged.ino) return;
  const aside = `${lockDir}.dead.${process.pid}.${Date.now()}`;
  if (!(await fs.rename(lockDir, aside).then(() => true, () => false))) return;
  const moved = await fs.stat(aside).catch(() => null);
  if (moved && moved.ino !== judged.ino) {
    await fs.rename(aside, lockDir).catch(() => undefined);
    return;
  }
  // Its holder record goes too, so that a run racing this takeover finds a holderless lease
  // with our live claim beside it (and waits) rather than the dead holder's name on our lease.
  await fs.rm(holderFile(lockDir), { force: true });
  await fs.rm(aside, { recursive: true, force: true });
}

/**
 * What the lease at `file` says now, from one stat: its holder, seconds since its last
 * heartbeat, its inode and whether it is a co2sat 0.1 plain lock file; null when there is none.
 */
export async function inspectLock(file: string): Promise<{ holder: LeaseHolder | null; lastBeatSecondsAgo: number; ino: number; plain: boolean } | null> {
  try {
    const st = await fs.stat(file);
    const plain = st.isFile();
    return { holder: await readHolder(file, plain), lastBeatSecondsAgo: (Date.now() - st.mtimeMs) / 1000, ino: st.ino, plain };
  } catch {
    return null;
  }
}

/**
 * Takes the lease at `file` (a directory), taking over a stale one.
 * @throws LockHeldError when a live run holds it
 */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<Lock> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const staleMs = options.staleMs ?? leaseStaleMs();
  const pidStart = processStartTicks(process.pid);
  const me: LeaseHolder = {
    pid: process.pid,
    host: leaseHostname(),
    started: new Date().toISOString(),
    command: options.command ?? process.argv.slice(1).join(' '),
    ...(pidStart !== null ? { pid_start: pidStart } : {}),
  };
  const myClaim = claimFile(file, me);
  await writeFileAtomic(myClaim, `${JSON.stringify(me)}\n`);
  let compromised: Error | null = null;
  let releaseLease: () => Promise<void>;
  let before: Awaited<ReturnType<typeof inspectLock>>;
  try {
    before = await inspectLock(file);
    const holder = before?.holder ?? null;
    const kind = before === null ? 'none' : before.plain ? 'plain' : 'lease';
    // Our own PID in the record is us (a second acquire in this process is refused below)
    // unless it was started at another time: then it is a dead run whose PID we were given.
    const holderIsMe = holder !== null && holder.pid === process.pid && holder.pid_start === me.pid_start;
    if (before && holder && holder.host === leaseHostname() && !holderIsMe && !recordedProcessAlive(holder)) {
      // The holder died on this host: its lease ends now.
      await endDeadLease(file, before);
    } else if (before && kind === 'lease' && !holder && (await holderlessLeaseIsDead(file, myClaim))) {
      // Killed between taking the lease and naming itself (or between unnaming and leaving).
      await endDeadLease(file, before);
    } else if (kind === 'plain') {
      // A lock file of co2sat 0.1 (a plain file, PID-checked): stale when its holder is gone.
      if (holder && (holder.host !== leaseHostname() || recordedProcessAlive(holder))) throw new LockHeldError(file, holder, Math.round(staleMs / 1000));
      await fs.rm(file, { force: true });
    }
    try {
      releaseLease = await lockfile.lock(file, {
        lockfilePath: file,
        realpath: false,
        stale: staleMs,
        update: staleMs / 2,
        // A lost heartbeat must not crash the process from a timer: record it; the run checks it.
        onCompromised: (err: Error) => {
          compromised = err;
        },
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
        throw new LockHeldError(file, (await readHolder(file)) ?? (await soleClaimant(file, myClaim)), Math.round(staleMs / 1000));
      }
      throw err;
    }
  } catch (err) {
    await fs.rm(myClaim, { force: true });
    throw err;
  }
  await writeFileAtomic(holderFile(file), `${JSON.stringify(me)}\n`);
  if (before) options.onTakeover?.(before.holder, before.lastBeatSecondsAgo);
  // Now that the lease is ours, another claim is a contender that will fail in a moment, or
  // litter of a run that died: dead here, or older than a lease (no attempt lasts that long;
  // on another host that is the only sign of death there is).
  for (const { file: claim, claimant } of await otherClaims(file, myClaim)) {
    const age = await fs.stat(claim).then((st) => Date.now() - st.mtimeMs, () => 0);
    if (isDeadHereClaim(claimant) || age > staleMs) await fs.rm(claim, { force: true });
  }
  let released = false;
  return {
    file,
    get compromised() {
      return compromised;
    },
    release: async () => {
      if (released) return;
      released = true;
      // Our lease may have been taken over after a lost heartbeat: then neither the lease nor
      // the holder record is ours to remove; our claim still is.
      if (!compromised) {
        await fs.rm(holderFile(file), { force: true });
        await releaseLease().catch(() => undefined);
      }
      // Last, so that the lease never outlives the claim that names who may hold it.
      await fs.rm(myClaim, { force: true });
    },
  };
}

/** Runs `fn` holding the lease, releasing it afterwards whatever happens. */
export async function withLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireLock(file, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
