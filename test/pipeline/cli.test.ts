/**
 * The `co2sat run` binary as schedulers see it, with the real stages on a synthetic world:
 * kill -9 mid-run then rerun equals an uninterrupted run; a corrupt scene gives exit 3 with
 * a --json summary naming it while the rest is written, is recorded and not retried by the
 * next run until its file changes; a folder locked by a live process gives exit 75 (retry
 * later) and a message naming the PID.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { generateWorld } from '../../src/synth/generateWorld.js';
import { tileScenes } from '../../src/tiling/tileScenes.js';
import { withDefaults } from '../../src/train/config.js';
import { loadData } from '../../src/train/loadData.js';
import { train } from '../../src/train/trainer.js';
import { compileEntries } from './compile.js';

let dir: string;
let cliJs: string;
let world: string;
let modelDir: string;
let reference: string;

function args(scenes: string, out: string): string[] {
  return [cliJs, 'run', scenes, '--sites', path.join(world, 'sites.geojson'), '--model', modelDir, '--weather', path.join(world, 'weather.csv'), '--out', out, '--size', '32', '--backend', 'wasm', '--json'];
}

function runCli(scenes: string, out: string) {
  return spawnSync(process.execPath, args(scenes, out), { encoding: 'utf8' });
}

beforeAll(async () => {
  const root = await compileEntries(['src/cli/main.ts']);
  cliJs = path.join(root, 'dist', 'src', 'cli', 'main.js');
  await selectBackend('wasm');
  dir = mkdtempSync(path.join(tmpdir(), 'co2sat-cli-'));
  world = path.join(dir, 'world');
  await generateWorld({ out: world, sites: 3, dates: 10, size: 256, seed: 21 });
  const tiles = path.join(dir, 'tiles');
  await tileScenes({ scenesDir: path.join(world, 'scenes'), sitesFile: path.join(world, 'sites.geojson'), outDir: tiles, size: 32, concurrency: 2 });
  const data = loadData({ tiles, labels: path.join(world, 'labels.csv'), weather: path.join(world, 'weather.csv'), sites: path.join(world, 'sites.geojson') }, 0.5);
  modelDir = path.join(dir, 'model');
  const config = withDefaults({ epochs: 1, batch_size: 8, seed: 2, val_fraction: 0.34, test_fraction: 0, architecture: { stem_width: 4, stage_widths: [4], blocks_per_stage: 1, hidden: 8 } });
  (await train({ samples: data.samples, tilesDir: tiles, manifestFile: data.manifestFile }, config, modelDir, { backend: 'wasm' })).net.dispose();
  reference = path.join(dir, 'reference');
  const r = runCli(path.join(world, 'scenes'), reference);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const outputs = (out: string) => ({
  geojson: readFileSync(path.join(out, 'sites.geojson'), 'utf8'),
  predictions: readFileSync(path.join(out, 'predictions.jsonl'), 'utf8'),
});

describe('co2sat run (binary)', () => {
  it('finishes after kill -9 at several moments and equals the uninterrupted run', async () => {
    const out = path.join(dir, 'killed');
    // The whole run takes a few seconds here; kill it early, in the middle and late.
    for (const ms of [700, 1500, 2500]) {
      await new Promise<void>((resolve) => {
        const p = spawn(process.execPath, args(path.join(world, 'scenes'), out), { stdio: 'ignore' });
        const t = setTimeout(() => p.kill('SIGKILL'), ms);
        p.on('close', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    const r = runCli(path.join(world, 'scenes'), out);
    expect(r.status).toBe(0);
    expect(outputs(out)).toEqual(outputs(reference));
    expect(readdirSync(out).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
  });

  it('exits 3 with a JSON summary naming a corrupt scene, and writes the rest', () => {
    const scenes = path.join(dir, 'scenes-broken');
    cpSync(path.join(world, 'scenes'), scenes, { recursive: true });
    const victim = readdirSync(scenes).sort()[1]!;
    const band = readdirSync(path.join(scenes, victim)).find((f) => f.includes('B04'))!;
    truncateSync(path.join(scenes, victim, band), 2000);
    const out = path.join(dir, 'partial');
    const r = runCli(scenes, out);
    expect(r.status).toBe(3);
    const s = JSON.parse(r.stdout) as { exit_code: number; scenes: { failed: number; new: number }; failed: { item: string; reason: string }[] };
    expect(s.exit_code).toBe(3);
    expect(s.scenes).toMatchObject({ failed: 1, new: 10 });
    expect(s.failed[0]!.item).toBe(victim);
    expect(s.failed[0]!.reason).toContain(band);
    const fc = JSON.parse(readFileSync(path.join(out, 'sites.geojson'), 'utf8')) as { features: unknown[] };
    expect(fc.features.length).toBeGreaterThan(0);
    // The next run does not retry it (recorded in the state), and still says the output is partial.
    const again = runCli(scenes, out);
    expect(again.status).toBe(3);
    const s2 = JSON.parse(again.stdout) as { scenes: { new: number; changed: number }; failed: { item: string; recorded: boolean }[] };
    expect(s2.scenes).toMatchObject({ new: 0, changed: 0 });
    expect(s2.failed).toMatchObject([{ item: victim, recorded: true }]);
    // Once the file is replaced (a new fingerprint) it is retried and the run is whole.
    cpSync(path.join(world, 'scenes', victim, band), path.join(scenes, victim, band));
    const fixed = runCli(scenes, out);
    expect(fixed.status).toBe(0);
    expect((JSON.parse(fixed.stdout) as { failed: unknown[] }).failed).toEqual([]);
  });

  it('exits 75 (retry later) naming the live PID when the output folder is locked', () => {
    const out = path.join(dir, 'locked');
    const sleeper = spawn('sleep', ['30']);
    try {
      spawnSync('mkdir', ['-p', out]);
      writeFileSync(path.join(out, 'run.lock'), JSON.stringify({ pid: sleeper.pid, host: hostname(), started: '2026-01-01T00:00:00Z', command: 'co2sat run' }));
      const r = runCli(path.join(world, 'scenes'), out);
      expect(r.status).toBe(75);
      expect(r.stderr).toMatch(new RegExp(`^co2sat: .*run\\.lock: another co2sat run \\(pid ${sleeper.pid} on `));
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(r.stdout) as { exit_code: number; error_kind: string }).toMatchObject({ exit_code: 75, error_kind: 'LockHeldError' });
      expect(readdirSync(out)).toEqual(['run.lock']);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
