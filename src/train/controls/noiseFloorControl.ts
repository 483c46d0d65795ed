/**
 * The world's noise floor as per-sample predictions, so it is scored with the model's own
 * metrics on exactly the samples the model is scored on. The oracle is synth/scores.ts's
 * `noiseFloor`: an observable sample (truth.json's `observable`) is read exactly — its state
 * and generation, CO₂ as generation × the fuel's median emission factor, since a plant's own
 * efficiency is invisible — and every other sample gets its plant's prior (majority state,
 * median generation, over all of the plant's samples in truth.json).
 * The oracle has no interval: its coverage90 is NaN (null in JSON).
 */
import type { EmissionFactors } from '../../model/physics.js';
import type { SamplePrediction } from '../../model/predictor.js';
import type { TruthDocument } from '../../records/truth.js';
import { isFuel } from '../../records/sites.js';
import type { EvaluationMetrics, RegressionMetrics } from '../metrics.js';
import { median as medianOf } from '../../statistics.js';

const median = (values: readonly number[]): number => medianOf(values, 0);

export interface OracleResult {
  /** One per input sample; null where truth.json has no record of the overpass. */
  predictions: (SamplePrediction | null)[];
  unmatched: number;
}

const key = (site: string, t: number): string => `${site}|${t}`;

/** An oracle states no interval: a fallback's sds and half-widths are dropped with it. */
const withoutInterval = (p: SamplePrediction): SamplePrediction => ({ ...p, generation_mw_sd: 0, generation_mw_half90: 0, co2_t_per_h_sd: 0, co2_t_per_h_half90: 0 });

/** A site's CO₂ per MWh as the oracles read it: its fuel's median (a plant's own efficiency is invisible); 1 for an unknown fuel. */
function fuelEmissionFactors(truth: Pick<TruthDocument, 'sites'>, efs: EmissionFactors): (site: string) => number {
  const fuel = new Map(truth.sites.map((s) => [s.site_id, s.fuel]));
  return (site) => {
    const f = fuel.get(site);
    return isFuel(f) ? efs[f].median : 1;
  };
}

export function noiseFloorPredictions(truth: Pick<TruthDocument, 'sites' | 'samples'>, samples: readonly { site_id: string; time_ms: number }[], efs: EmissionFactors): OracleResult {
  const efOf = fuelEmissionFactors(truth, efs);
  const wanted = new Set(samples.map((s) => s.site_id));
  const bySite = new Map<string, TruthDocument['samples']>();
  const byKey = new Map<string, TruthDocument['samples'][number]>();
  for (const t of truth.samples) {
    if (!wanted.has(t.site_id)) continue;
    bySite.set(t.site_id, [...(bySite.get(t.site_id) ?? []), t]);
    byKey.set(key(t.site_id, Date.parse(t.datetime)), t);
  }
  const prior = new Map<string, { active: boolean; gen: number }>();
  for (const [site, list] of bySite) prior.set(site, { active: list.filter((s) => s.active).length / list.length >= 0.5, gen: median(list.map((s) => s.generation_mw)) });
  let unmatched = 0;
  const predictions = samples.map((s): SamplePrediction | null => {
    const t = byKey.get(key(s.site_id, s.time_ms));
    if (!t) {
      unmatched++;
      return null;
    }
    const p = prior.get(s.site_id)!;
    const active = t.observable ? t.active : p.active;
    const gen = t.observable ? t.generation_mw : p.gen;
    return { p_on: active ? 1 : 0, generation_mw: gen, generation_mw_sd: 0, generation_mw_half90: 0, co2_t_per_h: gen * efOf(s.site_id), co2_t_per_h_sd: 0, co2_t_per_h_half90: 0 };
  });
  return { predictions, unmatched };
}

/**
 * The best a model that sees ONE overpass at a time can do on plants it never trained on:
 * an observable overpass (truth.json) is read exactly, as by the noise floor; every other gets
 * the capacity-aware baseline's prediction (fuel and capacity, learnt on the training
 * plants), because without the plant's other overpasses nothing else is known about it. The
 * noise floor's fallback, the plant's own majority state and median generation, is knowable
 * only from the plant's history: the gap between this row and the noise floor is what
 * temporal context (persistence) could add, and a per-overpass model cannot.
 */
export function imageCeilingPredictions(
  truth: Pick<TruthDocument, 'sites' | 'samples'>,
  samples: readonly { site_id: string; time_ms: number }[],
  fallback: readonly SamplePrediction[],
  efs: EmissionFactors,
): OracleResult {
  const oracle = noiseFloorPredictions(truth, samples, efs);
  const observable = new Set(truth.samples.filter((t) => t.observable).map((t) => key(t.site_id, Date.parse(t.datetime))));
  const predictions = oracle.predictions.map((p, i) => {
    const s = samples[i]!;
    if (p === null) return null;
    return observable.has(key(s.site_id, s.time_ms)) ? p : withoutInterval(fallback[i]!);
  });
  return { predictions, unmatched: oracle.unmatched };
}

/**
 * The best a model that reads a plant's images *and* its history of them can do on a plant it
 * never trained on: an observable overpass (truth.json) is read exactly, as by the noise floor;
 * every other overpass of a plant that has observable ones gets the nearest of them in time
 * (persistence: on/off spells and load last for days; a tie goes to the earlier); a plant with
 * no observable overpass at all — a once-through or air-cooled plant shows no plume — gets the
 * fallback (the capacity-aware baseline), since then nothing in its images tells its state.
 * The noise floor's fallback, the plant's own majority state and median over *all* its
 * overpasses, needs its labels; this row needs only its pictures, so the gap between the two is
 * what no image model can close on unseen plants.
 */
export function historyCeilingPredictions(
  truth: Pick<TruthDocument, 'sites' | 'samples'>,
  samples: readonly { site_id: string; time_ms: number }[],
  fallback: readonly SamplePrediction[],
  efs: EmissionFactors,
): OracleResult {
  const oracle = noiseFloorPredictions(truth, samples, efs);
  const wanted = new Set(samples.map((s) => s.site_id));
  const observedBySite = new Map<string, { time_ms: number; active: boolean; generation_mw: number }[]>();
  for (const t of truth.samples) {
    if (!t.observable || !wanted.has(t.site_id)) continue;
    const list = observedBySite.get(t.site_id) ?? [];
    list.push({ time_ms: Date.parse(t.datetime), active: t.active, generation_mw: t.generation_mw });
    observedBySite.set(t.site_id, list);
  }
  for (const list of observedBySite.values()) list.sort((a, b) => a.time_ms - b.time_ms);
  const efOf = fuelEmissionFactors(truth, efs);
  const predictions = oracle.predictions.map((p, i): SamplePrediction | null => {
    const s = samples[i]!;
    if (p === null) return null;
    const observed = observedBySite.get(s.site_id);
    if (!observed) return withoutInterval(fallback[i]!);
    let nearest = observed[0]!;
    for (const o of observed) if (Math.abs(o.time_ms - s.time_ms) < Math.abs(nearest.time_ms - s.time_ms)) nearest = o;
    if (nearest.time_ms === s.time_ms) return p;
    return { ...p, p_on: nearest.active ? 1 : 0, generation_mw: nearest.generation_mw, co2_t_per_h: nearest.generation_mw * efOf(s.site_id) };
  });
  return { predictions, unmatched: oracle.unmatched };
}

/** The oracle's metrics with coverage90 set to NaN (it has no interval). */
export function withoutCoverage(m: EvaluationMetrics): EvaluationMetrics {
  const reg = (r: RegressionMetrics | null): RegressionMetrics | null => (r ? { ...r, coverage90: Number.NaN } : null);
  const strip = <T extends { generation: RegressionMetrics | null; co2: RegressionMetrics | null }>(t: T): T => ({ ...t, generation: reg(t.generation), co2: reg(t.co2) });
  const stripAll = <R extends Record<string, { generation: RegressionMetrics | null; co2: RegressionMetrics | null }>>(r: R): R => Object.fromEntries(Object.entries(r).map(([k, t]) => [k, strip(t)])) as R;
  return { ...strip(m), per_fuel: stripAll(m.per_fuel), per_cooling_class: stripAll(m.per_cooling_class) };
}
