/**
 * How far estimates are from a synthetic world's truth, per patch and per site-window, so
 * the gain from aggregation can be measured (Climate TRACE aggregates to 30-day windows
 * because per-image errors partly average out).
 *
 * - Per patch: |estimate − truth| at the plant and overpass, over patches that aggregation
 *   would use (valid_fraction ≥ minValidFraction, not fully cloudy, estimate present).
 * - Per window: |window estimate − mean of the true values at all of the window's
 *   overpasses| (observed or not: the window's mean is what the GeoJSON claims to give).
 */
import type { SiteWindowAggregate } from './aggregateSite.js';
import type { PredictionRecord } from '../records/predictions.js';
import type { TruthSampleRecord } from '../records/truth.js';

/** What the comparison needs of a truth.json sample (records/truth.ts). */
export type TruthSample = Pick<TruthSampleRecord, 'site_id' | 'datetime' | 'generation_mw' | 'co2_t_per_h'>;

export interface ErrorSummary {
  /** Items with a generation estimate and truth. */
  n: number;
  generation_mae_mw: number | null;
  co2_mae_t_per_h: number | null;
  /** Share of items whose truth lies in the 90% interval (p05–p95); ~0.9 when calibrated. */
  generation_coverage90: number | null;
  co2_coverage90: number | null;
}

function mae(pairs: readonly [number, number][]): number | null {
  return pairs.length === 0 ? null : pairs.reduce((a, [x, y]) => a + Math.abs(x - y), 0) / pairs.length;
}

function coverage(hits: readonly boolean[]): number | null {
  return hits.length === 0 ? null : hits.filter(Boolean).length / hits.length;
}

const inside = (truth: number, lo: number | null, hi: number | null): boolean => lo !== null && hi !== null && truth >= lo && truth <= hi;

const key = (site: string, ms: number) => `${site}\u0000${ms}`;

/**
 * @param sites restrict to these sites (e.g. the model's held-out test sites); all when omitted
 */
export function patchErrors(
  predictions: readonly PredictionRecord[],
  truth: readonly TruthSample[],
  options: { sites?: ReadonlySet<string>; minValidFraction?: number } = {},
): ErrorSummary {
  const byKey = new Map(truth.map((t) => [key(t.site_id, Date.parse(t.datetime)), t]));
  const gen: [number, number][] = [];
  const co2: [number, number][] = [];
  const genHit: boolean[] = [];
  const co2Hit: boolean[] = [];
  for (const p of predictions) {
    if (options.sites && !options.sites.has(p.site_id)) continue;
    if (p.valid_fraction < (options.minValidFraction ?? 0.5) || (p.cloud_fraction ?? 0) >= 1) continue;
    const t = byKey.get(key(p.site_id, Date.parse(p.datetime)));
    if (!t) continue;
    if (p.generation_mw !== null) {
      gen.push([p.generation_mw, t.generation_mw]);
      genHit.push(inside(t.generation_mw, p.generation_mw_p05, p.generation_mw_p95));
    }
    if (p.co2_t_per_h !== null) {
      co2.push([p.co2_t_per_h, t.co2_t_per_h]);
      co2Hit.push(inside(t.co2_t_per_h, p.co2_t_per_h_p05, p.co2_t_per_h_p95));
    }
  }
  return { n: gen.length, generation_mae_mw: mae(gen), co2_mae_t_per_h: mae(co2), generation_coverage90: coverage(genHit), co2_coverage90: coverage(co2Hit) };
}

/** Errors of site-window aggregates against the mean truth of each window's overpasses. */
export function windowErrors(
  aggregates: readonly SiteWindowAggregate[],
  truth: readonly TruthSample[],
  options: { sites?: ReadonlySet<string> } = {},
): ErrorSummary {
  const gen: [number, number][] = [];
  const co2: [number, number][] = [];
  const genHit: boolean[] = [];
  const co2Hit: boolean[] = [];
  for (const a of aggregates) {
    if (options.sites && !options.sites.has(a.site_id)) continue;
    const start = Date.parse(a.window_start);
    const end = Date.parse(a.window_end);
    const inWindow = truth.filter((t) => t.site_id === a.site_id && Date.parse(t.datetime) >= start && Date.parse(t.datetime) < end);
    if (inWindow.length === 0) continue;
    const meanGen = inWindow.reduce((s, t) => s + t.generation_mw, 0) / inWindow.length;
    const meanCo2 = inWindow.reduce((s, t) => s + t.co2_t_per_h, 0) / inWindow.length;
    if (a.generation_mw !== null) {
      gen.push([a.generation_mw, meanGen]);
      genHit.push(inside(meanGen, a.generation_mw_p05, a.generation_mw_p95));
    }
    if (a.co2_t_per_h !== null) {
      co2.push([a.co2_t_per_h, meanCo2]);
      co2Hit.push(inside(meanCo2, a.co2_t_per_h_p05, a.co2_t_per_h_p95));
    }
  }
  return { n: gen.length, generation_mae_mw: mae(gen), co2_mae_t_per_h: mae(co2), generation_coverage90: coverage(genHit), co2_coverage90: coverage(co2Hit) };
}
