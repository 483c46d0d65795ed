/**
 * `co2sat evaluate`: scores a saved model on tiled patches and labels (the same data flags
 * as train; the data may come from a different world). Prints a table, or with --json one
 * object `{activity: {accuracy, f1, auc}, generation: {mae, rmse, r2, mae_pct_capacity,
 * coverage90}, co2: {…}, per_fuel: {…}, per_cooling_class: {plume, no_plume, unknown}, n,
 * controls: {capacity_baseline, shuffled, noise_floor, image_ceiling, history_ceiling}}`, each
 * control with the same keys (or null when not scored); tasks the model was not trained on are
 * null. per_cooling_class is empty when the sites file names no known cooling technology.
 */
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { action, positiveInt, requireOption, withGlobals } from '../command.js';
import { UsageError } from '../../errors.js';
import type { Output } from '../output.js';
import { addBackendOptions, addDataOptions, tableOptionsOf, type TableFlags } from '../dataOptions.js';

interface EvaluateOptions extends TableFlags {
  model?: string;
  tiles?: string;
  labels?: string;
  weather?: string;
  sites?: string;
  split?: 'all' | 'test';
  minValid?: number;
  backend?: string;
  config?: string;
  control?: string[];
  controlSeed?: string;
  truth?: string;
  threads?: number;
}

type Metrics = import('../../train/metrics.js').EvaluationMetrics;
type Controls = import('../../train/controls/index.js').Controls;

const f = (n: number | null | undefined, d = 3): string => (n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(d));

/** Strips the internal per-task `n` so --json has exactly the documented keys. */
export function toEvaluateJson(m: import('../../train/metrics.js').EvaluationMetrics): Record<string, unknown> {
  const task = (t: import('../../train/metrics.js').TaskMetrics) => ({
    activity: t.activity ? { accuracy: t.activity.accuracy, f1: t.activity.f1, auc: t.activity.auc } : null,
    generation: t.generation ? { mae: t.generation.mae, rmse: t.generation.rmse, r2: t.generation.r2, mae_pct_capacity: t.generation.mae_pct_capacity, coverage90: t.generation.coverage90 } : null,
    co2: t.co2 ? { mae: t.co2.mae, rmse: t.co2.rmse, r2: t.co2.r2, mae_pct_capacity: t.co2.mae_pct_capacity, coverage90: t.co2.coverage90 } : null,
  });
  return {
    ...task(m),
    per_fuel: Object.fromEntries(Object.entries(m.per_fuel).map(([fuel, t]) => [fuel, { ...task(t), n: t.n }])),
    per_cooling_class: Object.fromEntries(Object.entries(m.per_cooling_class).flatMap(([c, t]) => (t ? [[c, { ...task(t), n: t.n }]] : []))),
    n: m.n,
  };
}

/** The --json `controls` object: each row with evaluate's keys, null when not scored. */
export function controlsJson(c: Controls): Record<keyof Controls, Record<string, unknown> | null> {
  return {
    capacity_baseline: c.capacity_baseline ? toEvaluateJson(c.capacity_baseline) : null,
    shuffled: c.shuffled ? toEvaluateJson(c.shuffled) : null,
    noise_floor: c.noise_floor ? toEvaluateJson(c.noise_floor) : null,
    image_ceiling: c.image_ceiling ? toEvaluateJson(c.image_ceiling) : null,
    history_ceiling: c.history_ceiling ? toEvaluateJson(c.history_ceiling) : null,
  };
}

const CONTROL_ROWS: readonly [keyof Controls, string][] = [
  ['capacity_baseline', 'capacity baseline'],
  ['shuffled', 'shuffled images'],
  ['image_ceiling', 'image ceiling'],
  ['history_ceiling', 'history ceiling'],
  ['noise_floor', 'noise floor'],
];

export function evaluateTable(m: Metrics, controls?: Controls, withSiteHistory?: { metrics: Metrics; shuffled: Metrics | null } | null): string {
  const rows: string[][] = [['scope', 'n', 'acc', 'F1', 'AUC', 'gen MAE', 'gen RMSE', 'gen R²', 'gen %cap', 'gen cov90', 'CO2 MAE', 'CO2 RMSE', 'CO2 R²', 'CO2 cov90']];
  const row = (scope: string, n: number, t: import('../../train/metrics.js').TaskMetrics): string[] => [
    scope,
    String(n),
    f(t.activity?.accuracy),
    f(t.activity?.f1),
    f(t.activity?.auc),
    f(t.generation?.mae, 1),
    f(t.generation?.rmse, 1),
    f(t.generation?.r2),
    f(t.generation?.mae_pct_capacity, 1),
    f(t.generation?.coverage90),
    f(t.co2?.mae, 1),
    f(t.co2?.rmse, 1),
    f(t.co2?.r2),
    f(t.co2?.coverage90),
  ];
  rows.push(row('all', m.n, m));
  for (const [fuel, t] of Object.entries(m.per_fuel)) rows.push(row(fuel, t.n, t));
  for (const [c, t] of Object.entries(m.per_cooling_class)) if (t) rows.push(row(`cooling: ${c.replace('_', ' ')}`, t.n, t));
  if (withSiteHistory) rows.push(row('with site history', withSiteHistory.metrics.n, withSiteHistory.metrics));
  if (withSiteHistory?.shuffled) rows.push(row('with site history, shuffled', withSiteHistory.shuffled.n, withSiteHistory.shuffled));
  // Controls after the model's own rows, on the same samples (their per-fuel rows are in --json).
  for (const [k, label] of CONTROL_ROWS) {
    const c = controls?.[k];
    if (c) rows.push(row(`control: ${label}`, c.n, c));
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

async function run(out: Output, o: EvaluateOptions): Promise<void> {
  const { loadConfig } = await import('../../records/runConfig.js');
  const { selectBackend, describeBackend, parseBackendChoice } = await import('../../backend/index.js');
  const { evaluateModel } = await import('../../train/evaluate.js');
  const { describeJoin } = await import('../../train/dataset.js');
  const modelDir = requireOption(o.model, '--model');
  const paths = { tiles: requireOption(o.tiles, '--tiles'), labels: requireOption(o.labels, '--labels'), weather: o.weather, sites: requireOption(o.sites, '--sites'), ...tableOptionsOf(o) };
  const backend = await selectBackend(parseBackendChoice(o.backend ?? loadConfig(o.config).backend));
  out.info(`backend: ${describeBackend(backend)}`);
  const controls = o.control ?? [];
  const seed = o.controlSeed === undefined ? 0 : Number(o.controlSeed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--control-seed must be a non-negative integer, got '${o.controlSeed}'`);
  const r = await evaluateModel(modelDir, paths, {
    split: o.split ?? 'all',
    ...(o.minValid !== undefined ? { minValidFraction: o.minValid } : {}),
    ...(controls.includes('shuffle-images') ? { shuffleSeed: seed } : {}),
    ...(o.truth ? { truthFile: o.truth } : {}),
    readThreads: o.threads ?? availableParallelism(),
  });
  out.info(`data: ${describeJoin(r.report)}`);
  if (r.report.labelsUnknownSite > 0) out.warn(`${paths.labels}: ${r.report.labelsUnknownSite} labels for sites not in ${paths.sites} (ignored)`);
  if (r.report.labelsWithoutPatch > 0) out.warn(`${paths.labels}: ${r.report.labelsWithoutPatch} labels have no patch in ${paths.tiles} (ignored)`);
  if (r.seenSites > 0) out.warn(`${r.seenSites} evaluated patches are from sites the model trained on; use --split test for held-out plants only`);
  if (!r.controls.capacity_baseline) out.warn(`no capacity baseline: ${modelDir} predates it and ${paths.labels} has no labels of its training plants`);
  if (o.truth && r.noiseFloorUnmatched > 0) out.warn(`${o.truth}: ${r.noiseFloorUnmatched} evaluated patches have no sample in truth.json (left out of the noise floor)`);
  const json = {
    ...toEvaluateJson(r.metrics),
    controls: controlsJson(r.controls),
    with_site_history: r.withSiteHistory ? { ...toEvaluateJson(r.withSiteHistory.metrics), shuffled: r.withSiteHistory.shuffled ? toEvaluateJson(r.withSiteHistory.shuffled) : null } : null,
    model: modelDir,
    backend: backend.name,
    tasks: r.manifest.tasks,
  };
  out.result(
    json,
    `${evaluateTable(r.metrics, r.controls, r.withSiteHistory)}\n(model ${modelDir}, tasks ${r.manifest.tasks.join(',')}, backend ${backend.name}; coverage of 90 % intervals;` +
      ` capacity baseline = fuel CF × capacity × on-share from the training plants${r.controls.shuffled ? `; shuffled = each site's images exchanged among its own overpasses, seed ${seed}` : ''})`,
  );
}

export async function evaluateCommand(): Promise<Command> {
  const cmd = new Command('evaluate')
    .summary('score a model: accuracy/F1/AUC, MAE/RMSE/R², 90 % interval coverage, per fuel')
    .description(
      'Score a trained model: activity accuracy/F1/AUC, generation and CO2 MAE/RMSE/R² (also as\n' +
        '% of capacity) and 90 % interval coverage, overall and per fuel. Beside the model: the\n' +
        'capacity-aware baseline (no image), with --control shuffle-images the model fed each\n' +
        "site's images from its other overpasses, and with --truth the world's oracles: the image\n" +
        'ceiling (what one overpass at a time allows), the history ceiling (what a plant\'s images\n' +
        'and their history allow) and the noise floor (what its labels would allow).',
    )
    .option('--model <dir>', 'model folder written by co2sat train');
  addDataOptions(cmd, "(optional: the model's training means are imputed)");
  cmd
    .addOption(new Option('--split <part>', "'test': only the model's held-out sites/overpasses; 'all': every labelled patch").choices(['all', 'test']).default('all'))
    .option('--min-valid <fraction>', "drop patches with a smaller valid_fraction (default: the model's)", Number)
    .addOption(
      new Option('--control <name...>', "extra control rows: 'shuffle-images' scores the model again with each site's images exchanged among its own overpasses (the capacity baseline is always reported)").choices(['shuffle-images']),
    )
    .option('--control-seed <n>', 'seed of the image shuffle', '0')
    .option('--truth <file>', "a synthetic world's truth.json: adds the world's noise floor and the image and history ceilings on the same patches")
    .option('--threads <n>', 'worker threads reading the patches (default: all cores; 1 reads in this thread)', positiveInt('--threads'))
    .action(action((out, o: EvaluateOptions) => run(out, o)));
  addBackendOptions(cmd);
  return withGlobals(cmd, [
    'co2sat evaluate --model models/mtl --tiles tiles/ --labels world/labels.csv --weather world/weather.csv --sites world/sites.geojson --split test',
    'co2sat evaluate --model models/mtl --tiles other/tiles --labels other/labels.csv --sites other/sites.geojson --json',
    'co2sat evaluate --model models/mtl --tiles world/tiles --labels world/labels.csv --sites world/sites.geojson --split test --control shuffle-images --truth world/truth.json',
  ]);
}
