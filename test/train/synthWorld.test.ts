/**
 * The check on the team's real synthetic world (src/synth → src/tiling → train):
 * a short training run beats predicting the training mean on every task, on held-out
 * plants. Small (10 plants, 384 px scenes, 32 px patches) so it runs in well under a minute.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { predictPrepared } from '../../src/model/predictor.js';
import { generateWorld } from '../../src/synth/index.js';
import { tileScenes } from '../../src/tiling/tileScenes.js';
import { withDefaults } from '../../src/train/config.js';
import { loadData } from '../../src/train/loadData.js';
import { evaluationMetrics } from '../../src/train/metrics.js';
import { train, type TrainResult } from '../../src/train/trainer.js';
import { scoreControls } from '../../src/train/controls/index.js';
import { readTruth } from '../../src/records/truth.js';

let dir: string;
let result: TrainResult;

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-synthtrain-'));
  const world = path.join(dir, 'world');
  await generateWorld({ out: world, sites: 10, dates: 16, size: 384, seed: 3, missing: 0.2 });
  await tileScenes({ scenesDir: path.join(world, 'scenes'), sitesFile: path.join(world, 'sites.geojson'), outDir: path.join(world, 'tiles'), size: 32, concurrency: 1 });
  const paths = { tiles: path.join(world, 'tiles'), labels: path.join(world, 'labels.csv'), weather: path.join(world, 'weather.csv'), sites: path.join(world, 'sites.geojson') };
  const data = loadData(paths, 0.5);
  const config = withDefaults({
    epochs: 12,
    patience: 12,
    batch_size: 16,
    learning_rate: 3e-3,
    seed: 2,
    val_fraction: 0.1,
    test_fraction: 0.3,
    architecture: { stem_width: 8, stem_stride: 1, stage_widths: [8, 16], blocks_per_stage: 1, hidden: 16 },
  });
  result = await train({ samples: data.samples, tilesDir: paths.tiles, manifestFile: data.manifestFile }, config, path.join(dir, 'model'), { backend: 'wasm' });
});
afterAll(() => {
  result?.net.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('training on the synthetic world', () => {
  it('beats the capacity-aware baseline on activity and CO₂, with the oracle below it', () => {
    const { test, ctx, net } = result;
    const m = evaluationMetrics(predictPrepared(net, test, ctx), test.map((s) => s.truth), result.manifest.tasks);
    const truth = readTruth(path.join(dir, 'world', 'truth.json'));
    const runs = [1].map((seed) => scoreControls({ net, ctx, tasks: result.manifest.tasks, samples: test, baseline: result.manifest.capacity_baseline ?? null, shuffleSeed: seed, truth, efs: ctx.efs }).controls);
    const base = runs[0]!.capacity_baseline!;
    // Measured on the fleet world (issue 10): AUC 0.60 vs the baseline's 0.44; CO₂ MAE 384 vs 508 t/h.
    expect(m.activity!.auc!).toBeGreaterThan(base.activity!.auc! + 0.05);
    expect(m.co2!.mae).toBeLessThan(0.8 * base.co2!.mae);
    // The world's oracle on the same samples: the room left (issue 15's target).
    expect(runs[0]!.noise_floor!.generation!.mae).toBeLessThan(m.generation!.mae);
  });

  // Not yet: on this small world the model's generation MAE (309 MW) is no better than the
  // capacity-aware baseline's (298 MW), and zeroing its images barely changes it (316 MW).
  it.todo('beats the capacity-aware baseline on generation MAE by ≥ 35 % (issue 15)');
  // Not yet on the fleet world (issue 10: mostly idle gas, weak plumes, ~70 % cloudy dates; this
  // world's 16 winter dates are the cloudiest): AUC 0.60 seeing vs 0.61 with each plant's images
  // shuffled, gen. MAE 375 vs 371 MW. It held on the old, easier world (AUC 0.85 vs 0.66).
  it.todo('reads the image: loses skill when each plant’s images are shuffled (AUC −0.1, gen. MAE +5 %)');

  it('beats the training mean on every task for held-out plants', () => {
    const { test, ctx, net } = result;
    const preds = predictPrepared(net, test, ctx);
    const m = evaluationMetrics(preds, test.map((s) => s.truth), ['activity', 'generation', 'co2']);
    const mae = (xs: number[], c: number): number => xs.reduce((a, x) => a + Math.abs(x - c), 0) / xs.length;
    const gen = test.flatMap((s) => (s.truth.generation_mw === null ? [] : [s.truth.generation_mw]));
    const co2 = test.flatMap((s) => (s.truth.co2_t_per_h === null ? [] : [s.truth.co2_t_per_h]));
    expect(m.generation!.mae).toBeLessThan(mae(gen, ctx.scales.generation.mean));
    expect(m.co2!.mae).toBeLessThan(mae(co2, ctx.scales.co2.mean));
    const act = test.flatMap((s, i) => (s.truth.active === null ? [] : [[s.truth.active, preds[i]!.p_on] as const]));
    const trainOn = 0.5; // any constant probability has AUC 0.5
    expect(m.activity!.auc!).toBeGreaterThan(trainOn);
    const bce = (p: (i: number) => number): number => -act.reduce((a, [y], i) => a + Math.log(y ? p(i) : 1 - p(i)), 0) / act.length;
    const rate = act.filter(([y]) => y).length / act.length;
    // Log loss of the model against that of the base rate (the best constant, even fitted on the test set).
    expect(bce((i) => Math.min(Math.max(act[i]![1], 1e-6), 1 - 1e-6))).toBeLessThan(bce(() => rate));
  });
});
