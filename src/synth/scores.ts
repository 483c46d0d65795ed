/**
 * What results on a synthetic world should be judged against. `noiseFloor`: the error of
 * an oracle that reads every observable sample perfectly and falls back to the plant's
 * prior on the rest — no per-sample model can beat it. `naiveBrightness`: a baseline that
 * regresses generation on the visible brightness near the stack, the thing a model must
 * clearly beat to have learnt plumes rather than "bright means on".
 */
import type { TaskScores } from '../records/truth.js';
import { fitCapacityBaseline, predictCapacityBaseline, type BaselineObservation } from '../model/capacityBaseline.js';
import { median as medianOf } from '../statistics.js';

const median = (values: readonly number[]): number => medianOf(values, 0);

export interface ScoredSample {
  siteId: string;
  /** The plant's fuel; only the capacity-aware baseline needs it. */
  fuel?: string;
  active: boolean;
  generationMW: number;
  co2TPerH: number;
  /** Public capacity; when every sample has one, the naive baseline regresses capacity factor. */
  capacityMW?: number;
  /** Emission factor of the plant's fuel (median), what a registry-based model would use. */
  fuelEfTPerMWh: number;
  observable: boolean;
  /** Mean visible (B02–B04) reflectance within 300 m of the stack; null when not imaged. */
  brightness: number | null;
}



function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function bySite(samples: readonly ScoredSample[]): Map<string, ScoredSample[]> {
  const m = new Map<string, ScoredSample[]>();
  for (const s of samples) {
    const list = m.get(s.siteId) ?? [];
    list.push(s);
    m.set(s.siteId, list);
  }
  return m;
}

/** The plant's prior: majority state, median generation (MAE-optimal), median CO2. */
function priors(samples: readonly ScoredSample[]): Map<string, { active: boolean; gen: number; co2: number }> {
  const out = new Map<string, { active: boolean; gen: number; co2: number }>();
  for (const [site, list] of bySite(samples)) {
    const onShare = list.filter((s) => s.active).length / list.length;
    const gen = median(list.map((s) => s.generationMW));
    out.set(site, { active: onShare >= 0.5, gen, co2: gen * list[0]!.fuelEfTPerMWh });
  }
  return out;
}

/**
 * Best achievable scores for a model that sees one sample at a time: observable samples are
 * read exactly (generation from the plume, CO2 from the fuel's median emission factor, as
 * the plant's own efficiency is not visible), the others get the plant's prior.
 */
export function noiseFloor(samples: readonly ScoredSample[]): TaskScores & { observable_fraction: number } {
  const prior = priors(samples);
  const acc: number[] = [];
  const gen: number[] = [];
  const co2: number[] = [];
  for (const s of samples) {
    const p = prior.get(s.siteId)!;
    if (s.observable) {
      acc.push(1);
      gen.push(0);
      co2.push(Math.abs(s.co2TPerH - s.generationMW * s.fuelEfTPerMWh));
    } else {
      acc.push(p.active === s.active ? 1 : 0);
      gen.push(Math.abs(s.generationMW - p.gen));
      co2.push(Math.abs(s.co2TPerH - p.co2));
    }
  }
  return {
    activity_accuracy: mean(acc),
    generation_mae_mw: mean(gen),
    co2_mae_t_per_h: mean(co2),
    observable_fraction: mean(samples.map((s) => (s.observable ? 1 : 0))),
  };
}

/** Scores of predicting every sample from its plant's prior alone (no image at all). */
export function sitePriorScores(samples: readonly ScoredSample[]): TaskScores {
  const prior = priors(samples);
  return {
    activity_accuracy: mean(samples.map((s) => (prior.get(s.siteId)!.active === s.active ? 1 : 0))),
    generation_mae_mw: mean(samples.map((s) => Math.abs(s.generationMW - prior.get(s.siteId)!.gen))),
    co2_mae_t_per_h: mean(samples.map((s) => Math.abs(s.co2TPerH - prior.get(s.siteId)!.co2))),
  };
}

/**
 * Naive baseline: brightness near the stack. Activity by the best single threshold on it;
 * capacity factor by least squares on it, times the plant's public capacity (both fitted
 * in-sample, which flatters the baseline); samples without pixels get the pooled median CF.
 */
export function naiveBrightnessScores(samples: readonly ScoredSample[]): TaskScores {
  // Without capacities (older callers) the baseline regresses generation itself.
  const perCapacity = samples.every((s) => s.capacityMW !== undefined && s.capacityMW > 0);
  const scaleOf = (s: ScoredSample) => (perCapacity ? s.capacityMW! : 1);
  const seen = samples.filter((s) => s.brightness !== null);
  const xs = seen.map((s) => s.brightness!);
  const ys = seen.map((s) => s.generationMW / scaleOf(s));
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  seen.forEach((_, i) => {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  });
  const slope = sxx > 0 ? sxy / sxx : 0;
  const fallback = median(samples.map((s) => s.generationMW / scaleOf(s)));
  const clampY = (y: number) => (perCapacity ? Math.min(1, Math.max(0, y)) : Math.max(0, y));
  const genOf = (s: ScoredSample) => (s.brightness === null ? fallback : clampY(my + slope * (s.brightness - mx))) * scaleOf(s);
  let bestAcc = 0;
  const candidates = [...new Set(xs)].sort((a, b) => a - b);
  const majorityOn = samples.filter((s) => s.active).length * 2 >= samples.length;
  for (const t of [-Infinity, ...candidates]) {
    const acc = mean(samples.map((s) => ((s.brightness === null ? majorityOn : s.brightness > t) === s.active ? 1 : 0)));
    if (acc > bestAcc) bestAcc = acc;
  }
  return {
    activity_accuracy: bestAcc,
    generation_mae_mw: mean(samples.map((s) => Math.abs(s.generationMW - genOf(s)))),
    co2_mae_t_per_h: mean(samples.map((s) => Math.abs(s.co2TPerH - genOf(s) * s.fuelEfTPerMWh))),
  };
}

/**
 * The capacity-aware baseline (src/model/capacityBaseline.ts: fuel CF while on × capacity ×
 * the plant's on-share), fitted on `training` — the labels as written, blank cells and all —
 * and scored on every sample; activity is "on" where the plant's on-share is at least one half.
 */
export function capacityAwareScores(samples: readonly ScoredSample[], training: readonly BaselineObservation[], fallbackCo2PerMWh: Readonly<Record<string, number>>): TaskScores {
  const baseline = fitCapacityBaseline(training, fallbackCo2PerMWh);
  const predict = (s: ScoredSample) => predictCapacityBaseline(baseline, { site_id: s.siteId, fuel: s.fuel ?? 'unknown', capacity_mw: s.capacityMW ?? 0 });
  const predictions = samples.map(predict);
  return {
    activity_accuracy: mean(samples.map((s, i) => ((predictions[i]!.p_on >= 0.5) === s.active ? 1 : 0))),
    generation_mae_mw: mean(samples.map((s, i) => Math.abs(s.generationMW - predictions[i]!.generation_mw))),
    co2_mae_t_per_h: mean(samples.map((s, i) => Math.abs(s.co2TPerH - predictions[i]!.co2_t_per_h))),
  };
}
