/**
 * Every weighting strategy and physics mode trains end to end (one epoch on a tiny world),
 * records the weights it applied, and an exploding loss stops training with a message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { withDefaults, type TrainConfig } from '../../src/train/config.js';
import { loadData } from '../../src/train/loadData.js';
import { TrainingDivergedError } from '../../src/train/step.js';
import { train } from '../../src/train/trainer.js';
import { makeTinyWorld, type TinyWorld } from './helpers/tinyWorld.js';

let dir: string;
let world: TinyWorld;

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-strat-'));
  world = await makeTinyWorld(path.join(dir, 'w'), { sites: 8, dates: 3, size: 16, seed: 11 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tiny = (over: Partial<TrainConfig>): TrainConfig =>
  withDefaults({ epochs: 2, batch_size: 8, architecture: { stem_width: 4, stage_widths: [4], blocks_per_stage: 1, hidden: 8 }, ...over });

async function fit(over: Partial<TrainConfig>) {
  const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
  return train({ samples: data.samples, tilesDir: world.tiles, manifestFile: data.manifestFile }, tiny(over), path.join(dir, `m-${Math.random().toString(36).slice(2)}`), { backend: 'wasm' });
}

describe('strategies train end to end', () => {
  for (const weighting of ['equal', 'uncertainty', 'dwa', 'gradnorm'] as const) {
    it(`weighting ${weighting}`, async () => {
      const r = await fit({ weighting, physics: 'hard' });
      const h = r.history.at(-1)!;
      expect(Object.keys(h.weights).sort()).toEqual(['activity', 'co2', 'generation']);
      for (const w of Object.values(h.weights)) expect(Number.isFinite(w) && w > 0).toBe(true);
      expect(h.sigmas === null).toBe(weighting !== 'uncertainty');
      if (weighting === 'gradnorm') expect(Object.values(h.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(3, 5);
      r.net.dispose();
    });
  }
  it('weighting fixed reads its weights from the config', async () => {
    const r = await fit({ weighting: 'fixed', weighting_options: { fixed: { activity: 1, generation: 2, co2: 0.5 } } });
    expect(r.history[0]!.weights).toEqual({ activity: 1, generation: 2, co2: 0.5 });
    r.net.dispose();
  });
  for (const physics of ['none', 'soft'] as const) {
    it(`physics ${physics}`, async () => {
      const r = await fit({ physics });
      expect(r.manifest.physics).toBe(physics);
      if (physics === 'soft') expect(r.history[0]!.penalty).toBeGreaterThan(0);
      r.net.dispose();
    });
  }
  it('a single-task model trains only its head (--tasks co2)', async () => {
    const r = await fit({ tasks: ['co2'], physics: 'none', weighting: 'uncertainty' });
    expect(Object.keys(r.history[0]!.train_losses)).toEqual(['co2']);
    expect(r.manifest.tasks).toEqual(['co2']);
    r.net.dispose();
  });
});

describe('a diverging loss', () => {
  it('stops training with a message instead of writing NaN weights', async () => {
    // An absurd learning rate blows the weights up within a few steps.
    const run = fit({ physics: 'none', weighting: 'equal', learning_rate: 1e12, epochs: 5, batch_size: 4 });
    await expect(run).rejects.toThrow(TrainingDivergedError);
    await expect(run).rejects.toThrow(/training loss became (NaN|Infinity|-Infinity) at epoch \d+, step \d+ \(activity=.*\); try a lower option 'lr' or check the labels/);
  });
});
