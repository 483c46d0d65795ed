/**
 * train() end to end with 2 worker threads equals the same training on 1 thread (same
 * seed: same split, shuffles and augmentation draws, which stay on the main thread): the
 * per-epoch losses and the held-out predictions agree up to float summation order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { predictPrepared } from '../../src/model/predictor.js';
import { withDefaults } from '../../src/train/config.js';
import { loadData } from '../../src/train/loadData.js';
import { train, type TrainResult } from '../../src/train/trainer.js';
import { makeTinyWorld } from './helpers/tinyWorld.js';

let dir: string;
let one: TrainResult;
let two: TrainResult;

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-threads-'));
  const world = await makeTinyWorld(dir, { sites: 10, dates: 6, size: 16, seed: 9 });
  const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
  const config = withDefaults({
    epochs: 3,
    batch_size: 9,
    learning_rate: 5e-3,
    seed: 4,
    augment: true,
    weighting: 'uncertainty',
    physics: 'soft',
    architecture: { stem_width: 8, stage_widths: [8, 16], blocks_per_stage: 1, hidden: 16 },
  });
  const input = { samples: data.samples, tilesDir: world.tiles, manifestFile: data.manifestFile };
  one = await train(input, { ...config, threads: 1 }, path.join(dir, 'one'), { backend: 'wasm' });
  two = await train(input, { ...config, threads: 2 }, path.join(dir, 'two'), { backend: 'wasm' });
});

afterAll(() => {
  one?.net.dispose();
  two?.net.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('training on 2 threads', () => {
  it('follows the 1-thread losses epoch by epoch', () => {
    expect(two.history.length).toBe(one.history.length);
    one.history.forEach((h, e) => {
      for (const [task, v] of Object.entries(h.train_losses)) expect(Math.abs(two.history[e]!.train_losses[task as 'co2']! - (v ?? NaN)), `epoch ${e + 1} ${task}`).toBeLessThan(1e-3 * Math.max(1, Math.abs(v ?? NaN)));
    });
  });

  it('predicts the held-out plants as the 1-thread model does', () => {
    const a = predictPrepared(one.net, one.test, one.ctx);
    const b = predictPrepared(two.net, two.test, two.ctx);
    expect(b.length).toBe(a.length);
    expect(a.length).toBeGreaterThan(0);
    a.forEach((p, i) => {
      expect(b[i]!.p_on).toBeCloseTo(p.p_on, 3);
      expect(Math.abs(b[i]!.generation_mw - p.generation_mw)).toBeLessThan(0.5);
    });
  });
});
