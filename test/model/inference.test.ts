import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { loadModel } from '../../src/model/inference.js';
import { predictPrepared } from '../../src/model/predictor.js';
import { BACKGROUND_QUANTILE, resolveInputSteps } from '../../src/model/inputSteps/index.js';
import { backgroundQuantileOf } from '../../src/model/modelFolder.js';
import { withDefaults } from '../../src/train/config.js';
import { loadData } from '../../src/train/loadData.js';
import { prepareSamples, loadPixels, stepPatches } from '../../src/train/prepare.js';
import { train, type TrainResult } from '../../src/train/trainer.js';
import { makeTinyWorld, type TinyWorld } from '../train/helpers/tinyWorld.js';

let dir: string;
let world: TinyWorld;
let result: TrainResult;
const modelDir = (): string => path.join(dir, 'model');

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-infer-'));
  world = await makeTinyWorld(path.join(dir, 'w'), { sites: 8, dates: 4, size: 16, seed: 9 });
  const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
  result = await train(
    { samples: data.samples, tilesDir: world.tiles, manifestFile: data.manifestFile },
    withDefaults({ epochs: 2, batch_size: 8, architecture: { stem_width: 8, stage_widths: [8], blocks_per_stage: 1, hidden: 8 } }),
    modelDir(),
    { backend: 'wasm' },
  );
});
afterAll(() => {
  result?.net.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('loadModel / predict', () => {
  it('save → load gives identical predictions', async () => {
    const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
    const samples = data.samples.slice(0, 12);
    const prepared = prepareSamples(samples, stepPatches(samples, await loadPixels(samples, world.tiles), ['B02', 'B03', 'B04'], [], BACKGROUND_QUANTILE), result.manifest.band_stats);
    const inMemory = predictPrepared(result.net, prepared, result.ctx);
    const model = await loadModel(modelDir(), { backend: 'wasm' });
    // The same model reading its patches on two reader threads, twice (the pool is kept).
    const threaded = await loadModel(modelDir(), { backend: 'wasm', readThreads: 2 });
    try {
      const inputs = samples.map((s) => ({ record: s.record, tilesDir: world.tiles, weather: s.weather, site: s.site }));
      for (let round = 0; round < 2; round++) {
        (await threaded.predict(inputs)).forEach((p, i) => {
          expect(p.p_on).toBe(inMemory[i]!.p_on);
          expect(p.generation_mw).toBe(inMemory[i]!.generation_mw);
          expect(p.co2_t_per_h_sd).toBe(inMemory[i]!.co2_t_per_h_sd);
        });
      }
    } finally {
      threaded.dispose();
    }
    try {
      expect(model.backend).toBe('wasm');
      expect(model.tasks).toEqual(['activity', 'generation', 'co2']);
      expect(model.bands).toEqual(['B02', 'B03', 'B04']);
      const loaded = await model.predict(samples.map((s) => ({ record: s.record, tilesDir: world.tiles, weather: s.weather, site: s.site })));
      loaded.forEach((p, i) => {
        expect(p.p_on).toBe(inMemory[i]!.p_on);
        expect(p.generation_mw).toBe(inMemory[i]!.generation_mw);
        expect(p.generation_mw_sd).toBe(inMemory[i]!.generation_mw_sd);
        expect(p.co2_t_per_h).toBe(inMemory[i]!.co2_t_per_h);
        expect(p.co2_t_per_h_sd).toBe(inMemory[i]!.co2_t_per_h_sd);
        expect(p.generation_mw!).toBeGreaterThanOrEqual(0);
        expect(p.generation_mw!).toBeLessThanOrEqual(samples[i]!.site.capacity_mw);
      });
    } finally {
      model.dispose();
    }
  });

  it('imputes missing weather with the training means saved in the model', async () => {
    const data = loadData({ tiles: world.tiles, labels: world.labels, sites: world.sites }, 0.5);
    const model = await loadModel(modelDir(), { backend: 'wasm' });
    try {
      const s = data.samples[0]!;
      const [p] = await model.predict([{ record: s.record, tilesDir: world.tiles, weather: null, site: { fuel: s.site.fuel, capacity_mw: s.site.capacity_mw } }]);
      expect(Number.isFinite(p!.generation_mw)).toBe(true);
      expect(Number.isFinite(p!.co2_t_per_h_sd)).toBe(true);
    } finally {
      model.dispose();
    }
  });

  it('names the patch and model.json when the band set differs', async () => {
    const data = loadData({ tiles: world.tiles, labels: world.labels, sites: world.sites }, 0.5);
    const s = data.samples[0]!;
    const model = await loadModel(modelDir(), { backend: 'wasm' });
    try {
      const record = { ...s.record, bands: ['B02', 'B03', 'B08'] };
      await expect(model.predict([{ record, tilesDir: world.tiles, weather: null, site: s.site }])).rejects.toThrow(
        new RegExp(`${s.record.path.replace('/', '.')}: band set \\[B02,B03,B08\\] differs from the model's \\[B02,B03,B04\\] \\(.*model\\.json\\)`),
      );
    } finally {
      model.dispose();
    }
  });

  it('names model.json when the folder is not a model', async () => {
    await expect(loadModel(path.join(dir, 'nope'), { backend: 'wasm' })).rejects.toThrow(/nope\/model\.json: not found/);
  });
});

describe('a model with input steps', () => {
  const bands = ['B02', 'B03', 'B04', 'B08', 'B11', 'B12'];
  let stepDir: string;
  let stepWorld: TinyWorld;
  let stepped: TrainResult;
  beforeAll(async () => {
    stepDir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-steps-'));
    stepWorld = await makeTinyWorld(path.join(stepDir, 'w'), { sites: 6, dates: 5, size: 16, seed: 21, bands });
    const data = loadData({ tiles: stepWorld.tiles, labels: stepWorld.labels, weather: stepWorld.weather, sites: stepWorld.sites }, 0.5);
    stepped = await train(
      { samples: data.samples, tilesDir: stepWorld.tiles, manifestFile: data.manifestFile },
      withDefaults({
        epochs: 1,
        batch_size: 8,
        input_steps: ['near_stack_change', 'wind_aligned', 'background_difference', 'spectral_indices'],
        architecture: { stem_width: 8, stage_widths: [8], blocks_per_stage: 1, hidden: 8 },
      }),
      path.join(stepDir, 'model'),
      { backend: 'wasm' },
    );
  });
  afterAll(() => {
    stepped?.net.dispose();
    rmSync(stepDir, { recursive: true, force: true });
  });

  it('saves its steps and channels, and predict reruns them from the tiles folder exactly as training fed the network', async () => {
    expect(stepped.manifest.input_steps).toEqual(['spectral_indices', 'background_difference', 'wind_aligned', 'near_stack_change']);
    expect(stepped.manifest.input_bands).toEqual(bands);
    expect(stepped.manifest.background_quantile).toBe(BACKGROUND_QUANTILE);
    expect(stepped.manifest.band_stats.bands).toHaveLength(2 * (bands.length + 3) + 1);
    expect(stepped.manifest.spec.bandCount).toBe(2 * (bands.length + 3) + 1);
    const data = loadData({ tiles: stepWorld.tiles, labels: stepWorld.labels, weather: stepWorld.weather, sites: stepWorld.sites }, 0.5);
    const steps = resolveInputSteps(stepped.manifest.input_steps ?? []);
    // In memory: every overpass of every site together, as training saw them.
    const prepared = prepareSamples(data.samples, stepPatches(data.samples, await loadPixels(data.samples, stepWorld.tiles), bands, steps, backgroundQuantileOf(stepped.manifest)), stepped.manifest.band_stats);
    const inMemory = predictPrepared(stepped.net, prepared, stepped.ctx);
    // On this thread, and with two reader threads (backgrounds read through them too).
    for (const readThreads of [1, 2]) {
      const model = await loadModel(path.join(stepDir, 'model'), { backend: 'wasm', readThreads });
      try {
        expect(model.bands).toEqual(bands);
        // From disk, one overpass at a time (as a run predicts scene by scene): the background
        // comes from the site's other patches in the tiles folder.
        for (const i of [0, 7, 13, data.samples.length - 1]) {
          const s = data.samples[i]!;
          const [p] = await model.predict([{ record: s.record, tilesDir: stepWorld.tiles, weather: s.weather, site: s.site }]);
          expect(p!.p_on).toBeCloseTo(inMemory[i]!.p_on, 6);
          expect(p!.generation_mw).toBeCloseTo(inMemory[i]!.generation_mw, 3);
          expect(p!.co2_t_per_h_sd).toBeCloseTo(inMemory[i]!.co2_t_per_h_sd, 3);
        }
      } finally {
        model.dispose();
      }
    }
  });
});

describe('a model with the cooling input', () => {
  it('predicts from a loaded folder exactly as in memory, from each site\'s technology', async () => {
    const coolings = ['natural_draught', 'once_through', 'air', 'wet_fgd_stack', null];
    const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
    const techOf = new Map([...new Set(data.samples.map((x) => x.site.site_id))].map((id, i) => [id, coolings[i % coolings.length]!]));
    const samples = data.samples.map((x) => ({ ...x, site: { ...x.site, technology: techOf.get(x.site.site_id)! } }));
    const out = path.join(dir, 'cooled');
    const cooled = await train(
      { samples, tilesDir: world.tiles, manifestFile: data.manifestFile },
      withDefaults({ epochs: 1, batch_size: 8, cooling_input: true, architecture: { stem_width: 8, stage_widths: [8], blocks_per_stage: 1, hidden: 8 } }),
      out,
      { backend: 'wasm' },
    );
    const model = await loadModel(out, { backend: 'wasm' });
    try {
      expect(cooled.manifest.spec.auxFeatures).toBe(18);
      const some = samples.slice(0, 10);
      const prepared = prepareSamples(some, stepPatches(some, await loadPixels(some, world.tiles), ['B02', 'B03', 'B04'], [], BACKGROUND_QUANTILE), cooled.manifest.band_stats);
      const inMemory = predictPrepared(cooled.net, prepared, cooled.ctx);
      const inputs = some.map((x) => ({ record: x.record, tilesDir: world.tiles, weather: x.weather, site: x.site }));
      (await model.predict(inputs)).forEach((p, i) => {
        expect(p.p_on).toBe(inMemory[i]!.p_on);
        expect(p.generation_mw).toBe(inMemory[i]!.generation_mw);
      });
      // Another cooling at the same patch gives another estimate.
      const other = await model.predict(inputs.map((x) => ({ ...x, site: { ...x.site, technology: x.site.technology === 'air' ? 'natural_draught' : 'air' } })));
      expect(other.map((p) => p.p_on)).not.toEqual(inMemory.map((p) => p.p_on));
    } finally {
      model.dispose();
      cooled.net.dispose();
    }
  });
});

describe('a model whose trunk only the activity loss trains', () => {
  it('predicts from a loaded folder exactly as in memory', async () => {
    const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
    const out = path.join(dir, 'acttrunk');
    const trained = await train(
      { samples: data.samples, tilesDir: world.tiles, manifestFile: data.manifestFile },
      withDefaults({ epochs: 1, batch_size: 8, architecture: { stem_width: 8, stage_widths: [8], blocks_per_stage: 1, hidden: 8, trunk_tasks: 'activity' } }),
      out,
      { backend: 'wasm' },
    );
    const model = await loadModel(out, { backend: 'wasm' });
    try {
      expect(trained.manifest.spec.trunkTasks).toBe('activity');
      const some = data.samples.slice(0, 10);
      const prepared = prepareSamples(some, stepPatches(some, await loadPixels(some, world.tiles), ['B02', 'B03', 'B04'], [], BACKGROUND_QUANTILE), trained.manifest.band_stats);
      const inMemory = predictPrepared(trained.net, prepared, trained.ctx);
      (await model.predict(some.map((x) => ({ record: x.record, tilesDir: world.tiles, weather: x.weather, site: x.site })))).forEach((p, i) => {
        expect(p.p_on).toBe(inMemory[i]!.p_on);
        expect(p.generation_mw).toBe(inMemory[i]!.generation_mw);
        expect(p.co2_t_per_h).toBe(inMemory[i]!.co2_t_per_h);
      });
    } finally {
      model.dispose();
      trained.net.dispose();
    }
  });
});
