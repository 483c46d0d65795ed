import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { loadEmissionFactors } from '../../src/model/physics.js';
import { ABLATION_VARIANTS, floorFor, runAblation } from '../../src/train/ablate.js';
import { selectionFor, trunkTasksFor } from '../../src/train/ablationVariants.js';
import { readFileSync } from 'node:fs';
import { checkAims, coolingTable, learningCurve, pairedWins, renderResults, sigmaTable, stat, summarise, wholeDataRuns } from '../../src/train/ablationReport.js';
import { loadData } from '../../src/train/loadData.js';
import { makeTinyWorld, type TinyWorld } from './helpers/tinyWorld.js';

const NO_CONTROLS = { capacity_baseline: null, shuffled: null, noise_floor: null, image_ceiling: null, history_ceiling: null };
let dir: string;
let world: TinyWorld;
beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-ablate-'));
  world = await makeTinyWorld(path.join(dir, 'w'), { sites: 8, dates: 3, size: 16, seed: 12, bands: ['B02', 'B03', 'B04', 'B08', 'B11', 'B12'] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ablation', () => {
  it('learning curve: --train-plants runs train on fewer plants, score the same held-out plants, and only the whole-data runs fill the main table', async () => {
    const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
    const variants = ABLATION_VARIANTS.filter((v) => v.slug === 'mtl-equal');
    const r = await runAblation({
      samples: data.samples,
      tilesDir: world.tiles,
      manifestFile: data.manifestFile,
      truthFile: null,
      modelsDir: path.join(dir, 'models-curve'),
      seeds: [3],
      base: { epochs: 1, batch_size: 8, architecture: { stem_width: 4, stage_widths: [4], blocks_per_stage: 1, hidden: 8 } },
      backend: 'wasm',
      variants,
      trainPlants: [2],
    });
    expect(r.planned_runs).toBe(2);
    const whole = r.runs.find((x) => x.train_plants_limit === null)!;
    const few = r.runs.find((x) => x.train_plants_limit === 2)!;
    expect(few.train_plants).toBe(2);
    expect(whole.train_plants).toBeGreaterThan(2);
    expect(few.test_sites).toEqual(whole.test_sites);
    expect(few.metrics.n).toBe(whole.metrics.n);
    const curve = learningCurve(r.runs);
    expect(curve.map((p) => [p.limit, p.train_plants])).toEqual([[2, 2], [null, whole.train_plants]]);
    expect(curve[0]!.gen_mae!.mean).toBeCloseTo(few.metrics.generation!.mae, 9);
    expect(curve[0]!.baseline_gen_mae!.mean).toBeCloseTo(few.controls.capacity_baseline!.generation!.mae, 9);
    const md = renderResults(r, { world: 'tiny', backend: 'wasm', codeVersion: 'test', date: 'today', machine: 'test', config: {}, totalSeconds: 1 });
    expect(md).toContain('### Learning curve');
    expect(md).toMatch(/\| MTL equal \| 2 \| 1 \| [0-9.]+ ± 0\.0 \|/);
    // The main table's mean is the whole-data run's alone, not averaged with the 2-plant run.
    expect(md).toContain(`| MTL equal | ${whole.metrics.activity!.accuracy.toFixed(3)} ± 0.000 |`);
    expect(summarise(wholeDataRuns(r.runs))[0]!.gen_mae!.mean).toBeCloseTo(whole.metrics.generation!.mae, 9);
  });

  it('a base config whose trunk activity trains, or whose epochs plume activity selects, applies it where it means something; each run records both', async () => {
    // Pure rule over every variant: only multi-task variants learning activity, not GradNorm.
    for (const v of ABLATION_VARIANTS) {
      const expected = v.trunk_tasks ?? (v.tasks.includes('activity') && v.tasks.length > 1 && v.weighting !== 'gradnorm' ? 'activity' : 'all');
      expect(trunkTasksFor(v, 'activity'), v.slug).toBe(expected);
      expect(trunkTasksFor(v, undefined), v.slug).toBe(v.trunk_tasks ?? 'all');
      expect(trunkTasksFor(v, 'all'), v.slug).toBe(v.trunk_tasks ?? 'all');
      expect(selectionFor(v, 'plume_activity'), v.slug).toBe(v.tasks.includes('activity') ? 'plume_activity' : 'all_tasks');
      expect(selectionFor(v, undefined), v.slug).toBe('all_tasks');
    }
    // Before: GradNorm stopped the whole ablation with its refusal, and single-task generation
    // trained with a trunk nothing trained.
    const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
    const slugs = ['st-generation', 'mtl-gradnorm-hard', 'mtl-equal'];
    const modelsDir = path.join(dir, 'models-trunk');
    const r = await runAblation({
      samples: data.samples,
      tilesDir: world.tiles,
      manifestFile: data.manifestFile,
      truthFile: null,
      modelsDir,
      seeds: [4],
      base: { epochs: 1, batch_size: 8, selection: 'plume_activity', architecture: { stem_width: 4, stage_widths: [4], blocks_per_stage: 1, hidden: 8, trunk_tasks: 'activity' } },
      backend: 'wasm',
      variants: ABLATION_VARIANTS.filter((v) => slugs.includes(v.slug)),
    });
    expect(r.runs.map((x) => [x.variant, x.trunk_tasks, x.selection])).toEqual([
      ['single-task generation', 'all', 'all_tasks'],
      ['MTL equal', 'activity', 'plume_activity'],
      ['MTL GradNorm + hard physics', 'all', 'plume_activity'],
    ]);
    // The report's per-run table says each run's trunk and selection score.
    const md = renderResults(r, { world: 'tiny', backend: 'wasm', codeVersion: 'test', date: 'today', machine: 'test', config: {}, totalSeconds: 1 });
    expect(md).toMatch(/\| single-task generation \| 4 \| \d+ \| all tasks \| all tasks \|/);
    expect(md).toMatch(/\| MTL equal \| 4 \| \d+ \| activity \| activity where plumes can show \|/);
    expect(md).toMatch(/\| MTL GradNorm \+ hard physics \| 4 \| \d+ \| all tasks \| activity where plumes can show \|/);
    const specOf = (slug: string): { trunkTasks?: string } => (JSON.parse(readFileSync(path.join(modelsDir, `${slug}-s4`, 'model.json'), 'utf8')) as { spec: { trunkTasks?: string } }).spec;
    expect(specOf('mtl-equal').trunkTasks).toBe('activity');
    expect(specOf('st-generation')).not.toHaveProperty('trunkTasks');
    expect(specOf('mtl-gradnorm-hard')).not.toHaveProperty('trunkTasks');
  });

  it('trains every variant per seed and renders a mean ± sd table with the aims checked', async () => {
    const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
    const r = await runAblation({
      samples: data.samples,
      tilesDir: world.tiles,
      manifestFile: data.manifestFile,
      truthFile: null,
      modelsDir: path.join(dir, 'models'),
      seeds: [0, 1],
      base: { epochs: 1, batch_size: 8, architecture: { stem_width: 4, stage_widths: [4], blocks_per_stage: 1, hidden: 8 } },
      backend: 'wasm',
    });
    expect(r.runs).toHaveLength(ABLATION_VARIANTS.length * 2);
    // Same seed → same held-out plants for every variant, so rows are comparable.
    const seed0 = r.runs.filter((x) => x.seed === 0).map((x) => x.test_sites.join(','));
    expect(new Set(seed0).size).toBe(1);
    const single = r.runs.find((x) => x.variant === 'single-task generation')!;
    expect(single.metrics.activity).toBeNull();
    expect(single.metrics.generation!.mae).toBeGreaterThan(0);
    const md = renderResults(r, { world: 'tiny', backend: 'wasm', codeVersion: 'test', date: 'today', machine: 'test', config: {}, totalSeconds: 1 });
    expect(md).toMatch(/\| MTL uncertainty \+ hard physics \| [0-9.]+ ± [0-9.]+ \|/);
    expect(md).toContain('## The issue’s aims');
    expect(checkAims(summarise(r.runs)).length).toBe(5);
    expect(md).toMatch(/lowest of all variants in [0-2] of 2 seeds/);
    // Every run carries its controls on the same held-out samples; no truth.json, no noise floor.
    for (const x of r.runs) {
      expect(x.controls.capacity_baseline!.n).toBe(x.metrics.n);
      expect(x.controls.shuffled!.n).toBe(x.metrics.n);
      expect(x.controls.noise_floor).toBeNull();
    }
    expect(md).toMatch(/\| \*capacity-aware baseline[^|]*\* \| [0-9.]+ ± [0-9.]+ \|/);
    expect(md).toMatch(/\| \*MTL uncertainty \+ hard physics, images shuffled\* \|/);
    expect(md).toContain('### Shuffled-image control per model');
    // Uncertainty-weighted runs keep σ_t of every epoch; the others none.
    const uw = r.runs.find((x) => x.variant === 'MTL uncertainty + hard physics')!;
    expect(uw.sigma_history).toHaveLength(uw.epochs_run);
    expect(uw.sigma_history![0]!.activity).toBeGreaterThan(0);
    expect(r.runs.find((x) => x.variant === 'MTL equal')!.sigma_history).toBeNull();
    expect(md).toContain('### σ_t over training');
    // Each run's estimates are also combined over each held-out plant's overpasses.
    for (const x of r.runs) expect(x.with_site_history!.metrics.n).toBe(x.metrics.n);
    expect(md).toContain('### With site history (temporal context)');
    expect(md).toMatch(/\| MTL uncertainty \+ hard physics \+ plume inputs \| [0-9.]+ ± [0-9.]+ \|/);
    expect(md).toMatch(/generation MAE ≤ 12 % of mean capacity \(MTL uncertainty \+ hard physics \+ plume inputs, with site history\)/);
  });

  it('checks the control aims: ≥ 35 % below the capacity baseline, shuffled ≥ 2× MAE and ≥ 0.2 AUC drop, accuracy near the floor', () => {
    const m = (gen: number, auc: number, acc: number) => ({
      activity: { accuracy: acc, f1: acc, auc, n: 10 }, co2: null, per_fuel: {}, per_cooling_class: {}, n: 10,
      generation: { mae: gen, rmse: gen, r2: 0, mae_pct_capacity: gen / 10, coverage90: 0.9, n: 10 },
    });
    const run = (seed: number, gen: number, shuffledGen: number, shuffledAuc: number) => ({
      variant: 'MTL uncertainty + hard physics', seed, train_plants_limit: null, train_plants: 10, trunk_tasks: 'all' as const, selection: 'all_tasks' as const, test_sites: [], epochs_run: 1, best_epoch: 1, seconds: 1, sigmas: null, sigma_history: null,
      metrics: m(gen, 0.95, 0.9),
      controls: { capacity_baseline: m(200, 0.5, 0.7), shuffled: m(shuffledGen, shuffledAuc, 0.7), noise_floor: m(50, 1, 0.93), image_ceiling: m(80, 0.9, 0.85), history_ceiling: m(65, 0.92, 0.88) },
      with_site_history: null,
    });
    const met = (runs: ReturnType<typeof run>[]) => Object.fromEntries(checkAims(summarise(runs), runs).map((a) => [a.aim, a.met]));
    const good = met([run(0, 100, 250, 0.6), run(1, 120, 260, 0.7)]);
    expect(good['MTL uncertainty + hard physics beats the capacity-aware baseline by ≥ 35 % on generation MAE']).toBe(true);
    expect(good['shuffled images raise generation MAE ≥ 2× (hard physics)']).toBe(true);
    expect(good['shuffled images drop activity AUC by ≥ 0.2 (hard physics)']).toBe(true);
    expect(good['activity accuracy within 0.02 of the noise floor (hard physics)']).toBe(false);
    // A model that barely reads the image: close to the baseline, shuffling hardly hurts.
    const blind = met([run(0, 150, 170, 0.9), run(1, 140, 160, 0.88)]);
    expect(blind['MTL uncertainty + hard physics beats the capacity-aware baseline by ≥ 35 % on generation MAE']).toBe(false);
    expect(blind['shuffled images raise generation MAE ≥ 2× (hard physics)']).toBe(false);
    expect(blind['shuffled images drop activity AUC by ≥ 0.2 (hard physics)']).toBe(false);
  });

  it('splits the table by cooling class, with the shuffled-image effect and the controls per class', () => {
    const task = (gen: number, auc: number) => ({ activity: { accuracy: auc - 0.1, f1: 0.5, auc, n: 10 }, co2: null, generation: { mae: gen, rmse: gen, r2: 0, mae_pct_capacity: gen / 6, coverage90: 0.9, n: 10 } });
    const metrics = (plume: number, noPlume: number, auc: number) => ({ ...task((plume + noPlume) / 2, auc), per_fuel: {}, n: 20, per_cooling_class: { plume: { ...task(plume, auc), n: 10 }, no_plume: { ...task(noPlume, 0.7), n: 10 } } });
    const run = (variant: string, seed: number, plume: number, shuffledPlume: number) => ({
      variant, seed, train_plants_limit: null, train_plants: 10, trunk_tasks: 'all' as const, selection: 'all_tasks' as const, test_sites: [], epochs_run: 1, best_epoch: 1, seconds: 1, sigmas: null, sigma_history: null, with_site_history: null,
      metrics: metrics(plume, 150, 0.9),
      controls: { ...NO_CONTROLS, shuffled: metrics(shuffledPlume, 150, 0.6), capacity_baseline: metrics(140 + seed, 145, 0.7), history_ceiling: metrics(50, 145, 0.95) },
    });
    const rows = coolingTable([run('A', 0, 60, 120), run('A', 1, 80, 200), run('B', 0, 130, 131)]);
    expect(rows[0]).toBe('### By cooling: where an image can tell');
    // A: plume MAE 70 ± 14.1, shuffled ×2.25 ± 0.35 (2.0 and 2.5), AUC drop 0.3; no-plume unaffected.
    expect(rows).toContain('| A | can show a plume | 0.800 ± 0.000 | 0.900 ± 0.000 | 70.0 ± 14.1 | 11.7 ± 2.4 | – | 2.25 ± 0.35 | 0.300 ± 0.000 |');
    expect(rows).toContain('| A | cannot (once-through, air) | 0.600 ± 0.000 | 0.700 ± 0.000 | 150.0 ± 0.0 | 25.0 ± 0.0 | – | 1.00 ± 0.00 | 0.000 ± 0.000 |');
    expect(rows).toContain('| B | can show a plume | 0.800 ± 0.000 | 0.900 ± 0.000 | 130.0 ± 0.0 | 21.7 ± 0.0 | – | 1.01 ± 0.00 | 0.300 ± 0.000 |');
    // Controls once per seed: the baseline's plume MAE is 140 and 141.
    expect(rows).toContain('| *capacity-aware baseline* | can show a plume | 0.600 ± 0.000 | 0.700 ± 0.000 | 140.5 ± 0.7 | 23.4 ± 0.1 | – | – | – |');
    expect(rows.some((r) => r.startsWith('| *history ceiling* | can show a plume |'))).toBe(true);
    // Without known coolings (per_cooling_class empty) there is no table.
    const plain = run('A', 0, 60, 120);
    expect(coolingTable([{ ...plain, metrics: { ...plain.metrics, per_cooling_class: {} } }])).toEqual([]);
  });

  it('tabulates σ_t per epoch as mean ± sd over the runs still training', () => {
    const run = (variant: string, seed: number, sigma_history: Record<string, number>[] | null, limit: number | null = null) => ({
      variant, seed, train_plants_limit: limit, train_plants: 10, trunk_tasks: 'all' as const, selection: 'all_tasks' as const, test_sites: [], epochs_run: sigma_history?.length ?? 3, best_epoch: 1, seconds: 1, sigmas: null, sigma_history, controls: NO_CONTROLS, with_site_history: null,
      metrics: { activity: null, co2: null, per_fuel: {}, per_cooling_class: {}, n: 1, generation: null },
    });
    const rows = sigmaTable([
      run('uw', 0, [{ activity: 1.0 }, { activity: 0.9 }, { activity: 0.7 }]),
      run('uw', 1, [{ activity: 1.2 }, { activity: 0.7 }]),
      run('uw', 2, [{ activity: 5 }], 3),
      run('equal', 0, null),
    ]);
    expect(rows).toContain('| uw: epoch | runs | σ activity |');
    expect(rows).toContain('| 1 | 2 | 1.100 ± 0.141 |');
    expect(rows).toContain('| 2 | 2 | 0.800 ± 0.141 |');
    expect(rows).toContain('| 3 | 1 | 0.700 ± 0.000 |');
    expect(rows.join('\n')).not.toContain('equal');
    expect(sigmaTable([run('equal', 0, null)])).toEqual([]);
  });

  it('counts paired wins within each seed', () => {
    const run = (variant: string, seed: number, mae: number) => ({
      variant, seed, train_plants_limit: null, train_plants: 10, trunk_tasks: 'all' as const, selection: 'all_tasks' as const, test_sites: [], epochs_run: 1, best_epoch: 1, seconds: 1, sigmas: null, sigma_history: null, controls: NO_CONTROLS, with_site_history: null,
      metrics: { activity: null, co2: null, per_fuel: {}, per_cooling_class: {}, n: 1, generation: { mae, rmse: mae, r2: 0, mae_pct_capacity: 0, coverage90: 0.9, n: 1 } },
    });
    const runs = [run('a', 0, 10), run('b', 0, 12), run('a', 1, 20), run('b', 1, 15), run('a', 2, 5), run('b', 2, 6)];
    expect(pairedWins(runs, 'a', 'generation')).toEqual({ wins: 2, seeds: 3 });
    expect(pairedWins(runs, 'a', 'co2')).toEqual({ wins: 0, seeds: 0 });
  });

  it('checks each aim against the numbers: met where they hold, not met where they do not', () => {
    // A single-task model has no score for the other task (null).
    const run = (variant: string, seed: number, gen: number | null, co2: number | null, pct: number, genCov: number, co2Cov: number) => ({
      variant, seed, train_plants_limit: null, train_plants: 10, trunk_tasks: 'all' as const, selection: 'all_tasks' as const, test_sites: [], epochs_run: 1, best_epoch: 1, seconds: 1, sigmas: null, sigma_history: null, controls: NO_CONTROLS, with_site_history: null,
      metrics: {
        activity: null, per_fuel: {}, per_cooling_class: {}, n: 1,
        generation: gen === null ? null : { mae: gen, rmse: gen, r2: 0, mae_pct_capacity: pct, coverage90: genCov, n: 1 },
        co2: co2 === null ? null : { mae: co2, rmse: co2, r2: 0, mae_pct_capacity: pct, coverage90: co2Cov, n: 1 },
      },
    });
    // Physics wins generation in both seeds but loses CO2 to MTL equal; 9 % of capacity;
    // generation coverage inside 85-95 %, CO2 coverage below it.
    const runs = [
      run('MTL uncertainty + hard physics', 0, 100, 300, 9, 0.9, 0.8),
      run('MTL uncertainty + hard physics', 1, 110, 320, 9, 0.9, 0.8),
      run('MTL equal', 0, 150, 250, 14, 0.9, 0.9),
      run('MTL equal', 1, 160, 260, 14, 0.9, 0.9),
      run('single-task generation', 0, 200, null, 18, 0.9, 0.9),
      run('single-task generation', 1, 210, null, 18, 0.9, 0.9),
      run('single-task CO₂', 0, null, 400, 0, 0.9, 0.9),
      run('single-task CO₂', 1, null, 410, 0, 0.9, 0.9),
    ];
    const aims = checkAims(summarise(runs), runs);
    const met = Object.fromEntries(aims.map((a) => [a.aim, a.met]));
    expect(met).toEqual({
      'MTL uncertainty + physics beats single-task and MTL equal on generation MAE': true,
      'MTL uncertainty + physics beats single-task and MTL equal on CO₂ MAE': false,
      'generation MAE under 10 % of mean capacity (hard physics)': true,
      '90 % intervals cover 85–95 % of generation truths (hard physics)': true,
      '90 % intervals cover 85–95 % of CO₂ truths (hard physics)': false,
    });
    expect(aims[0]!.detail).toContain('lowest of all variants in 2 of 2 seeds');
  });

  it('stat gives the sample standard deviation', () => {
    expect(stat([1, 2, 3])).toEqual({ mean: 2, sd: 1, n: 3 });
    expect(stat([null, undefined])).toBeNull();
  });

  it('computes the noise floor on the held-out plants only', () => {
    const sample = (site: string, gen: number, observable: boolean) => ({ site_id: site, datetime: 'x', active: gen > 0, generation_mw: gen, co2_t_per_h: gen, observable, brightness_near_stack: gen / 1000 });
    const truth = {
      sites: [
        { site_id: 'A', fuel: 'coal' },
        { site_id: 'B', fuel: 'coal' },
      ],
      samples: [sample('A', 100, true), sample('A', 300, false), sample('B', 1000, false), sample('B', 0, false)],
    };
    const a = floorFor(truth, new Set(['A']), loadEmissionFactors());
    // A: the observable overpass is read exactly, the other gets A's median (200).
    expect(a.noise_floor.generation_mae_mw).toBeCloseTo(50, 6);
    const both = floorFor(truth, new Set(['A', 'B']), loadEmissionFactors());
    expect(both.noise_floor.generation_mae_mw).toBeGreaterThan(a.noise_floor.generation_mae_mw);
  });
});
