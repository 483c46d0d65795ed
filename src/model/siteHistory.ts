/**
 * Temporal context across a plant's overpasses: dispatch is persistent (domain.md: the same
 * state at 90 % of consecutive overpasses, on-spells of ~70 days) and a plant's level is its
 * own, so a clear overpass that shows the plant running says much about the cloudy ones around
 * it. A model that sees one overpass at a time cannot use that; this step can, on the model's
 * own per-overpass estimates, without labels.
 *
 * Model: per plant and task, the capacity factor's departure from the fleet prior (the
 * capacity-aware baseline's fuel-level value) is a Gaussian process over time with covariance
 * k(Δt) = V_site + V_time · exp(−|Δt| / L): a plant-level offset plus a persistent spell.
 * V_site, V_time and L are fitted on the training plants' labels (`fitHistoryKernel`), not
 * chosen. Each overpass's estimate is treated as what the network learnt from that image on
 * top of the fleet prior: its precision beyond the prior's, 1/σ² − 1/V, is the weight of the
 * image's evidence (Bayes' rule divided by the prior it already contains), so an overpass
 * whose estimate is no surer than the prior (a cloudy one) adds nothing and is not counted
 * as a measurement. The posterior mean and variance at every overpass come from all of the
 * plant's evidence, the overpass itself included.
 *
 * Activity is smoothed the same way on the probability scale (Bernoulli variance p(1 − p)),
 * CO₂ follows generation through the overpass's own CO₂/generation ratio, so physics
 * (CO₂ = EF × generation, off ⇒ ~0) holds as it did.
 */
import type { CapacityBaseline } from './capacityBaseline.js';
import type { SamplePrediction } from './predictor.js';

const Z90 = 1.6448536269514722;
const DAY_MS = 86_400_000;

/** Covariance of a plant's departure from the fleet prior, in capacity-factor² (generation) or probability² (activity). */
export interface HistoryKernel {
  site_variance: number;
  time_variance: number;
  correlation_days: number;
}

export interface SiteHistoryModel {
  generation: HistoryKernel;
  activity: HistoryKernel;
  /** Labelled training pairs the kernels were fitted on. */
  pairs: number;
}

/** A labelled training overpass, as the kernel fit sees it. */
export interface HistoryObservation {
  site_id: string;
  time_ms: number;
  fuel: string;
  capacity_mw: number;
  active: boolean | null;
  generation_mw: number | null;
}

/** One overpass to smooth: where and when, and what the network said. */
export interface HistoryInput {
  site_id: string;
  time_ms: number;
  fuel: string;
  capacity_mw: number;
  estimate: SamplePrediction;
}

/** The fleet prior of a plant of `fuel` (the baseline's fuel-level on-share and CF while on): held-out plants have no own history. */
export function fleetPrior(b: CapacityBaseline, fuel: string): { p_on: number; cf: number } {
  const onShare = b.on_share_fuel[fuel] ?? b.pooled.on_share;
  return { p_on: onShare, cf: onShare * (b.cf_on[fuel] ?? b.pooled.cf_on) };
}

/** Correlation lengths tried by the fit (days): from a week to a season. */
const LENGTHS = [2.5, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120];

/**
 * Fits V_site + V_time·exp(−Δt/L) to the empirical covariance of departures from the prior
 * between pairs of the same plant's overpasses (lag 0 = each overpass with itself), by least
 * squares over 5-day lag bins weighted by their pair counts, for each L in a grid; the
 * variances are kept non-negative.
 */
function fitKernel(series: Map<string, { t: number; r: number }[]>): { kernel: HistoryKernel; pairs: number } {
  const binDays = 5;
  const sums = new Map<number, { s: number; n: number }>();
  let pairs = 0;
  for (const list of series.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        const lag = Math.abs(a.t - b.t) / DAY_MS;
        const bin = i === j ? -1 : Math.floor(lag / binDays);
        const e = sums.get(bin) ?? { s: 0, n: 0 };
        e.s += a.r * b.r;
        e.n += 1;
        sums.set(bin, e);
        if (i !== j) pairs++;
      }
    }
  }
  const bins = [...sums].map(([bin, e]) => ({ lag: bin < 0 ? 0 : (bin + 0.5) * binDays, c: e.s / e.n, w: e.n }));
  const v0 = sums.get(-1);
  const total = v0 ? v0.s / v0.n : 0;
  let best: { err: number; kernel: HistoryKernel } = { err: Number.POSITIVE_INFINITY, kernel: { site_variance: 0, time_variance: total, correlation_days: LENGTHS[0]! } };
  for (const L of LENGTHS) {
    // Weighted least squares of c ≈ a + b·e with e = exp(−lag/L), a, b ≥ 0.
    let sw = 0;
    let se = 0;
    let sc = 0;
    let see = 0;
    let sec = 0;
    for (const { lag, c, w } of bins) {
      const e = Math.exp(-lag / L);
      sw += w;
      se += w * e;
      sc += w * c;
      see += w * e * e;
      sec += w * e * c;
    }
    const det = sw * see - se * se;
    let a = det > 0 ? (see * sc - se * sec) / det : 0;
    let b = det > 0 ? (sw * sec - se * sc) / det : total;
    if (a < 0) {
      a = 0;
      b = see > 0 ? Math.max(0, sec / see) : 0;
    }
    if (b < 0) {
      b = 0;
      a = sw > 0 ? Math.max(0, sc / sw) : 0;
    }
    const err = bins.reduce((acc, { lag, c, w }) => acc + w * (c - a - b * Math.exp(-lag / L)) ** 2, 0);
    if (err < best.err) best = { err, kernel: { site_variance: a, time_variance: b, correlation_days: L } };
  }
  return { kernel: best.kernel, pairs };
}

/** Fits both kernels on training overpasses (departures from the baseline's fleet prior). */
export function fitSiteHistory(training: readonly HistoryObservation[], baseline: CapacityBaseline): SiteHistoryModel {
  const gen = new Map<string, { t: number; r: number }[]>();
  const act = new Map<string, { t: number; r: number }[]>();
  const push = (m: Map<string, { t: number; r: number }[]>, site: string, t: number, r: number): void => {
    const list = m.get(site);
    if (list) list.push({ t, r });
    else m.set(site, [{ t, r }]);
  };
  for (const o of training) {
    const prior = fleetPrior(baseline, o.fuel);
    if (o.generation_mw !== null && o.capacity_mw > 0) push(gen, o.site_id, o.time_ms, o.generation_mw / o.capacity_mw - prior.cf);
    const on = o.active ?? (o.generation_mw !== null ? o.generation_mw > 0 : null);
    if (on !== null) push(act, o.site_id, o.time_ms, (on ? 1 : 0) - prior.p_on);
  }
  const g = fitKernel(gen);
  const a = fitKernel(act);
  return { generation: g.kernel, activity: a.kernel, pairs: g.pairs + a.pairs };
}

/** Solves A x = b for a symmetric positive-definite A (Cholesky); A is n×n row-major. */
function solveSpd(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * n + j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * y[k]!;
    y[i] = s / L[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/**
 * Gaussian-process posterior at each of a plant's overpasses from evidence (departure `d`,
 * noise variance `noise`; Infinity = no evidence) at the same overpasses.
 */
function posterior(times: readonly number[], d: readonly number[], noise: readonly number[], k: HistoryKernel): { mean: number[]; variance: number[] } {
  const cov = (a: number, b: number): number => k.site_variance + k.time_variance * Math.exp(-Math.abs(a - b) / DAY_MS / k.correlation_days);
  const prior = k.site_variance + k.time_variance;
  const obs = times.flatMap((_, i) => (Number.isFinite(noise[i]!) ? [i] : []));
  if (obs.length === 0) return { mean: times.map(() => 0), variance: times.map(() => prior) };
  const n = obs.length;
  const K = new Float64Array(n * n);
  obs.forEach((i, r) => obs.forEach((j, c) => (K[r * n + c] = cov(times[i]!, times[j]!) + (r === c ? noise[i]! : 0))));
  const alpha = solveSpd(K, Float64Array.from(obs, (i) => d[i]!), n);
  const mean: number[] = [];
  const variance: number[] = [];
  for (const t of times) {
    const kx = Float64Array.from(obs, (j) => cov(t, times[j]!));
    mean.push(kx.reduce((acc, v, r) => acc + v * alpha[r]!, 0));
    const v = solveSpd(K, kx, n);
    variance.push(Math.max(0, prior - kx.reduce((acc, x, r) => acc + x * v[r]!, 0)));
  }
  return { mean, variance };
}

/**
 * The image's evidence about a departure from the prior, from an estimate that already
 * contains the prior (mean m, variance s²; prior mean 0, variance V): precision 1/s² − 1/V,
 * mean (m/s²)/(1/s² − 1/V). None (Infinity) when the estimate is no surer than the prior.
 */
function evidence(m: number, s2: number, V: number): { d: number; noise: number } {
  const precision = 1 / Math.max(s2, 1e-9) - 1 / V;
  if (!(precision > 1e-9) || !(V > 0)) return { d: 0, noise: Number.POSITIVE_INFINITY };
  return { d: m / Math.max(s2, 1e-9) / precision, noise: 1 / precision };
}

/**
 * Each overpass's estimate combined with the plant's other overpasses (see the module
 * comment), in input order. Overpasses are grouped by `site_id`; a plant seen once keeps
 * what one overpass allows.
 */
export function smoothWithSiteHistory(inputs: readonly HistoryInput[], history: SiteHistoryModel, baseline: CapacityBaseline): SamplePrediction[] {
  const bySite = new Map<string, number[]>();
  inputs.forEach((x, i) => bySite.set(x.site_id, [...(bySite.get(x.site_id) ?? []), i]));
  const out: SamplePrediction[] = inputs.map((x) => x.estimate);
  for (const idx of bySite.values()) {
    const first = inputs[idx[0]!]!;
    const prior = fleetPrior(baseline, first.fuel);
    const times = idx.map((i) => inputs[i]!.time_ms);
    const gk = history.generation;
    const gV = gk.site_variance + gk.time_variance;
    const genEvidence = idx.map((i) => {
      const x = inputs[i]!;
      const cap = x.capacity_mw > 0 ? x.capacity_mw : 1;
      return evidence(x.estimate.generation_mw / cap - prior.cf, (x.estimate.generation_mw_sd / cap) ** 2, gV);
    });
    const ak = history.activity;
    const aV = ak.site_variance + ak.time_variance;
    const actEvidence = idx.map((i) => {
      const p = inputs[i]!.estimate.p_on;
      return evidence(p - prior.p_on, Math.max(p * (1 - p), 1e-4), aV);
    });
    const g = posterior(times, genEvidence.map((e) => e.d), genEvidence.map((e) => e.noise), gk);
    const a = posterior(times, actEvidence.map((e) => e.d), actEvidence.map((e) => e.noise), ak);
    idx.forEach((i, r) => {
      const x = inputs[i]!;
      const cap = x.capacity_mw > 0 ? x.capacity_mw : 1;
      const generation = Math.min(cap, Math.max(0, (prior.cf + g.mean[r]!) * cap));
      const sd = Math.sqrt(g.variance[r]!) * cap;
      const e = x.estimate;
      const perMWh = e.generation_mw > 1 ? e.co2_t_per_h / e.generation_mw : (baseline.co2_per_mwh[x.fuel] ?? baseline.pooled.co2_per_mwh);
      out[i] = {
        p_on: Math.min(1, Math.max(0, prior.p_on + a.mean[r]!)),
        generation_mw: generation,
        generation_mw_sd: sd,
        generation_mw_half90: Z90 * sd,
        co2_t_per_h: generation * perMWh,
        co2_t_per_h_sd: sd * perMWh,
        co2_t_per_h_half90: Z90 * sd * perMWh,
      };
    });
  }
  return out;
}
