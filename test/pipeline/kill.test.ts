/**
 * kill -9 at several moments of a run (between scenes, during the final rebuild and
 * aggregation, at start-up, at arbitrary times), then rerun: the rerun must finish and its
 * outputs must equal an uninterrupted run's, byte for byte, and no file under its final
 * name may ever be torn.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compilePipeline } from './compile.js';
// @ts-expect-error plain JS helper without type declarations
import { writeToyScene } from './toyStages.mjs';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `co2sat-${name}-`));
const worker = path.join(import.meta.dirname, 'toyWorker.mjs');
let dist = '';
let scenes = '';
let reference = '';

function env(delay: number) {
  return { ...process.env, CO2SAT_DIST: dist, TOY_DELAY_MS: String(delay) };
}

function finish(out: string, scenesDir = scenes): void {
  const r = spawnSync(process.execPath, [worker, scenesDir, out], { env: env(0), encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

/**
 * True when the run in `out` has finished its work: every scene recorded in state.json and
 * the GeoJSON published. A kill that leaves this false landed before the run finished.
 */
function isComplete(out: string, sceneCount: number): boolean {
  const state = path.join(out, 'state.json');
  if (!existsSync(state) || !existsSync(path.join(out, 'sites.geojson'))) return false;
  const recorded = (JSON.parse(readFileSync(state, 'utf8')) as { scenes?: Record<string, unknown> }).scenes ?? {};
  return Object.keys(recorded).length >= sceneCount;
}

/**
 * Starts a run and kill -9s it after `lines` "scene …" lines or `ms` milliseconds; resolves
 * with whether the signal reached a live process and whether the run was still unfinished
 * then (`midRun`), so a test can prove its kill landed before the run completed.
 */
function runAndKill(
  out: string,
  when: { lines?: number; ms?: number },
  scenesDir = scenes,
  delayMs = 60,
): Promise<{ killed: boolean; midRun: boolean }> {
  const sceneCount = readdirSync(scenesDir).length;
  return new Promise((resolve) => {
    const p: ChildProcess = spawn(process.execPath, [worker, scenesDir, out], { env: env(delayMs) });
    let seen = 0;
    let killed = false;
    const kill = () => {
      if (!killed && p.exitCode === null) {
        killed = true;
        p.kill('SIGKILL');
      }
    };
    p.stdout!.on('data', (d: Buffer) => {
      seen += d.toString().split('\n').filter((l) => l.startsWith('scene ')).length;
      if (when.lines !== undefined && seen >= when.lines) kill();
    });
    if (when.ms !== undefined) setTimeout(kill, when.ms);
    p.on('close', (_code, signal) => resolve({ killed: killed && signal === 'SIGKILL', midRun: !isComplete(out, sceneCount) }));
  });
}

function outputsOf(out: string) {
  return {
    geojson: readFileSync(path.join(out, 'sites.geojson'), 'utf8'),
    predictions: readFileSync(path.join(out, 'predictions.jsonl'), 'utf8'),
    state: (JSON.parse(readFileSync(path.join(out, 'state.json'), 'utf8')) as { scenes: unknown }).scenes,
  };
}

/** Whatever exists under a final name must parse: never a torn file. */
function assertNotTorn(out: string): void {
  for (const f of ['sites.geojson', 'state.json', 'aggregates.cache.json']) {
    const p = path.join(out, f);
    if (existsSync(p)) expect(() => JSON.parse(readFileSync(p, 'utf8'))).not.toThrow();
  }
  const preds = path.join(out, 'predictions.jsonl');
  if (existsSync(preds)) for (const line of readFileSync(preds, 'utf8').split('\n').filter(Boolean)) JSON.parse(line);
}

describe('kill -9 and rerun', () => {
  beforeAll(async () => {
    dist = await compilePipeline();
    scenes = tmp('kill-scenes');
    for (let k = 0; k < 10; k++) await writeToyScene(scenes, `S${k}`, k * 7, k);
    reference = tmp('kill-ref');
    finish(reference);
  });

  it('converges to the uninterrupted output after successive kills at different stages', async () => {
    const out = tmp('kill-seq');
    // between scenes, later between scenes, right after the last scene (rebuild/aggregate), at start-up
    for (const when of [{ lines: 2 }, { lines: 3 }, { lines: 5 }, { ms: 30 }]) {
      const r = await runAndKill(out, when);
      expect(r.killed).toBe(true);
      expect(r.midRun, `kill at ${JSON.stringify(when)} landed before the run finished`).toBe(true);
      assertNotTorn(out);
    }
    finish(out);
    expect(outputsOf(out)).toEqual(outputsOf(reference));
    expect(readdirSync(out).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
  });

  it('leaves the previous outputs whole (old or new, never a mix) while a run adding scenes is killed', async () => {
    const out = tmp('kill-prev');
    finish(out);
    const old = readFileSync(path.join(out, 'sites.geojson'), 'utf8');
    const more = tmp('kill-more');
    cpSync(scenes, more, { recursive: true });
    for (let k = 10; k < 13; k++) await writeToyScene(more, `S${k}`, k * 7, k);
    const seen: string[] = [];
    // 200 ms per scene, so each kill lands while the three new scenes are still being done.
    for (const ms of [150, 300, 450]) {
      const r = await runAndKill(out, { ms }, more, 200);
      expect(r.killed && r.midRun, `kill at ${ms} ms landed mid-run`).toBe(true);
      seen.push(readFileSync(path.join(out, 'sites.geojson'), 'utf8'));
    }
    finish(out, more);
    const fresh = readFileSync(path.join(out, 'sites.geojson'), 'utf8');
    expect(fresh).not.toBe(old);
    for (const g of seen) expect([old, fresh]).toContain(g);
  });

  it.each([90, 250, 420])('converges after a kill at %i ms', async (ms) => {
    const out = tmp('kill-ms');
    const r = await runAndKill(out, { ms });
    expect(r.killed && r.midRun, 'the kill landed before the run finished').toBe(true);
    assertNotTorn(out);
    finish(out);
    expect(outputsOf(out)).toEqual(outputsOf(reference));
  });
});
