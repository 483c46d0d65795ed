import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, endDeadLease, LockHeldError, processStartTicks, withLock } from '../../pipeline/lock.js';
import { compileEntries, compilePipeline } from './compile.js';
// @ts-expect-error plain JS helper without type declarations
import { writeToyScene } from './toyStages.mjs';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `co2sat-${name}-`));

/** A PID that is certainly not running: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lease', () => {
  it('refuses a second holder while the first is alive, naming its PID; release removes it', async () => {
    const file = path.join(tmp('lock'), 'run.lock');
    const lock = await acquireLock(file);
    const err = await acquireLock(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockHeldError);
    expect((err as Error).message).toContain(`pid ${process.pid} on ${hostname()}`);
    await lock.release();
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.holder.json`)).toBe(false);
    await withLock(file, async () => expect(JSON.parse(readFileSync(`${file}.holder.json`, 'utf8')).pid).toBe(process.pid));
    expect(existsSync(file)).toBe(false);
  });

  it('ends at once when its holder died on this host, with a warning naming it', async () => {
    const file = path.join(tmp('lock'), 'run.lock');
    mkdirSync(file);
    const dead = { pid: deadPid(), host: hostname(), started: '2020-01-01T00:00:00Z', command: 'killed' };
    writeFileSync(`${file}.holder.json`, JSON.stringify(dead));
    const seen: unknown[] = [];
    const lock = await acquireLock(file, { onTakeover: (previous) => seen.push(previous) });
    expect(seen).toEqual([dead]);
    expect(JSON.parse(readFileSync(`${file}.holder.json`, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over a co2sat 0.1 lock file of a dead process, never a live one', async () => {
    const dir = tmp('lock');
    const old = path.join(dir, 'old.lock');
    writeFileSync(old, JSON.stringify({ pid: deadPid(), host: hostname(), started: 'then', command: 'killed' }));
    await (await acquireLock(old)).release();
    const sleeper = spawn('sleep', ['30']);
    try {
      const live = path.join(dir, 'live.lock');
      writeFileSync(live, JSON.stringify({ pid: sleeper.pid, host: hostname(), started: 'now', command: 'sleep' }));
      await expect(acquireLock(live)).rejects.toThrow(`pid ${sleeper.pid}`);
      expect(JSON.parse(readFileSync(live, 'utf8')).pid).toBe(sleeper.pid);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});

describe.runIf(existsSync('/proc/self/stat'))('a PID the system gave to another process after the holder died', () => {
  it('reads a process start time that is its own, and none for a dead PID', () => {
    const mine = processStartTicks(process.pid);
    expect(mine).toMatch(/^\d+$/);
    // A child reads its own; one started later has a later (or equal, same tick) start.
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("fs").readFileSync("/proc/self/stat","utf8"))'], { encoding: 'utf8' });
    const childStat = r.stdout;
    expect(Number(childStat.slice(childStat.lastIndexOf(')') + 2).split(' ')[19])).toBeGreaterThanOrEqual(Number(mine));
    expect(processStartTicks(deadPid())).toBeNull();
  });

  it('the holder record names a live PID started at another time: the lease ends at once; at its own time it is kept', async () => {
    const dir = tmp('lock');
    const sleeper = spawn('sleep', ['30']);
    try {
      await new Promise((r) => sleeper.once('spawn', r));
      const ticks = processStartTicks(sleeper.pid!)!;
      const recordOf = (pid_start: string) => ({ pid: sleeper.pid!, host: hostname(), started: 'then', command: 'sleep', pid_start });
      const reused = path.join(dir, 'reused.lock');
      mkdirSync(reused);
      writeFileSync(`${reused}.holder.json`, JSON.stringify(recordOf(String(Number(ticks) - 7))));
      const seen: unknown[] = [];
      const lock = await acquireLock(reused, { onTakeover: (previous) => seen.push(previous) });
      expect(seen).toEqual([recordOf(String(Number(ticks) - 7))]);
      const mine = JSON.parse(readFileSync(`${reused}.holder.json`, 'utf8')) as { pid: number; pid_start?: string };
      expect(mine).toMatchObject({ pid: process.pid, pid_start: processStartTicks(process.pid) });
      await lock.release();
      const live = path.join(dir, 'live.lock');
      mkdirSync(live);
      writeFileSync(`${live}.holder.json`, JSON.stringify(recordOf(ticks)));
      await expect(acquireLock(live)).rejects.toThrow(`pid ${sleeper.pid} on ${hostname()}`);
      // A record of this very PID from an earlier start is a dead run whose PID this one got.
      const own = path.join(dir, 'own.lock');
      mkdirSync(own);
      writeFileSync(`${own}.holder.json`, JSON.stringify({ pid: process.pid, host: hostname(), started: 'then', command: 'earlier', pid_start: '1' }));
      await (await acquireLock(own)).release();
      // A holderless lease whose one claimant's PID now runs another process ends too.
      const claimed = path.join(dir, 'claimed.lock');
      mkdirSync(claimed);
      writeFileSync(`${claimed}.claim.reused.json`, JSON.stringify(recordOf(String(Number(ticks) - 7))));
      await (await acquireLock(claimed)).release();
      expect(existsSync(claimed)).toBe(false);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});

let leaseJs = '';
async function compiledLease(): Promise<void> {
  if (!leaseJs) leaseJs = path.join(await compileEntries(['pipeline/lock.ts']), 'dist', 'pipeline', 'lock.js');
}

/** A process on host `host` that takes the lease and holds it (heartbeat running) until killed. */
function holder(file: string, host: string): Promise<ChildProcess> {
  const code = `const { acquireLock } = await import(${JSON.stringify(pathToFileURL(leaseJs).href)});
    await acquireLock(${JSON.stringify(file)}); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`;
  const p = spawn(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, CO2SAT_HOSTNAME: host, CO2SAT_LEASE_STALE_MS: '2000' } });
  return new Promise((resolve, reject) => {
    p.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve(p));
    p.on('exit', (c) => reject(new Error(`holder exited ${c}`)));
  });
}

/** Writes a claim as a contender does before it tries the lease. */
function writeClaim(file: string, name: string, pid: number, host: string): string {
  const claim = `${file}.claim.${name}.json`;
  writeFileSync(claim, JSON.stringify({ pid, host, started: 'then', command: 'test' }));
  return claim;
}

const claimsBeside = (file: string) => readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${path.basename(file)}.claim.`));

describe('a lease left without its holder record (killed between mkdir and naming itself)', () => {
  beforeAll(compiledLease);

  it('ends at once when the run that took it was killed on this host', async () => {
    const file = path.join(tmp('lock'), 'run.lock');
    const a = await holder(file, hostname());
    // As if the kill had landed after the lease's mkdir and before the holder record was written.
    rmSync(`${file}.holder.json`);
    a.kill('SIGKILL');
    await new Promise((r) => a.on('close', r));
    expect(existsSync(file)).toBe(true);
    expect(claimsBeside(file)).toHaveLength(1);
    const seen: unknown[] = [];
    // Default 30 s lease: only the dead claim can end it this soon.
    const lock = await acquireLock(file, { onTakeover: (previous) => seen.push(previous) });
    expect(seen).toEqual([null]);
    expect(JSON.parse(readFileSync(`${file}.holder.json`, 'utf8')).pid).toBe(process.pid);
    // The dead run's claim is gone; ours stays until release, then nothing is left.
    expect(claimsBeside(file)).toHaveLength(1);
    await lock.release();
    expect(readdirSync(path.dirname(file))).toEqual([]);
  }, 20_000);

  it('is kept while a claimant lives on this host or any claimant ran on another host; with no claim left it ends', async () => {
    const file = path.join(tmp('lock'), 'run.lock');
    mkdirSync(file);
    const sleeper = spawn('sleep', ['30']);
    try {
      const live = writeClaim(file, 'live', sleeper.pid!, hostname());
      // The one live claimant is named as the holder (a run between its mkdir and its record).
      await expect(acquireLock(file)).rejects.toThrow(`pid ${sleeper.pid} on ${hostname()}`);
      const other = writeClaim(file, 'other', process.ppid, hostname());
      await expect(acquireLock(file)).rejects.toThrow('holder unknown');
      rmSync(live);
      rmSync(other);
      const remote = writeClaim(file, 'remote', deadPid(), 'pod-elsewhere');
      await expect(acquireLock(file)).rejects.toThrow('on pod-elsewhere');
      rmSync(remote);
      writeClaim(file, 'dead', deadPid(), hostname());
      const lock = await acquireLock(file);
      expect(claimsBeside(file)).toHaveLength(1);
      await lock.release();
      // A holderless lease with no claim at all (a co2sat from before claims) ends too.
      mkdirSync(file);
      await (await acquireLock(file)).release();
      expect(readdirSync(path.dirname(file))).toEqual([]);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('once held, clears claims older than a lease (litter of runs that died on other hosts), not a fresh contender', async () => {
    const file = path.join(tmp('lock'), 'run.lock');
    const old = writeClaim(file, 'old', 4242, 'pod-gone');
    const then = Date.now() / 1000 - 60;
    utimesSync(old, then, then);
    const fresh = writeClaim(file, 'fresh', 4243, 'pod-trying');
    const lock = await acquireLock(file, { staleMs: 30_000 });
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    await lock.release();
  });
});

describe('ending a dead lease while another run races for it', () => {
  it('leaves alone a fresh lease that replaced the one judged dead, and ends the judged one', async () => {
    const dir = tmp('lock');
    const file = path.join(dir, 'run.lock');
    mkdirSync(file);
    const judged = statSync(file);
    // Another run ended it and took a fresh lease at the same path (both exist at once here,
    // so the fresh one has another inode).
    mkdirSync(path.join(dir, 'fresh'));
    renameSync(file, path.join(dir, 'old'));
    renameSync(path.join(dir, 'fresh'), file);
    const fresh = statSync(file);
    expect(fresh.ino).not.toBe(judged.ino);
    await endDeadLease(file, judged);
    expect(statSync(file).ino).toBe(fresh.ino);
    // The lease judged dead is ended when it is still the one at the path.
    await endDeadLease(file, fresh);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['old']);
  });
});

describe('lease across hosts (two processes, two host names, 2 s lease)', () => {
  beforeAll(compiledLease);

  it('a live holder on another host keeps its lease past the stale limit; once killed, it goes stale and is taken over with a warning', async () => {
    const file = path.join(tmp('lease'), 'run.lock');
    const a = await holder(file, 'pod-a');
    process.env.CO2SAT_HOSTNAME = 'pod-b';
    try {
      // The heartbeat keeps it fresh: still refused after more than the 2 s lease.
      await sleep(3000);
      const held = await acquireLock(file, { staleMs: 2000 }).catch((e: unknown) => e);
      expect(held).toBeInstanceOf(LockHeldError);
      expect((held as Error).message).toContain('on pod-a');
      a.kill('SIGKILL');
      await new Promise((r) => a.on('close', r));
      // Another host cannot see that pod-a's PID is gone: right after the kill it is still held…
      await expect(acquireLock(file, { staleMs: 2000 })).rejects.toBeInstanceOf(LockHeldError);
      // …and once no heartbeat came for the lease's length it is taken over, naming pod-a.
      await sleep(2600);
      const warnings: string[] = [];
      const lock = await acquireLock(file, { staleMs: 2000, onTakeover: (prev, ago) => warnings.push(`${prev?.host} ${prev?.pid} ${ago.toFixed(1)}`) });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(`^pod-a ${a.pid} `));
      expect(JSON.parse(readFileSync(`${file}.holder.json`, 'utf8')).host).toBe('pod-b');
      await lock.release();
    } finally {
      delete process.env.CO2SAT_HOSTNAME;
      a.kill('SIGKILL');
    }
  }, 30_000);
});

describe('two concurrent runs on one folder', () => {
  let dist = '';
  beforeAll(async () => {
    dist = await compilePipeline();
  });

  it('one finishes, the other exits 75 with a clear message, and the output is intact', async () => {
    const scenes = tmp('scenes');
    for (let k = 0; k < 6; k++) await writeToyScene(scenes, `S${k}`, k * 5, k);
    const out = tmp('run');
    const worker = path.join(import.meta.dirname, 'toyWorker.mjs');
    const env = { ...process.env, CO2SAT_DIST: dist, TOY_DELAY_MS: '150' };
    const run = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [worker, scenes, out], { env });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        p.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const first = run();
    // Start the second once the first holds the lock (the lease, maybe not yet its holder record).
    for (let i = 0; i < 400 && !existsSync(path.join(out, 'run.lock')); i++) await new Promise((r) => setTimeout(r, 5));
    const second = await run();
    const a = await first;
    expect(second.code).toBe(75);
    expect(second.stderr).toMatch(/LockHeldError: .*run\.lock: another co2sat run \(pid \d+ on .*\) is writing this output folder/);
    expect(a.code).toBe(0);
    const summary = JSON.parse(a.stdout.trim().split('\n').pop()!) as { scenes: { new: number } };
    expect(summary.scenes.new).toBe(6);
    // The loser wrote nothing: the folder equals a run alone.
    const alone = tmp('alone');
    const b = spawnSync(process.execPath, [worker, scenes, alone], { env: { ...env, TOY_DELAY_MS: '0' }, encoding: 'utf8' });
    expect(b.status).toBe(0);
    for (const f of ['sites.geojson', 'predictions.jsonl']) {
      expect(readFileSync(path.join(out, f), 'utf8')).toBe(readFileSync(path.join(alone, f), 'utf8'));
    }
  });
});
