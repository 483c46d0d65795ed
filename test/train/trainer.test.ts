import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { predictPrepared } from '../../src/model/predictor.js';
import { withDefaults } from '../../src/train/config.js';
import { loadData } from '../../src/train/loadData.js';
import { evaluationMetrics, rocAuc, type EvaluationMetrics } from '../../src/train/metrics.js';
import { train, type TrainResult } from '../../src/train/trainer.js';
import { scoreControls, type Controls } from '../../src/train/controls/index.js';
import type { PatchPixels } from '../../src/model/patchInput.js';
import { makeTinyWorld, type TinyWorld } from './helpers/tinyWorld.js';

let dir: string;
let world: TinyWorld;
let result: TrainResult;
/** The same training with every image input zeroed: a model that can only read capacity, fuel and weather. */
let blind: TrainResult;

function scored(r: TrainResult): { model: EvaluationMetrics; controls: Controls } {
  const model = evaluationMetrics(predictPrepared(r.net, r.test, r.ctx), r.test.map((s) => s.truth), r.manifest.tasks);
  const { controls } = scoreControls({ net: r.net, ctx: r.ctx, tasks: r.manifest.tasks, samples: r.test, baseline: r.manifest.capacity_baseline ?? null, shuffleSeed: 4, truth: null, efs: r.ctx.efs });
  return { model, controls };
}

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-train-'));
  world = await makeTinyWorld(dir, { sites: 16, dates: 10, size: 16, seed: 3 });
  const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
  const config = withDefaults({
    epochs: 25,
    batch_size: 16,
    learning_rate: 5e-3,
    patience: 25,
    seed: 1,
    val_fraction: 0.15,
    test_fraction: 0.25,
    architecture: { stem_width: 8, stage_widths: [8, 16], blocks_per_stage: 1, hidden: 16 },
  });
  result = await train({ samples: data.samples, tilesDir: world.tiles, manifestFile: data.manifestFile }, config, path.join(dir, 'model'), { backend: 'wasm' });
  // Blank the pixels: the cache is read instead of the files, so every patch is all zeros.
  const zeros = new Map<string, PatchPixels>(
    data.samples.map((s) => {
      const n = s.record.window.width * s.record.window.height;
      return [path.join(world.tiles, s.record.path), { width: s.record.window.width, height: s.record.window.height, bands: s.record.bands.map(() => new Float32Array(n)), valid: new Uint8Array(n).fill(1) }];
    }),
  );
  blind = await train({ samples: data.samples, tilesDir: world.tiles, manifestFile: data.manifestFile, pixelCache: zeros }, config, path.join(dir, 'blind'), { backend: 'wasm' });
});

afterAll(() => {
  result?.net.dispose();
  blind?.net.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('train on a small synthetic world', () => {
  it('beats predicting the training mean on every task, on held-out plants', () => {
    const { test, ctx, net } = result;
    expect(test.length).toBeGreaterThan(10);
    const preds = predictPrepared(net, test, ctx);
    const m = evaluationMetrics(preds, test.map((s) => s.truth), ['activity', 'generation', 'co2']);
    // Constant predictor: the training mean of each target.
    const gen = test.filter((s) => s.truth.generation_mw !== null);
    const co2 = test.filter((s) => s.truth.co2_t_per_h !== null);
    const maeConst = (xs: number[], c: number): number => xs.reduce((a, x) => a + Math.abs(x - c), 0) / xs.length;
    const genBase = maeConst(gen.map((s) => s.truth.generation_mw!), ctx.scales.generation.mean);
    const co2Base = maeConst(co2.map((s) => s.truth.co2_t_per_h!), ctx.scales.co2.mean);
    expect(m.generation!.mae).toBeLessThan(genBase);
    expect(m.co2!.mae).toBeLessThan(co2Base);
    // A constant probability has AUC 0.5 and the base rate's accuracy at best.
    const act = test.map((s, i) => [s.truth.active, preds[i]!.p_on] as const).filter(([y]) => y !== null);
    expect(rocAuc(act.map(([, p]) => p), act.map(([y]) => y!))).toBeGreaterThan(0.5);
    const onRate = act.filter(([y]) => y).length / act.length;
    expect(m.activity!.accuracy).toBeGreaterThanOrEqual(Math.max(onRate, 1 - onRate));
  });

  it('earns its skill from the image: clearly beats the capacity-aware baseline, and loses it when each plant’s images are shuffled', () => {
    const { model, controls } = scored(result);
    const base = controls.capacity_baseline!;
    const shuffled = controls.shuffled!;
    // The baseline knows capacity, fuel and on-share; only the plume tells this overpass's output.
    expect(model.generation!.mae).toBeLessThan(0.7 * base.generation!.mae);
    expect(model.co2!.mae).toBeLessThan(0.8 * base.co2!.mae);
    // The same plant, another overpass's image: most of the skill must go.
    expect(shuffled.generation!.mae).toBeGreaterThan(1.5 * model.generation!.mae);
    expect(model.activity!.auc! - shuffled.activity!.auc!).toBeGreaterThan(0.15);
  });

  it('a model trained on zeroed images loses clearly, and the controls expose it', () => {
    const seeing = scored(result);
    const { model, controls } = scored(blind);
    expect(model.generation!.mae).toBeGreaterThan(1.5 * seeing.model.generation!.mae);
    expect(model.co2!.mae).toBeGreaterThan(1.3 * seeing.model.co2!.mae);
    expect(seeing.model.activity!.auc! - model.activity!.auc!).toBeGreaterThan(0.15);
    // Without pixels there is nothing to beat the baseline with …
    expect(model.generation!.mae).toBeGreaterThan(0.85 * controls.capacity_baseline!.generation!.mae);
    // … and shuffling changes nothing: every image is the same.
    expect(controls.shuffled!.generation!.mae).toBeCloseTo(model.generation!.mae, 6);
  });

  it('keeps a history with per-task losses, the learned σ_t and validation metrics', () => {
    expect(result.history.length).toBeGreaterThan(0);
    const h = result.history[0]!;
    expect(Object.keys(h.train_losses).sort()).toEqual(['activity', 'co2', 'generation']);
    expect(h.sigmas).not.toBeNull();
    expect(result.manifest.tasks).toEqual(['activity', 'generation', 'co2']);
    expect(result.manifest.band_stats.bands).toEqual(['B02', 'B03', 'B04']);
  });

  it("checkpoint 'last' runs every epoch and keeps the final one, whatever the validation plants say", async () => {
    const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
    const small = { epochs: 4, batch_size: 32, patience: 1, seed: 2, architecture: { stem_width: 4, stage_widths: [4], blocks_per_stage: 1, hidden: 8 } };
    const last = await train({ samples: data.samples, tilesDir: world.tiles, manifestFile: data.manifestFile }, withDefaults({ ...small, checkpoint: 'last' }), path.join(dir, 'last'), { backend: 'wasm' });
    last.net.dispose();
    expect(last.history).toHaveLength(4);
    expect(last.bestEpoch).toBe(4);
    expect(last.stoppedEarly).toBe(false);
    // With the default, patience 1 stops as soon as one epoch fails to improve.
    const best = await train({ samples: data.samples, tilesDir: world.tiles, manifestFile: data.manifestFile }, withDefaults(small), path.join(dir, 'best'), { backend: 'wasm' });
    best.net.dispose();
    expect(best.bestEpoch).toBe(1 + best.history.findIndex((h) => h.val_score === Math.min(...best.history.map((x) => x.val_score))));
  });
});
