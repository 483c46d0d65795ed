/**
 * Evaluation metrics over plain arrays: activity accuracy, F1 and ROC AUC; regression MAE,
 * RMSE, R², MAE as % of mean capacity and 90 % interval coverage; the same per fuel and per
 * cooling class (whether a plant's cooling can show a plume: there only can an image tell). The
 * result object is the `co2sat evaluate --json` shape; a task the model was not trained
 * on (or with no labels in the data) is null.
 */
import type { SamplePrediction } from '../model/predictor.js';
import { COOLING_CLASSES, coolingClassOf, type CoolingClass } from '../records/sites.js';
import type { Task } from '../model/spec.js';

export interface ActivityMetrics {
  accuracy: number;
  f1: number;
  /** null when the labels hold only one class. */
  auc: number | null;
  n: number;
}
export interface RegressionMetrics {
  mae: number;
  rmse: number;
  r2: number;
  mae_pct_capacity: number;
  coverage90: number;
  n: number;
}
export interface TaskMetrics {
  activity: ActivityMetrics | null;
  generation: RegressionMetrics | null;
  co2: RegressionMetrics | null;
}
export interface EvaluationMetrics extends TaskMetrics {
  per_fuel: Record<string, TaskMetrics & { n: number }>;
  /**
   * Per cooling class of the plants (records/sites.ts `coolingClassOf`): `plume` where the
   * plant's cooling can show a plume, `no_plume` where it cannot, `unknown` without a known
   * technology. Empty when no scored plant has a known technology.
   */
  per_cooling_class: Partial<Record<CoolingClass, TaskMetrics & { n: number }>>;
  n: number;
}

export interface Truth {
  active: boolean | null;
  generation_mw: number | null;
  co2_t_per_h: number | null;
  fuel: string;
  capacity_mw: number;
  /** The plant's cooling technology (sites.geojson `technology`), when known. */
  technology?: string | null;
}

/** ROC AUC by the rank-sum (Mann–Whitney) formula, ties counted half. */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number | null {
  const pos = labels.filter((l) => l).length;
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return null;
  const idx = scores.map((s, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    for (let k = i; k <= j; k++) ranks[idx[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const sumPos = labels.reduce((a, l, i) => a + (l ? ranks[i]! : 0), 0);
  return (sumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function activityMetrics(pOn: readonly number[], labels: readonly boolean[]): ActivityMetrics | null {
  if (labels.length === 0) return null;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  pOn.forEach((p, i) => {
    const pred = p >= 0.5;
    const y = labels[i]!;
    if (pred === y) correct++;
    if (pred && y) tp++;
    if (pred && !y) fp++;
    if (!pred && y) fn++;
  });
  const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { accuracy: correct / labels.length, f1, auc: rocAuc(pOn, labels), n: labels.length };
}

export function regressionMetrics(pred: readonly number[], truth: readonly number[], half90: readonly number[], capacities: readonly number[]): RegressionMetrics | null {
  const n = truth.length;
  if (n === 0) return null;
  let abs = 0;
  let sq = 0;
  let covered = 0;
  pred.forEach((p, i) => {
    const e = truth[i]! - p;
    abs += Math.abs(e);
    sq += e * e;
    if (Math.abs(e) <= half90[i]!) covered++;
  });
  const mean = truth.reduce((a, b) => a + b, 0) / n;
  const ssTot = truth.reduce((a, b) => a + (b - mean) * (b - mean), 0);
  const meanCap = capacities.reduce((a, b) => a + b, 0) / n;
  return {
    mae: abs / n,
    rmse: Math.sqrt(sq / n),
    r2: ssTot > 0 ? 1 - sq / ssTot : 0,
    mae_pct_capacity: meanCap > 0 ? (100 * abs) / n / meanCap : 0,
    coverage90: covered / n,
    n,
  };
}

function taskMetrics(preds: readonly SamplePrediction[], truths: readonly Truth[], tasks: readonly Task[]): TaskMetrics {
  const act = truths.map((t, i) => [t, preds[i]!] as const).filter(([t]) => t.active !== null);
  const gen = truths.map((t, i) => [t, preds[i]!] as const).filter(([t]) => t.generation_mw !== null);
  const co2 = truths.map((t, i) => [t, preds[i]!] as const).filter(([t]) => t.co2_t_per_h !== null);
  return {
    activity: tasks.includes('activity') ? activityMetrics(act.map(([, p]) => p.p_on), act.map(([t]) => t.active!)) : null,
    generation: tasks.includes('generation')
      ? regressionMetrics(gen.map(([, p]) => p.generation_mw), gen.map(([t]) => t.generation_mw!), gen.map(([, p]) => p.generation_mw_half90), gen.map(([t]) => t.capacity_mw))
      : null,
    co2: tasks.includes('co2')
      ? regressionMetrics(co2.map(([, p]) => p.co2_t_per_h), co2.map(([t]) => t.co2_t_per_h!), co2.map(([, p]) => p.co2_t_per_h_half90), co2.map(([t]) => t.capacity_mw))
      : null,
  };
}

/** All metrics, overall and per fuel. */
export function evaluationMetrics(preds: readonly SamplePrediction[], truths: readonly Truth[], tasks: readonly Task[]): EvaluationMetrics {
  const subset = (keep: (t: Truth, i: number) => boolean): TaskMetrics & { n: number } => {
    const idx = truths.flatMap((t, i) => (keep(t, i) ? [i] : []));
    return { ...taskMetrics(idx.map((i) => preds[i]!), idx.map((i) => truths[i]!), tasks), n: idx.length };
  };
  const per_fuel: EvaluationMetrics['per_fuel'] = {};
  for (const fuel of [...new Set(truths.map((t) => t.fuel))].sort()) per_fuel[fuel] = subset((t) => t.fuel === fuel);
  const per_cooling_class: EvaluationMetrics['per_cooling_class'] = {};
  const classes = truths.map((t) => coolingClassOf(t.technology));
  if (classes.some((c) => c !== 'unknown')) {
    for (const c of COOLING_CLASSES) if (classes.includes(c)) per_cooling_class[c] = subset((_, i) => classes[i] === c);
  }
  return { ...taskMetrics(preds, truths, tasks), per_fuel, per_cooling_class, n: truths.length };
}
