/**
 * Renders an ablation as RESULTS.md: one mean ± sd row per model variant over the seeds,
 * the world's noise floor and reference baselines on the same held-out plants beside them,
 * and the issue's aims checked against the numbers (pass or fall short, never hidden).
 */
import type { AblationResult, AblationRun, FloorRow } from './ablate.js';
import type { Controls } from './controls/index.js';
import type { CoolingClass } from '../records/sites.js';
import type { EvaluationMetrics, TaskMetrics } from './metrics.js';

export interface ReportContext {
  world: string;
  backend: string;
  codeVersion: string;
  date: string;
  machine: string;
  config: Record<string, unknown>;
  totalSeconds: number;
}

export interface Stat {
  mean: number;
  sd: number;
  n: number;
}

/** Mean and sample standard deviation of the finite values. */
export function stat(values: readonly (number | null | undefined)[]): Stat | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd, n: xs.length };
}

const pm = (s: Stat | null, d: number, scale = 1): string => (s ? `${(s.mean * scale).toFixed(d)} ± ${(s.sd * scale).toFixed(d)}` : '–');

export interface VariantSummary {
  variant: string;
  accuracy: Stat | null;
  f1: Stat | null;
  auc: Stat | null;
  gen_mae: Stat | null;
  gen_pct: Stat | null;
  gen_cov: Stat | null;
  co2_mae: Stat | null;
  co2_cov: Stat | null;
}

export function summarise(runs: readonly AblationRun[]): VariantSummary[] {
  const names = [...new Set(runs.map((r) => r.variant))];
  return names.map((variant) => summaryOf(variant, runs.filter((r) => r.variant === variant).map((r) => r.metrics)));
}

/** Mean ± sd of each metric over several scorings (seeds) of one model or control. */
export function summaryOf(variant: string, rs: readonly TaskMetrics[]): VariantSummary {
  return {
    variant,
    accuracy: stat(rs.map((m) => m.activity?.accuracy)),
    f1: stat(rs.map((m) => m.activity?.f1)),
    auc: stat(rs.map((m) => m.activity?.auc)),
    gen_mae: stat(rs.map((m) => m.generation?.mae)),
    gen_pct: stat(rs.map((m) => m.generation?.mae_pct_capacity)),
    gen_cov: stat(rs.map((m) => m.generation?.coverage90)),
    co2_mae: stat(rs.map((m) => m.co2?.mae)),
    co2_cov: stat(rs.map((m) => m.co2?.coverage90)),
  };
}

const tasksScored = (m: EvaluationMetrics): number => [m.activity, m.generation, m.co2].filter((t) => t !== null).length;

/**
 * A control that does not depend on the model (capacity baseline, noise floor), once per
 * seed: from the seed's run that scores the most tasks (single-task runs score fewer).
 */
export function perSeedControl(runs: readonly AblationRun[], key: Exclude<keyof Controls, 'shuffled'>): EvaluationMetrics[] {
  const out: EvaluationMetrics[] = [];
  for (const seed of new Set(runs.map((r) => r.seed))) {
    const best = runs
      .filter((r) => r.seed === seed)
      .map((r) => r.controls[key])
      .filter((m): m is EvaluationMetrics => m !== null)
      .sort((a, b) => tasksScored(b) - tasksScored(a))[0];
    if (best) out.push(best);
  }
  return out;
}

/** Per variant over seeds: the shuffled-image control and its ratio/drop against the model. */
export interface ShuffleSummary {
  variant: string;
  shuffled: VariantSummary;
  /** Shuffled generation MAE / the model's, per seed. */
  gen_mae_ratio: Stat | null;
  /** The model's activity AUC minus the shuffled one's, per seed. */
  auc_drop: Stat | null;
}

/** What shuffling the images did, per seed: shuffled generation MAE / the model's, and the AUC the model lost. */
function shuffleEffect(pairs: readonly { model: TaskMetrics; shuffled: TaskMetrics }[]): { gen_mae_ratio: Stat | null; auc_drop: Stat | null } {
  return {
    gen_mae_ratio: stat(pairs.map(({ model, shuffled }) => (model.generation && shuffled.generation && model.generation.mae > 0 ? shuffled.generation.mae / model.generation.mae : null))),
    auc_drop: stat(pairs.map(({ model, shuffled }) => (model.activity?.auc != null && shuffled.activity?.auc != null ? model.activity.auc - shuffled.activity.auc : null))),
  };
}

export function summariseShuffled(runs: readonly AblationRun[]): ShuffleSummary[] {
  const names = [...new Set(runs.map((r) => r.variant))];
  return names.flatMap((variant) => {
    const pairs = runs.flatMap((r) => (r.variant === variant && r.controls.shuffled ? [{ model: r.metrics, shuffled: r.controls.shuffled }] : []));
    if (pairs.length === 0) return [];
    return [{ variant, shuffled: summaryOf(`${variant}, images shuffled`, pairs.map((p) => p.shuffled)), ...shuffleEffect(pairs) }];
  });
}

/** Summaries of the model-independent controls over seeds (null when no run scored them). */
export function controlSummaries(runs: readonly AblationRun[]): Record<Exclude<keyof Controls, 'shuffled'>, VariantSummary | null> {
  const cb = perSeedControl(runs, 'capacity_baseline');
  const nf = perSeedControl(runs, 'noise_floor');
  const ic = perSeedControl(runs, 'image_ceiling');
  const hc = perSeedControl(runs, 'history_ceiling');
  return {
    capacity_baseline: cb.length > 0 ? summaryOf('capacity-aware baseline (fuel CF × capacity × on-share, training plants)', cb) : null,
    image_ceiling: ic.length > 0 ? summaryOf('image ceiling (oracle: observable overpasses exact, others the capacity baseline)', ic) : null,
    history_ceiling: hc.length > 0 ? summaryOf('history ceiling (oracle: observable overpasses exact, others the nearest observable one in time, the capacity baseline for plants never observable)', hc) : null,
    noise_floor: nf.length > 0 ? summaryOf('noise floor (oracle: observable exact, others the plant’s own prior)', nf) : null,
  };
}

/** Per variant over seeds: the model's estimates combined over each plant's overpasses, and the shuffled-image control of that. */
export interface HistorySummary {
  variant: string;
  smoothed: VariantSummary;
  /** Shuffled (then combined) generation MAE / the combined model's, per seed. */
  gen_mae_ratio: Stat | null;
  auc_drop: Stat | null;
}

export function summariseSiteHistory(runs: readonly AblationRun[]): HistorySummary[] {
  const names = [...new Set(runs.map((r) => r.variant))];
  return names.flatMap((variant) => {
    const pairs = runs.flatMap((r) => (r.variant === variant && r.with_site_history ? [{ model: r.with_site_history.metrics, shuffled: r.with_site_history.shuffled }] : []));
    if (pairs.length === 0) return [];
    return [{ variant, smoothed: summaryOf(`${variant}, with site history`, pairs.map((p) => p.model)), ...shuffleEffect(pairs) }];
  });
}

function historyTable(runs: readonly AblationRun[]): string[] {
  const rows = summariseSiteHistory(runs);
  if (rows.length === 0) return [];
  return [
    '### With site history (temporal context)',
    '',
    'Each model’s per-overpass estimates combined over the held-out plant’s overpasses (`src/model/siteHistory.ts`: a Gaussian process on departures from the fleet prior, its kernel fitted on the run’s training plants; no labels of the scored plants are used), and the same with the images shuffled within each plant.',
    '',
    '| model | accuracy | AUC | generation MAE (MW) | % of capacity | gen. 90 % cov. | CO₂ MAE (t/h) | CO₂ 90 % cov. | gen. MAE shuffled × | AUC drop shuffled |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((x) => {
      const v = x.smoothed;
      return `| ${x.variant} | ${pm(v.accuracy, 3)} | ${pm(v.auc, 3)} | ${pm(v.gen_mae, 1)} | ${pm(v.gen_pct, 1)} | ${pm(v.gen_cov, 1, 100)} % | ${pm(v.co2_mae, 1)} | ${pm(v.co2_cov, 1, 100)} % | ${pm(x.gen_mae_ratio, 2)} | ${pm(x.auc_drop, 3)} |`.replace(/– %/g, '–');
    }),
    '',
  ];
}

/** The issue's aims for the whole system: plume inputs, uncertainty weighting, hard physics, site history. */
function systemAims(runs: readonly AblationRun[]): AimCheck[] {
  const name = 'MTL uncertainty + hard physics + plume inputs';
  const h = summariseSiteHistory(runs).find((x) => x.variant === name);
  if (!h) return [];
  const v = h.smoothed;
  const label = `${name}, with site history`;
  const out: AimCheck[] = [];
  const { capacity_baseline: cb, noise_floor: nf, image_ceiling: ic, history_ceiling: hc } = controlSummaries(runs);
  // What images and history allow at best, beside each aim: an aim beyond it is out of every image model's reach on this world.
  const historyBound = (text: string | null): string => (text ? `; the history ceiling is ${text}` : '');
  if (v.gen_pct) out.push({ aim: `generation MAE ≤ 12 % of mean capacity (${label})`, met: v.gen_pct.mean <= 12, detail: `${v.gen_pct.mean.toFixed(1)} %${historyBound(hc?.gen_pct ? `${hc.gen_pct.mean.toFixed(1)} %` : null)}` });
  for (const [key, what] of [
    ['gen_mae', 'generation'],
    ['co2_mae', 'CO₂'],
  ] as const) {
    const b = cb?.[key];
    const m = v[key];
    if (b && m && b.mean > 0) {
      const ceiling = (ic?.[key] ? `; the image ceiling is ${(100 * (1 - ic[key].mean / b.mean)).toFixed(0)} % lower` : '') + historyBound(hc?.[key] ? `${(100 * (1 - hc[key].mean / b.mean)).toFixed(0)} % lower` : null);
      out.push({ aim: `beats the capacity-aware baseline by ≥ 35 % on ${what} MAE (${label})`, met: 1 - m.mean / b.mean >= 0.35, detail: `${m.mean.toFixed(1)} vs ${b.mean.toFixed(1)} (${(100 * (1 - m.mean / b.mean)).toFixed(0)} % lower${ceiling})` });
    }
  }
  if (h.gen_mae_ratio) out.push({ aim: `shuffled images raise generation MAE ≥ 2× (${label})`, met: h.gen_mae_ratio.mean >= 2, detail: `${h.gen_mae_ratio.mean.toFixed(2)}×` });
  if (h.auc_drop) out.push({ aim: `shuffled images drop activity AUC by ≥ 0.2 (${label})`, met: h.auc_drop.mean >= 0.2, detail: h.auc_drop.mean.toFixed(3) });
  if (nf?.accuracy && v.accuracy) out.push({ aim: `activity accuracy within 0.02 of the noise floor (${label})`, met: nf.accuracy.mean - v.accuracy.mean <= 0.02, detail: `${v.accuracy.mean.toFixed(3)} vs ${nf.accuracy.mean.toFixed(3)}${historyBound(hc?.accuracy ? hc.accuracy.mean.toFixed(3) : null)}` });
  for (const [key, what] of [
    ['gen_cov', 'generation'],
    ['co2_cov', 'CO₂'],
  ] as const) {
    const c = v[key];
    if (c) out.push({ aim: `90 % intervals cover 85–95 % of ${what} truths (${label})`, met: c.mean >= 0.85 && c.mean <= 0.95, detail: `${(100 * c.mean).toFixed(1)} %` });
  }
  return out;
}

/**
 * σ_t over training (uncertainty weighting): per variant and task, mean ± sd over the runs
 * still training at each epoch, so a σ that drifts instead of settling shows (issue 15).
 */
export function sigmaTable(runs: readonly AblationRun[]): string[] {
  const withSigmas = runs.flatMap((r) => (r.sigma_history && r.sigma_history.length > 0 && r.train_plants_limit === null ? [{ variant: r.variant, history: r.sigma_history }] : []));
  const variants = [...new Set(withSigmas.map((r) => r.variant))];
  if (variants.length === 0) return [];
  const out = ['### σ_t over training', '', 'The learned σ_t = exp(s_t / 2) of each weighted task after each epoch, mean ± sd over the runs still training at that epoch (early stopping ends runs at different epochs).', ''];
  for (const variant of variants) {
    const histories = withSigmas.filter((r) => r.variant === variant).map((r) => r.history);
    const tasks = [...new Set(histories.flatMap((h) => h.flatMap((epoch) => Object.keys(epoch))))];
    const epochs = Math.max(...histories.map((h) => h.length));
    out.push(`| ${variant}: epoch | runs | ${tasks.map((t) => `σ ${t}`).join(' | ')} |`, `|---|---|${tasks.map(() => '---|').join('')}`);
    for (let e = 0; e < epochs; e++) {
      const at = histories.flatMap((h) => h.slice(e, e + 1));
      out.push(`| ${e + 1} | ${at.length} | ${tasks.map((t) => pm(stat(at.map((h) => h[t] ?? null)), 3)).join(' | ')} |`);
    }
    out.push('');
  }
  return out;
}

const COOLING_LABEL: Record<CoolingClass, string> = { plume: 'can show a plume', no_plume: 'cannot (once-through, air)', unknown: 'unknown' };

/**
 * The main table split by whether the plants' cooling can show a plume (metrics.ts
 * `per_cooling_class`): only there can an image tell a plant's state, so a model that reads
 * the image beats the capacity baseline and loses to its shuffled-image self there, and
 * cannot elsewhere. Empty when the world's sites name no known cooling.
 */
export function coolingTable(runs: readonly AblationRun[]): string[] {
  const whole = wholeDataRuns(runs);
  const classes = (['plume', 'no_plume'] as const).filter((c) => whole.some((r) => r.metrics.per_cooling_class[c]));
  if (classes.length === 0) return [];
  const cell = (v: VariantSummary, x: { gen_mae_ratio: Stat | null; auc_drop: Stat | null } | null): string =>
    `${pm(v.accuracy, 3)} | ${pm(v.auc, 3)} | ${pm(v.gen_mae, 1)} | ${pm(v.gen_pct, 1)} | ${pm(v.co2_mae, 1)} | ${pm(x?.gen_mae_ratio ?? null, 2)} | ${pm(x?.auc_drop ?? null, 3)}`;
  const out = [
    '### By cooling: where an image can tell',
    '',
    'The same held-out samples split by the plants’ cooling technology (sites.geojson `technology`): natural- or mechanical-draught towers and wet FGD stacks make vapour plumes; once-through and air cooling do not, so there no image model can beat an image-free one. % of capacity is of each group’s own mean capacity.',
    '',
    '| model | plants’ cooling | accuracy | AUC | generation MAE (MW) | % of capacity | CO₂ MAE (t/h) | gen. MAE shuffled × | AUC drop shuffled |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const variant of [...new Set(whole.map((r) => r.variant))]) {
    for (const c of classes) {
      const rs = whole.filter((r) => r.variant === variant && r.metrics.per_cooling_class[c]);
      if (rs.length === 0) continue;
      const pairs = rs.flatMap((r) => {
        const model = r.metrics.per_cooling_class[c];
        const shuffled = r.controls.shuffled?.per_cooling_class[c];
        return model && shuffled ? [{ model, shuffled }] : [];
      });
      const v = summaryOf(variant, rs.flatMap((r) => r.metrics.per_cooling_class[c] ?? []));
      out.push(`| ${variant} | ${COOLING_LABEL[c]} | ${cell(v, pairs.length > 0 ? shuffleEffect(pairs) : null)} |`);
    }
  }
  for (const [key, label] of [
    ['capacity_baseline', 'capacity-aware baseline'],
    ['history_ceiling', 'history ceiling'],
    ['noise_floor', 'noise floor'],
  ] as const) {
    for (const c of classes) {
      const ms = perSeedControl(whole, key).flatMap((m) => (m.per_cooling_class[c] ? [m.per_cooling_class[c]] : []));
      if (ms.length > 0) out.push(`| *${label}* | ${COOLING_LABEL[c]} | ${cell(summaryOf(label, ms), null)} |`);
    }
  }
  out.push('');
  return out;
}

/** The control rows of the main table, labels in italics. */
function controlRows(runs: readonly AblationRun[]): VariantSummary[] {
  const { capacity_baseline: cb, noise_floor: nf, image_ceiling: ic, history_ceiling: hc } = controlSummaries(runs);
  const hard = summariseShuffled(runs).find((x) => x.variant === 'MTL uncertainty + hard physics');
  return [cb, hard?.shuffled ?? null, ic, hc, nf].filter((v): v is VariantSummary => v !== null).map((v) => ({ ...v, variant: `*${v.variant}*` }));
}

function shuffleTable(runs: readonly AblationRun[]): string[] {
  const rows = summariseShuffled(runs);
  if (rows.length === 0) return [];
  return [
    '### Shuffled-image control per model',
    '',
    '| model | gen. MAE, images shuffled | × the model’s | AUC, images shuffled | AUC drop |',
    '|---|---|---|---|---|',
    ...rows.map((x) => `| ${x.variant} | ${pm(x.shuffled.gen_mae, 1)} | ${pm(x.gen_mae_ratio, 2)} | ${pm(x.shuffled.auc, 3)} | ${pm(x.auc_drop, 3)} |`),
    '',
  ];
}

function floorRows(floors: readonly FloorRow[]): string[] {
  if (floors.length === 0) return [];
  const row = (label: string, pick: (f: FloorRow) => { activity_accuracy: number; generation_mae_mw: number; co2_mae_t_per_h: number }): string =>
    `| *${label}* | ${pm(stat(floors.map((f) => pick(f).activity_accuracy)), 3)} | | | ${pm(stat(floors.map((f) => pick(f).generation_mae_mw)), 1)} | | | ${pm(stat(floors.map((f) => pick(f).co2_mae_t_per_h)), 1)} | |`;
  return [
    row('noise floor (oracle, held-out plants)', (f) => f.noise_floor),
    row('site prior (each plant’s own median, in-sample)', (f) => f.site_prior),
    row('naive brightness (fitted in-sample)', (f) => f.naive_brightness),
  ];
}

export interface AimCheck {
  aim: string;
  met: boolean;
  detail: string;
}

/**
 * Seeds in which `variant` has a lower MAE than every other variant that has the task. The
 * seed also draws the held-out plants, so comparing within a seed removes split variance.
 */
export function pairedWins(runs: readonly AblationRun[], variant: string, task: 'generation' | 'co2'): { wins: number; seeds: number } {
  const seeds = [...new Set(runs.map((r) => r.seed))];
  let wins = 0;
  let counted = 0;
  for (const seed of seeds) {
    const rs = runs.filter((r) => r.seed === seed && r.metrics[task]);
    const mine = rs.find((r) => r.variant === variant);
    if (!mine) continue;
    counted++;
    if (rs.every((r) => r === mine || r.metrics[task]!.mae > mine.metrics[task]!.mae)) wins++;
  }
  return { wins, seeds: counted };
}

/** The issue's aims, checked against the summaries (and, given the runs, per seed). */
export function checkAims(s: readonly VariantSummary[], runs: readonly AblationRun[] = []): AimCheck[] {
  const get = (name: string): VariantSummary | undefined => s.find((v) => v.variant === name);
  const physics = ['MTL uncertainty + hard physics', 'MTL uncertainty + soft physics'].map(get).filter((v): v is VariantSummary => !!v);
  const out: AimCheck[] = [];
  const best = (key: 'gen_mae' | 'co2_mae'): VariantSummary | undefined =>
    [...physics].filter((v) => v[key]).sort((a, b) => a[key]!.mean - b[key]!.mean)[0];
  for (const [key, label, single] of [
    ['gen_mae', 'generation', 'single-task generation'],
    ['co2_mae', 'CO₂', 'single-task CO₂'],
  ] as const) {
    const b = best(key);
    const others = [get(single), get('MTL equal')].filter((v): v is VariantSummary => !!v && !!v[key]);
    if (!b || others.length === 0) continue;
    const pw = pairedWins(runs, b.variant, key === 'gen_mae' ? 'generation' : 'co2');
    const paired = pw.seeds > 0 ? `; lowest of all variants in ${pw.wins} of ${pw.seeds} seeds` : '';
    const worst = `${others.map((o) => `${o.variant} ${o[key]!.mean.toFixed(1)}`).join(', ')}${paired}`;
    out.push({
      aim: `MTL uncertainty + physics beats single-task and MTL equal on ${label} MAE`,
      met: others.every((o) => b[key]!.mean < o[key]!.mean),
      detail: `${b.variant} ${b[key]!.mean.toFixed(1)} vs ${worst}`,
    });
  }
  const hard = get('MTL uncertainty + hard physics');
  if (hard?.gen_pct) out.push({ aim: 'generation MAE under 10 % of mean capacity (hard physics)', met: hard.gen_pct.mean < 10, detail: `${hard.gen_pct.mean.toFixed(1)} %` });
  for (const [key, label] of [
    ['gen_cov', 'generation'],
    ['co2_cov', 'CO₂'],
  ] as const) {
    if (hard?.[key]) out.push({ aim: `90 % intervals cover 85–95 % of ${label} truths (hard physics)`, met: hard[key].mean >= 0.85 && hard[key].mean <= 0.95, detail: `${(100 * hard[key].mean).toFixed(1)} %` });
  }
  return [...out, ...controlAims(hard, runs), ...systemAims(runs)];
}

/** The aims read against the controls (only when the runs carry them). */
function controlAims(hard: VariantSummary | undefined, runs: readonly AblationRun[]): AimCheck[] {
  if (!hard) return [];
  const out: AimCheck[] = [];
  const { capacity_baseline: cb, noise_floor: nf } = controlSummaries(runs);
  for (const [key, label] of [
    ['gen_mae', 'generation'],
    ['co2_mae', 'CO₂'],
  ] as const) {
    const b = cb?.[key];
    const m = hard[key];
    if (b && m && b.mean > 0) {
      const gain = 1 - m.mean / b.mean;
      out.push({ aim: `MTL uncertainty + hard physics beats the capacity-aware baseline by ≥ 35 % on ${label} MAE`, met: gain >= 0.35, detail: `${m.mean.toFixed(1)} vs ${b.mean.toFixed(1)} (${(100 * gain).toFixed(0)} % lower)` });
    }
  }
  const sh = summariseShuffled(runs).find((x) => x.variant === hard.variant);
  if (sh?.gen_mae_ratio) out.push({ aim: 'shuffled images raise generation MAE ≥ 2× (hard physics)', met: sh.gen_mae_ratio.mean >= 2, detail: `${sh.gen_mae_ratio.mean.toFixed(2)}×` });
  if (sh?.auc_drop) out.push({ aim: 'shuffled images drop activity AUC by ≥ 0.2 (hard physics)', met: sh.auc_drop.mean >= 0.2, detail: `${sh.auc_drop.mean.toFixed(3)}` });
  if (nf?.accuracy && hard.accuracy) {
    const gap = nf.accuracy.mean - hard.accuracy.mean;
    out.push({ aim: 'activity accuracy within 0.02 of the noise floor (hard physics)', met: gap <= 0.02, detail: `${hard.accuracy.mean.toFixed(3)} vs ${nf.accuracy.mean.toFixed(3)}` });
  }
  return out;
}

/** Runs on all of their split's training plants: the main tables (learning-curve runs have a limit). */
export function wholeDataRuns(runs: readonly AblationRun[]): AblationRun[] {
  return runs.filter((x) => x.train_plants_limit === null);
}

export interface LearningCurvePoint {
  variant: string;
  /** The --train-plants limit (null: all training plants). */
  limit: number | null;
  /** Mean plants actually trained on. */
  train_plants: number;
  runs: number;
  gen_mae: Stat | null;
  gen_pct: Stat | null;
  co2_mae: Stat | null;
  accuracy: Stat | null;
  /** The capacity-aware baseline fitted on the same (limited) training plants. */
  baseline_gen_mae: Stat | null;
}

/** Error against training plants, per variant (held-out plants fixed per seed). */
export function learningCurve(runs: readonly AblationRun[]): LearningCurvePoint[] {
  const out: LearningCurvePoint[] = [];
  for (const variant of new Set(runs.map((r) => r.variant))) {
    const mine = runs.filter((r) => r.variant === variant);
    const limits = [...new Set(mine.map((r) => r.train_plants_limit))].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
    for (const limit of limits) {
      const rs = mine.filter((r) => r.train_plants_limit === limit);
      const s = summaryOf(variant, rs.map((r) => r.metrics));
      out.push({
        variant,
        limit,
        train_plants: rs.reduce((a, r) => a + r.train_plants, 0) / rs.length,
        runs: rs.length,
        gen_mae: s.gen_mae,
        gen_pct: s.gen_pct,
        co2_mae: s.co2_mae,
        accuracy: s.accuracy,
        baseline_gen_mae: stat(rs.map((r) => r.controls.capacity_baseline?.generation?.mae)),
      });
    }
  }
  return out;
}

function learningCurveTable(runs: readonly AblationRun[]): string[] {
  if (!runs.some((r) => r.train_plants_limit !== null)) return [];
  return [
    '### Learning curve (error against training plants)',
    '',
    'Each variant retrained on only the first N of each split’s training plants (seeded order), scored on the same held-out plants; the capacity-aware baseline is refitted on the same N plants.',
    '',
    '| model | training plants | runs | generation MAE (MW) | % of capacity | CO₂ MAE (t/h) | activity accuracy | capacity baseline gen. MAE |',
    '|---|---|---|---|---|---|---|---|',
    ...learningCurve(runs).map((p) => `| ${p.variant} | ${p.train_plants.toFixed(0)}${p.limit === null ? ' (all)' : ''} | ${p.runs} | ${pm(p.gen_mae, 1)} | ${pm(p.gen_pct, 1)} | ${pm(p.co2_mae, 1)} | ${pm(p.accuracy, 3)} | ${pm(p.baseline_gen_mae, 1)} |`),
    '',
  ];
}

export function renderResults(r: AblationResult, ctx: ReportContext): string {
  const all = r.runs;
  r = { ...r, runs: wholeDataRuns(all) };
  const s = summarise(r.runs);
  const seeds = [...new Set(r.runs.map((x) => x.seed))];
  const lines = [
    '# co2sat ablation results',
    '',
    `Written by \`co2sat ablate\` on ${ctx.date} (${ctx.machine}; backend ${ctx.backend}; co2sat ${ctx.codeVersion}; ${(ctx.totalSeconds / 60).toFixed(1)} min).`,
    `World: \`${ctx.world}\` — ${r.sites} plants, ${r.samples} usable patches, mean capacity ${r.mean_capacity_mw.toFixed(0)} MW.`,
    ...(all.length < r.planned_runs ? [`**Partial: ${all.length} of ${r.planned_runs} runs finished so far; rows with fewer seeds have ± over those only.**`, ''] : []),
    r.folds
      ? `Each model is trained ${seeds.length} times: grouped ${r.folds}-fold cross-validation over plants (run i holds out fold i; the folds partition the plants, so every plant is scored once); ± is over folds.`
      : `Each model is trained ${seeds.length} times (seeds ${seeds.join(', ')}); the seed also draws which plants are held out, so ± includes split variance.`,
    'Scores are on each seed’s held-out plants only (split by site: no test plant is seen in training or validation).',
    '',
    '| model | activity accuracy | F1 | AUC | generation MAE (MW) | gen. MAE % of capacity | gen. 90 % coverage | CO₂ MAE (t/h) | CO₂ 90 % coverage |',
    '|---|---|---|---|---|---|---|---|---|',
    ...[...s, ...controlRows(r.runs)].map((v) => `| ${v.variant} | ${pm(v.accuracy, 3)} | ${pm(v.f1, 3)} | ${pm(v.auc, 3)} | ${pm(v.gen_mae, 1)} | ${pm(v.gen_pct, 1)} | ${pm(v.gen_cov, 1, 100)} % | ${pm(v.co2_mae, 1)} | ${pm(v.co2_cov, 1, 100)} % |`.replace(/– %/g, '–')),
    ...floorRows(r.floors),
    '',
    'Control rows (*italic*) are scored with the same metrics on the same held-out samples: the *capacity-aware baseline* predicts every overpass of a plant as its fuel’s mean capacity factor while on × capacity × on-share (the plant’s own when it trained, else its fuel’s), all learnt from the training plants, with no image; *images shuffled* is the model fed, at each overpass, an image of the same plant from another of its overpasses (a seeded cycle, no image in place); the *image ceiling* reads every observable overpass exactly (truth.json) and gives the others the capacity-aware baseline — the best a model that sees one overpass of an unseen plant at a time can do; the *history ceiling* reads observable overpasses exactly and gives each other overpass the plant’s nearest observable one in time (the capacity-aware baseline for a plant with none, e.g. once-through or air cooling, which shows no plume) — the best a model of an unseen plant’s images *and* their history can do; the *noise floor* reads observable overpasses exactly and gives the others the plant’s own majority state and median generation, knowable only from the plant’s labelled history (all on exactly the scored samples, no interval, so no coverage).',
    '',
    ...shuffleTable(r.runs),
    ...historyTable(r.runs),
    ...learningCurveTable(all),
    'Reference rows come from the world’s truth.json on the same held-out plants: the *noise floor* is an oracle that reads every observable overpass exactly and falls back to the plant’s own prior otherwise (which only a model of the plant’s history can approach); the *site prior* and *naive brightness* baselines are fitted on the very samples they score, so they are optimistic.',
    '',
    ...coolingTable(all),
    ...sigmaTable(all),
    '## The issue’s aims',
    '',
    ...checkAims(s, r.runs).map((a) => `- ${a.met ? '✅ met' : '❌ not met'}: ${a.aim} — ${a.detail}`),
    '',
    '## Training settings',
    '',
    '```json',
    JSON.stringify(ctx.config, null, 2),
    '```',
    '',
    '## Per run',
    '',
    // The trunk and the selection score are per run: ablate applies the base config's only to
    // the variants they fit (ablationVariants.ts), so the settings above do not say them alone.
    '| model | seed | training plants | trunk trained by | epochs scored by | epochs (best) | s | gen MAE | CO₂ MAE | accuracy | learned σ_t |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...all.map(
      (x) =>
        `| ${x.variant} | ${x.seed} | ${x.train_plants} | ${x.trunk_tasks === 'activity' ? 'activity' : 'all tasks'} | ${x.selection === 'plume_activity' ? 'activity where plumes can show' : 'all tasks'} | ${x.epochs_run} (${x.best_epoch}) | ${x.seconds.toFixed(0)} | ${x.metrics.generation?.mae.toFixed(1) ?? '–'} | ${x.metrics.co2?.mae.toFixed(1) ?? '–'} | ${x.metrics.activity?.accuracy.toFixed(3) ?? '–'} | ${x.sigmas ? Object.entries(x.sigmas).map(([t, v]) => `${t} ${v.toFixed(2)}`).join(', ') : '–'} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

/** Everything after this line in RESULTS.md is hand-written and survives a rerun of `ablate`. */
export const KEPT_MARKER = '<!-- co2sat ablate rewrites everything above this line and keeps everything below it -->';

/**
 * The freshly rendered report followed by the hand-written part of the previous file (from
 * KEPT_MARKER on), so notes and other measurements are not lost when the ablation reruns.
 * @param previous the file's current text, or null when there is none
 */
export function withKeptSection(rendered: string, previous: string | null): string {
  const at = previous?.indexOf(KEPT_MARKER) ?? -1;
  if (previous === null || at < 0) return rendered;
  return `${rendered.replace(/\n*$/, '\n\n')}${previous.slice(at)}`;
}
