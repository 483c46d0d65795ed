/**
 * End-to-end: `co2sat train` then `co2sat evaluate` on a tiny world through the real CLI
 * program (in-process), plus the model folder's failure modes.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/index.js';
import { REPO_ROOT } from '../helpers/oracle.js';
import { runCommand } from '../helpers/runCommand.js';
import { makeTinyWorld, type TinyWorld } from './helpers/tinyWorld.js';

let dir: string;
let world: TinyWorld;
const TINY = path.join(REPO_ROOT, 'test/configs/tiny.json');

/** The whole co2sat program, in process (test/helpers/runCommand.ts). */
const cli = (args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => runCommand(buildProgram, args);

const data = (): string[] => ['--tiles', world.tiles, '--labels', world.labels, '--weather', world.weather, '--sites', world.sites];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-cli-'));
  world = await makeTinyWorld(path.join(dir, 'w'), { sites: 8, dates: 6, size: 16, seed: 5 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('co2sat train / evaluate', () => {
  it('--threads reaches the trainer: N asked, N used (data-parallel workers); every core by default; the same held-out scores', async () => {
    const run = async (extra: string[], name: string) => {
      const t = await cli(['train', ...data(), '--out', path.join(dir, name), '--train-config', TINY, '--backend', 'wasm', '--epochs', '2', '--json', ...extra]);
      expect(t.code, t.stderr + t.stdout).toBe(0);
      return JSON.parse(t.stdout.trim().split('\n').pop()!) as { threads: number; val: { generation: { mae: number } } };
    };
    const one = await run(['--threads', '1'], 'th1');
    const two = await run(['--threads', '2'], 'th2');
    const auto = await run([], 'thd');
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(auto.threads).toBe(Math.min(os.availableParallelism(), JSON.parse(readFileSync(TINY, 'utf8')).batch_size ?? 16));
    expect(two.val.generation.mae).toBeCloseTo(one.val.generation.mae, 2);
  });

  it('trains a model folder, reports the backend, and evaluate --json has the documented shape', async () => {
    const model = path.join(dir, 'm1');
    const t = await cli(['train', ...data(), '--out', model, '--train-config', TINY, '--backend', 'wasm', '--json']);
    expect(t.code, t.stderr + t.stdout).toBe(0);
    const summary = JSON.parse(t.stdout.trim().split('\n').pop()!);
    expect(summary.backend).toBe('wasm');
    expect(summary.epochs_run).toBeGreaterThan(0);
    const m = JSON.parse(readFileSync(path.join(model, 'model.json'), 'utf8'));
    for (const key of ['spec', 'band_stats', 'aux_stats', 'tasks', 'physics', 'weighting', 'config', 'code_version', 'val_metrics', 'weights']) expect(m).toHaveProperty(key);
    expect(m.band_stats.bands).toEqual(['B02', 'B03', 'B04']);

    const e = await cli(['evaluate', '--model', model, ...data(), '--backend', 'wasm', '--json']);
    expect(e.code, e.stderr).toBe(0);
    const j = JSON.parse(e.stdout.trim().split('\n').pop()!);
    expect(Object.keys(j.activity).sort()).toEqual(['accuracy', 'auc', 'f1']);
    expect(Object.keys(j.generation).sort()).toEqual(['coverage90', 'mae', 'mae_pct_capacity', 'r2', 'rmse']);
    expect(Object.keys(j.co2).sort()).toEqual(['coverage90', 'mae', 'mae_pct_capacity', 'r2', 'rmse']);
    expect(Object.keys(j.per_fuel).sort()).toEqual(['coal', 'gas', 'lignite', 'oil']);
    // The tiny world's plants name a technology co2sat does not know: no cooling classes.
    expect(j.per_cooling_class).toEqual({});
    expect(j.n).toBeGreaterThan(0);
    expect(j.backend).toBe('wasm');
  });

  it('evaluate reports the controls with the model’s metric keys: capacity baseline, shuffled images, noise floor', async () => {
    const model = path.join(dir, 'm1');
    // A truth.json for the tiny world: every labelled overpass, every other one observable.
    const rows = readFileSync(world.labels, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const sitesDoc = JSON.parse(readFileSync(world.sites, 'utf8')) as { features: { properties: { site_id: string; fuel: string } }[] };
    const truthFile = path.join(dir, 'truth.json');
    const samples = rows
      .filter(([, , a, g]) => a !== '' && g !== '')
      .map(([site_id, datetime, a, g, c], i) => ({ site_id, datetime, active: a === '1', generation_mw: Number(g), co2_t_per_h: Number(c || g), observable: i % 2 === 0, brightness_near_stack: null }));
    writeFileSync(truthFile, JSON.stringify({ sites: sitesDoc.features.map((f) => f.properties), samples, noise_floor: {} }));
    const args = ['evaluate', '--model', model, ...data(), '--backend', 'wasm', '--control', 'shuffle-images', '--truth', truthFile];
    const e = await cli([...args, '--json']);
    expect(e.code, e.stderr).toBe(0);
    const j = JSON.parse(e.stdout.trim().split('\n').pop()!);
    expect(Object.keys(j.controls).sort()).toEqual(['capacity_baseline', 'history_ceiling', 'image_ceiling', 'noise_floor', 'shuffled']);
    for (const k of ['capacity_baseline', 'shuffled', 'noise_floor', 'image_ceiling', 'history_ceiling']) {
      const c = j.controls[k];
      expect(Object.keys(c).sort(), k).toEqual(Object.keys(j).filter((x) => ['activity', 'generation', 'co2', 'per_fuel', 'per_cooling_class', 'n'].includes(x)).sort());
      expect(Object.keys(c.generation).sort()).toEqual(Object.keys(j.generation).sort());
    }
    // The baseline predicts one number per plant, so it cannot be exact; the shuffled model is
    // a different prediction from the model's; the oracle has no interval.
    expect(j.controls.capacity_baseline.generation.mae).toBeGreaterThan(0);
    expect(j.controls.shuffled.generation.mae).not.toBe(j.generation.mae);
    expect(j.controls.noise_floor.generation.coverage90).toBeNull();
    expect(j.controls.noise_floor.n).toBeLessThanOrEqual(j.n);
    // The image ceiling reads the observable half like the floor and falls back to the baseline.
    expect(j.controls.image_ceiling.n).toBe(j.controls.noise_floor.n);
    expect(j.controls.image_ceiling.generation.mae).not.toBe(j.controls.noise_floor.generation.mae);
    // The history ceiling reads the same half and copies the nearest of it into the other half.
    expect(j.controls.history_ceiling.n).toBe(j.controls.noise_floor.n);
    expect(j.controls.history_ceiling.generation.coverage90).toBeNull();
    expect(j.controls.history_ceiling.generation.mae).not.toBe(j.controls.image_ceiling.generation.mae);
    // The model's estimates combined over each plant's overpasses, with the same metric keys,
    // and again with the images shuffled.
    expect(Object.keys(j.with_site_history.generation).sort()).toEqual(Object.keys(j.generation).sort());
    expect(j.with_site_history.n).toBe(j.n);
    expect(j.with_site_history.generation.mae).not.toBe(j.generation.mae);
    // (Shuffling within a plant may not change it: when the fitted kernel is mostly a plant
    // offset, the combination is the same whichever overpass each image sits at.)
    expect(Object.keys(j.with_site_history.shuffled.generation).sort()).toEqual(Object.keys(j.generation).sort());
    expect(j.with_site_history.shuffled.n).toBe(j.n);
    expect(e.stderr).toMatch(/have no sample in truth\.json/);
    // Seeded: the same seed gives the same shuffled score, and the table shows the rows.
    const again = JSON.parse((await cli([...args, '--json'])).stdout.trim().split('\n').pop()!);
    expect(again.controls.shuffled).toEqual(j.controls.shuffled);
    const t = await cli(args);
    expect(t.stdout).toMatch(/capacity baseline/);
    expect(t.stdout).toMatch(/shuffled images/);
    expect(t.stdout).toMatch(/noise floor/);
    expect(t.stdout).toMatch(/image ceiling/);
    expect(t.stdout).toMatch(/history ceiling/);
    expect(t.stdout).toMatch(/with site history/);
    // Without --control and --truth only the baseline is scored.
    const plain = JSON.parse((await cli(['evaluate', '--model', model, ...data(), '--backend', 'wasm', '--json'])).stdout.trim().split('\n').pop()!);
    expect(plain.controls.shuffled).toBeNull();
    expect(plain.controls.noise_floor).toBeNull();
    expect(plain.controls.image_ceiling).toBeNull();
    expect(plain.controls.history_ceiling).toBeNull();
    expect(plain.with_site_history.shuffled).toBeNull();
    expect(plain.controls.capacity_baseline).toEqual(j.controls.capacity_baseline);
  });

  it('gives null for tasks the model was not trained on (--tasks generation)', async () => {
    const model = path.join(dir, 'gen');
    const t = await cli(['train', ...data(), '--out', model, '--train-config', TINY, '--tasks', 'generation', '--physics', 'none', '--epochs', '1', '--backend', 'wasm', '--quiet']);
    expect(t.code, t.stderr).toBe(0);
    const e = await cli(['evaluate', '--model', model, ...data(), '--backend', 'wasm', '--json']);
    const j = JSON.parse(e.stdout.trim().split('\n').pop()!);
    expect(j.activity).toBeNull();
    expect(j.co2).toBeNull();
    expect(j.generation.mae).toBeGreaterThan(0);
  });

  it('names weights.bin when it is corrupt, and model.json when the band set differs', async () => {
    const model = path.join(dir, 'm1');
    const bad = path.join(dir, 'bad');
    rmSync(bad, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bad);
    copyFileSync(path.join(model, 'model.json'), path.join(bad, 'model.json'));
    const w = readFileSync(path.join(model, 'weights.bin'));
    w[100] = w[100]! ^ 0xff;
    writeFileSync(path.join(bad, 'weights.bin'), w);
    const e = await cli(['evaluate', '--model', bad, ...data(), '--backend', 'wasm']);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/weights\.bin: corrupt weights/);

    const other = await makeTinyWorld(path.join(dir, 'w4'), { sites: 4, dates: 2, size: 16, seed: 6, bands: ['B02', 'B03', 'B04', 'B08'] });
    const e2 = await cli(['evaluate', '--model', model, '--tiles', other.tiles, '--labels', other.labels, '--sites', other.sites, '--backend', 'wasm']);
    expect(e2.code).toBe(2);
    expect(e2.stderr).toMatch(/model\.json: model was trained on bands \[B02,B03,B04\]/);
  });

  it('architecture.trunk_tasks in a train config: activity is recorded in model.json and evaluates; another value is refused naming the file and key', async () => {
    const tiny = JSON.parse(readFileSync(TINY, 'utf8')) as { architecture: Record<string, unknown> };
    const configWith = (trunkTasks: string): string => {
      const file = path.join(dir, `tiny-trunk-${trunkTasks}.json`);
      writeFileSync(file, JSON.stringify({ ...tiny, architecture: { ...tiny.architecture, trunk_tasks: trunkTasks } }));
      return file;
    };
    const model = path.join(dir, 'acttrunk');
    const t = await cli(['train', ...data(), '--out', model, '--train-config', configWith('activity'), '--epochs', '1', '--backend', 'wasm', '--threads', '1', '--quiet']);
    expect(t.code, t.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(model, 'model.json'), 'utf8')) as { spec: { trunkTasks?: string } };
    expect(manifest.spec.trunkTasks).toBe('activity');
    // A default model's spec has no such key: folders written before the option read as before.
    expect((JSON.parse(readFileSync(path.join(dir, 'm1', 'model.json'), 'utf8')) as { spec: object }).spec).not.toHaveProperty('trunkTasks');
    const e = await cli(['evaluate', '--model', model, ...data(), '--backend', 'wasm', '--json']);
    expect(e.code, e.stderr).toBe(0);
    const bad = configWith('images');
    const r = await cli(['train', ...data(), '--out', path.join(dir, 'never'), '--train-config', bad, '--backend', 'wasm', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: architecture.trunk_tasks must be one of all|activity`);
    // --trunk-tasks wins over the file, both ways, and takes only the two names.
    const trunkOf = async (config: string, flag: string): Promise<string | undefined> => {
      const out = path.join(dir, `trunk-flag-${flag}`);
      const f = await cli(['train', ...data(), '--out', out, '--train-config', config, '--trunk-tasks', flag, '--epochs', '1', '--backend', 'wasm', '--threads', '1', '--quiet']);
      expect(f.code, f.stderr).toBe(0);
      return (JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as { spec: { trunkTasks?: string } }).spec.trunkTasks;
    };
    expect(await trunkOf(TINY, 'activity')).toBe('activity');
    expect(await trunkOf(configWith('activity'), 'all')).toBeUndefined();
    // GradNorm balances gradient norms on a layer only activity reaches then: refused.
    const gradnorm = await cli(['train', ...data(), '--out', path.join(dir, 'never'), '--train-config', TINY, '--trunk-tasks', 'activity', '--weighting', 'gradnorm', '--backend', 'wasm', '--quiet']);
    expect(gradnorm.code).toBe(2);
    expect(gradnorm.stderr).toMatch(/weighting gradnorm needs a trunk every task trains \(--trunk-tasks all\)/);
    // A model without the activity task would leave such a trunk untrained: refused too.
    const noActivity = await cli(['train', ...data(), '--out', path.join(dir, 'never'), '--train-config', TINY, '--trunk-tasks', 'activity', '--tasks', 'generation,co2', '--backend', 'wasm', '--quiet']);
    expect(noActivity.code).toBe(2);
    expect(noActivity.stderr).toContain('--trunk-tasks activity needs the activity task: without it nothing would train the trunk (tasks: generation, co2)');
    // In process commander throws; the binary turns that into exit 2 (src/cli/main.ts).
    await expect(cli(['train', ...data(), '--out', path.join(dir, 'never'), '--trunk-tasks', 'images', '--backend', 'wasm', '--quiet'])).rejects.toThrow(
      "option '--trunk-tasks <which>' argument 'images' is invalid. Allowed choices are all, activity.",
    );
  });

  it('--cooling-input feeds each plant’s cooling technology to the model: recorded in model.json, used at evaluation, absent without it', async () => {
    // The tiny world's plants with a mix of technologies (one unknown to co2sat).
    const doc = JSON.parse(readFileSync(world.sites, 'utf8')) as { features: { properties: Record<string, unknown> }[] };
    const kinds = ['natural_draught', 'once_through', 'air', 'wet_fgd_stack', 'mechanical_draught', 'hybrid'];
    const withTech = (shift: number): string => {
      const file = path.join(dir, `sites-tech-${shift}.geojson`);
      doc.features.forEach((f, i) => (f.properties.technology = kinds[(i + shift) % kinds.length]));
      writeFileSync(file, JSON.stringify(doc));
      return file;
    };
    const sitesA = withTech(0);
    const sitesB = withTech(1);
    const dataWith = (sites: string): string[] => ['--tiles', world.tiles, '--labels', world.labels, '--weather', world.weather, '--sites', sites];
    const evaluateMae = async (model: string, sites: string): Promise<number> => {
      const e = await cli(['evaluate', '--model', model, ...dataWith(sites), '--split', 'all', '--backend', 'wasm', '--json']);
      expect(e.code, e.stderr).toBe(0);
      const j = JSON.parse(e.stdout.trim().split('\n').pop()!);
      // Scored per cooling class too; the classes' sizes add up to the whole.
      expect(Object.keys(j.per_cooling_class).sort()).toEqual(['no_plume', 'plume', 'unknown']);
      expect(Object.values(j.per_cooling_class as Record<string, { n: number }>).reduce((a, c) => a + c.n, 0)).toBe(j.n);
      return j.generation.mae as number;
    };
    const trainOn = async (name: string, extra: string[]): Promise<string> => {
      const model = path.join(dir, name);
      const t = await cli(['train', ...dataWith(sitesA), '--out', model, '--train-config', TINY, '--backend', 'wasm', '--epochs', '2', '--threads', '1', ...extra]);
      expect(t.code, t.stderr).toBe(0);
      return model;
    };
    const cooled = await trainOn('cooling', ['--cooling-input']);
    const m = JSON.parse(readFileSync(path.join(cooled, 'model.json'), 'utf8'));
    expect(m.spec.auxFeatures).toBe(18);
    expect(m.config.cooling_input).toBe(true);
    // Same images and labels, other technologies: other estimates.
    expect(await evaluateMae(cooled, sitesB)).not.toBe(await evaluateMae(cooled, sitesA));
    const plain = await trainOn('no-cooling', []);
    const p = JSON.parse(readFileSync(path.join(plain, 'model.json'), 'utf8'));
    expect(p.spec.auxFeatures).toBe(12);
    expect(p.config.cooling_input).toBe(false);
    expect(await evaluateMae(plain, sitesB)).toBe(await evaluateMae(plain, sitesA));
    // A model.json whose aux length this version does not write is refused, naming the file.
    const odd = path.join(dir, 'odd-aux');
    rmSync(odd, { recursive: true, force: true });
    await cli(['train', ...dataWith(sitesA), '--out', odd, '--train-config', TINY, '--backend', 'wasm', '--epochs', '1', '--threads', '1']);
    const manifestFile = path.join(odd, 'model.json');
    const bad = JSON.parse(readFileSync(manifestFile, 'utf8'));
    bad.spec.auxFeatures = 13;
    writeFileSync(manifestFile, JSON.stringify(bad));
    const e = await cli(['evaluate', '--model', odd, ...dataWith(sitesA), '--backend', 'wasm']);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(`${manifestFile}: spec.auxFeatures is 13`);
  });

  it('--selection plume_activity: the same training, epochs scored on plume-capable plants only; recorded; the fallback said; refused without activity', async () => {
    const doc = JSON.parse(readFileSync(world.sites, 'utf8')) as { features: { properties: Record<string, unknown> }[] };
    const sitesWith = (name: string, technologyOf: (siteId: string, i: number) => string): string => {
      doc.features.forEach((f, i) => (f.properties.technology = technologyOf(String(f.properties.site_id), i)));
      const file = path.join(dir, `${name}.geojson`);
      writeFileSync(file, JSON.stringify(doc));
      return file;
    };
    const config = path.join(dir, 'tiny-val.json');
    // Three validation plants of eight, so some can show a plume and some cannot.
    writeFileSync(config, JSON.stringify({ ...(JSON.parse(readFileSync(TINY, 'utf8')) as object), val_fraction: 0.4 }));
    type Manifest = { config: { selection?: string }; splits: { val_sites: string[] }; history: { train_losses: Record<string, number>; val_score: number }[] };
    const trainWith = async (name: string, sites: string, extra: string[]): Promise<{ manifest: Manifest; stderr: string }> => {
      const out = path.join(dir, name);
      const flags = ['--tiles', world.tiles, '--labels', world.labels, '--weather', world.weather, '--sites', sites, '--train-config', config, '--backend', 'wasm', '--threads', '1'];
      const t = await cli(['train', ...flags, '--out', out, ...extra]);
      expect(t.code, t.stderr).toBe(0);
      return { manifest: JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as Manifest, stderr: t.stderr };
    };
    // No plant can show a plume: the activity log-loss over all validation overpasses stands in, and train says so.
    const aired = await trainWith('sel-air', sitesWith('sites-air', () => 'air'), ['--selection', 'plume_activity']);
    expect(aired.stderr).toContain(
      "selection plume_activity: no validation plant whose cooling can show a plume (sites' technology natural_draught, wet_fgd_stack, mechanical_draught) has an activity label; epochs are selected by the activity log-loss over all validation overpasses",
    );
    const val = aired.manifest.splits.val_sites;
    expect(val).toHaveLength(3);
    // One validation plant with a tower, two without.
    const mixed = sitesWith('sites-mixed', (id, i) => (id === val[0] ? 'natural_draught' : val.includes(id) ? 'once_through' : i % 2 === 0 ? 'mechanical_draught' : 'air'));
    const fleet = await trainWith('sel-fleet', mixed, []);
    const plume = await trainWith('sel-plume', mixed, ['--selection', 'plume_activity']);
    expect(plume.stderr).not.toContain('no validation plant whose cooling can show a plume');
    expect(fleet.manifest.config).not.toHaveProperty('selection');
    expect(plume.manifest.config.selection).toBe('plume_activity');
    // Selection changes what each epoch is scored by, not how it trains; on the one towered
    // plant's overpasses the score differs from the log-loss over all three plants' (the fallback's).
    expect(plume.manifest.splits).toEqual(aired.manifest.splits);
    expect(plume.manifest.history.map((h) => h.train_losses)).toEqual(fleet.manifest.history.map((h) => h.train_losses));
    expect(plume.manifest.history.map((h) => h.train_losses)).toEqual(aired.manifest.history.map((h) => h.train_losses));
    plume.manifest.history.forEach((h, i) => {
      expect(h.val_score).not.toBe(fleet.manifest.history[i]!.val_score);
      expect(h.val_score).not.toBe(aired.manifest.history[i]!.val_score);
    });
    const refused = await cli(['train', ...data(), '--out', path.join(dir, 'never'), '--train-config', TINY, '--selection', 'plume_activity', '--tasks', 'generation', '--backend', 'wasm']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--selection plume_activity scores the activity task, which this model does not learn (tasks: generation)');
  });

  it('rejects an unknown weighting with the valid names, and negative generation naming the line', async () => {
    const u = await cli(['train', ...data(), '--out', path.join(dir, 'x'), '--weighting', 'magic', '--backend', 'wasm']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('valid: equal, fixed, uncertainty, dwa, gradnorm');
    const labels = path.join(dir, 'neg.csv');
    writeFileSync(labels, 'site_id,datetime,active,generation_mw,co2_t_per_h\nP001,2024-01-01T10:30:00Z,1,-5,1\n');
    const n = await cli(['train', '--tiles', world.tiles, '--labels', labels, '--sites', world.sites, '--out', path.join(dir, 'x'), '--backend', 'wasm']);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain(`${labels}: line 2, column 'generation_mw': -5 is negative`);
  });
  it('refuses a datetime without a zone naming file, line and column, unless --assume-utc', async () => {
    const labels = path.join(dir, 'zoneless.csv');
    writeFileSync(labels, 'site_id,datetime,active,generation_mw,co2_t_per_h\nP001,2024-01-01T10:30:00Z,1,5,1\nP001,2024-01-06T10:30:00,1,5,1\n');
    const base = ['train', '--tiles', world.tiles, '--labels', labels, '--out', path.join(dir, 'x'), '--backend', 'wasm'];
    const z = await cli([...base, '--sites', world.sites]);
    expect(z.code).toBe(2);
    expect(z.stderr).toContain(`${labels}: line 3, column 'datetime': '2024-01-06T10:30:00' has no time zone`);
    expect(z.stderr).toContain('or give --assume-utc if the file is in UTC');
    // With --assume-utc the labels parse; the next input read (a missing sites file) is what fails.
    const u = await cli([...base, '--sites', path.join(dir, 'nowhere.geojson'), '--assume-utc']);
    expect(u.code).toBe(2);
    expect(u.stderr).not.toContain('has no time zone');
    expect(u.stderr).toContain('nowhere.geojson: cannot read sites file');
  });
});
