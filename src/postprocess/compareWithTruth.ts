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

/** The fields both a patch prediction and a site-window aggregate carry. */
type Estimate = Pick<PredictionRecord, 'generation_mw' | 'generation_mw_p05' | 'generation_mw_p95' | 'co2_t_per_h' | 'co2_t_per_h_p05' | 'co2_t_per_h_p95'>;

/** Absolute errors and interval hits of estimates against their truth, per task. */
class ErrorTally {
  private readonly gen: { err: number; hit: boolean }[] = [];
  private readonly co2: { err: number; hit: boolean }[] = [];

  add(e: Estimate, truthGen: number, truthCo2: number): void {
    if (e.generation_mw !== null) this.gen.push({ err: Math.abs(e.generation_mw - truthGen), hit: inside(truthGen, e.generation_mw_p05, e.generation_mw_p95) });
    if (e.co2_t_per_h !== null) this.co2.push({ err: Math.abs(e.co2_t_per_h - truthCo2), hit: inside(truthCo2, e.co2_t_per_h_p05, e.co2_t_per_h_p95) });
  }

  summary(): ErrorSummary {
    const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
    return {
      n: this.gen.length,
      generation_mae_mw: mean(this.gen.map((g) => g.err)),
      co2_mae_t_per_h: mean(this.co2.map((c) => c.err)),
      generation_coverage90: mean(this.gen.map((g) => (g.hit ? 1 : 0))),
      co2_coverage90: mean(this.co2.map((c) => (c.hit ? 1 : 0))),
    };
  }
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
  const tally = new ErrorTally();
  for (const p of predictions) {
    if (options.sites && !options.sites.has(p.site_id)) continue;
    if (p.valid_fraction < (options.minValidFraction ?? 0.5) || (p.cloud_fraction ?? 0) >= 1) continue;
    const t = byKey.get(key(p.site_id, Date.parse(p.datetime)));
    if (t) tally.add(p, t.generation_mw, t.co2_t_per_h);
  }
  return tally.summary();
}

/** Errors of site-window aggregates against the mean truth of each window's overpasses. */
export function windowErrors(
  aggregates: readonly SiteWindowAggregate[],
  truth: readonly TruthSample[],
  options: { sites?: ReadonlySet<string> } = {},
): ErrorSummary {
  const tally = new ErrorTally();
  for (const a of aggregates) {
    if (options.sites && !options.sites.has(a.site_id)) continue;
    const start = Date.parse(a.window_start);
    const end = Date.parse(a.window_end);
    const inWindow = truth.filter((t) => t.site_id === a.site_id && Date.parse(t.datetime) >= start && Date.parse(t.datetime) < end);
    if (inWindow.length === 0) continue;
    const meanGen = inWindow.reduce((s, t) => s + t.generation_mw, 0) / inWindow.length;
    const meanCo2 = inWindow.reduce((s, t) => s + t.co2_t_per_h, 0) / inWindow.length;
    tally.add(a, meanGen, meanCo2);
  }
  return tally.summary();
}
