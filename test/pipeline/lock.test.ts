import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, LockHeldError, withLock } from '../../pipeline/lock.js';
import { compilePipeline } from './compile.js';
// @ts-expect-error plain JS helper without type declarations
import { writeToyScene } from './toyStages.mjs';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `co2sat-${name}-`));

/** A PID that is certainly not running: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('lock', () => {
  it('refuses a second holder while the first is alive, naming its PID', async () => {
    const file = path.join(tmp('lock'), 'run.lock');
    const lock = await acquireLock(file);
    const err = await acquireLock(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockHeldError);
    expect((err as Error).message).toContain(`pid ${process.pid} on ${hostname()}`);
    await lock.release();
    expect(existsSync(file)).toBe(false);
    await withLock(file, async () => expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid));
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a stale lock left by a dead process', async () => {
    const file = path.join(tmp('lock'), 'run.lock');
    writeFileSync(file, JSON.stringify({ pid: deadPid(), host: hostname(), started: '2020-01-01T00:00:00Z', command: 'killed' }));
    const lock = await acquireLock(file);
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over a torn (empty) lock file but never a live foreign one', async () => {
    const dir = tmp('lock');
    const torn = path.join(dir, 'torn.lock');
    writeFileSync(torn, '');
    await (await acquireLock(torn)).release();
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

describe('two concurrent runs on one folder', () => {
  let dist = '';
  beforeAll(async () => {
    dist = await compilePipeline();
  });

  it('one finishes, the other exits 2 with a clear message, and the output is intact', async () => {
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
    // Start the second once the first holds the lock.
    for (let i = 0; i < 200 && !existsSync(path.join(out, 'run.lock')); i++) await new Promise((r) => setTimeout(r, 25));
    const second = await run();
    const a = await first;
    expect(second.code).toBe(2);
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
