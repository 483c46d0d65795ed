/**
 * Temporal context across a plant's overpasses: dispatch is persistent (domain.md: the same
 * state at 90 % of consecutive overpasses, on-spells of ~70 days) and a plant's level is its
 * own, so a clear overpass that shows the plant running says much about the cloudy ones around
 * it. A model that sees one overpass at a time cannot use that; this step can, on the model's
 * own per-overpass estimates, without labels.
 *
 * What counts as evidence, and only once: the network's estimate at an overpass mixes what it
 * knows of the plant without the image (fuel, capacity, weather: the same at every overpass
 * of the plant, so it must not be counted sixty times) with what the image adds. So each
 * overpass is scored twice, with its image and with a blank one (every pixel at the band's
 * training mean): the blank-image estimate N(p, q²) is that overpass's prior, and the image's
 * evidence is the quotient of the two Gaussians, precision 1/s² − 1/q² and mean
 * (m/s² − p/q²)/(1/s² − 1/q²) (Bayes' rule divided by the prior the estimate already holds).
 * An image that tells the network nothing (cloud, a plant without a visible plume, a blind
 * model) adds no evidence, and the output stays the network's own estimate.
 *
 * The priors of a plant's overpasses are correlated as a plant-level offset plus a persistent
 * spell: corr(Δt) = (V_site + V_time·exp(−|Δt|/L)) / (V_site + V_time), with V_site, V_time and
 * L fitted on the training plants' labels (`fitSiteHistory`: departures of their capacity
 * factor, and of their on/off state, from the fleet prior), not chosen. The posterior at each
 * overpass is the Gaussian-process regression of all the plant's evidence on those priors,
 * the overpass's own included; a plant seen once gets back its own estimate.
 *
 * Activity is treated the same way on the probability scale (Bernoulli variances p(1 − p));
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

/** One overpass to smooth: where and when, and what the network said with its image and with a blank one. */
export interface HistoryInput {
  site_id: string;
  time_ms: number;
  fuel: string;
  capacity_mw: number;
  estimate: SamplePrediction;
  /** The network's estimate for the same overpass with every pixel at its training mean. */
  imageFree: SamplePrediction;
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

/** Correlation of two overpasses' departures Δt apart under kernel k. */
function correlation(k: HistoryKernel, dtMs: number): number {
  const total = k.site_variance + k.time_variance;
  return total > 0 ? (k.site_variance + k.time_variance * Math.exp(-Math.abs(dtMs) / DAY_MS / k.correlation_days)) / total : 0;
}

/**
 * Gaussian-process posterior at each of a plant's overpasses: priors N(prior_i, sd_i²)
 * correlated by `k`, evidence y_i with noise variance noise_i (Infinity = none).
 */
function posterior(times: readonly number[], prior: readonly number[], sd: readonly number[], y: readonly number[], noise: readonly number[], k: HistoryKernel): { mean: number[]; variance: number[] } {
  const cov = (i: number, j: number): number => sd[i]! * sd[j]! * correlation(k, times[i]! - times[j]!);
  const obs = times.flatMap((_, i) => (Number.isFinite(noise[i]!) ? [i] : []));
  if (obs.length === 0) return { mean: [...prior], variance: sd.map((v) => v * v) };
  const n = obs.length;
  const K = new Float64Array(n * n);
  obs.forEach((i, r) => obs.forEach((j, c) => (K[r * n + c] = cov(i, j) + (r === c ? noise[i]! : 0))));
  const alpha = solveSpd(K, Float64Array.from(obs, (i) => y[i]! - prior[i]!), n);
  const mean: number[] = [];
  const variance: number[] = [];
  times.forEach((_, i) => {
    const kx = Float64Array.from(obs, (j) => cov(i, j));
    mean.push(prior[i]! + kx.reduce((acc, v, r) => acc + v * alpha[r]!, 0));
    const v = solveSpd(K, kx, n);
    variance.push(Math.max(0, sd[i]! * sd[i]! - kx.reduce((acc, x, r) => acc + x * v[r]!, 0)));
  });
  return { mean, variance };
}

/**
 * The image's evidence: the estimate with the image, N(m, s²), divided by the one without,
 * N(p, q²) — precision 1/s² − 1/q², mean (m/s² − p/q²)/(1/s² − 1/q²). None (noise Infinity)
 * when the image made the estimate no surer.
 */
function evidence(m: number, s2: number, p: number, q2: number): { y: number; noise: number } {
  const a = 1 / Math.max(s2, 1e-12);
  const b = 1 / Math.max(q2, 1e-12);
  const precision = a - b;
  // Less than 1 % more precise than the prior: nothing the image said.
  if (!(precision > 0.01 * b)) return { y: p, noise: Number.POSITIVE_INFINITY };
  return { y: (m * a - p * b) / precision, noise: 1 / precision };
}

/** Bernoulli variance, kept away from 0 so a confident estimate is finite evidence. */
const bernoulli = (p: number): number => Math.max(p * (1 - p), 1e-4);

/**
 * Each overpass's estimate combined with the plant's other overpasses (see the module
 * comment), in input order. Overpasses are grouped by `site_id`; a plant seen once keeps
 * its own estimate.
 */
export function smoothWithSiteHistory(inputs: readonly HistoryInput[], history: SiteHistoryModel): SamplePrediction[] {
  const bySite = new Map<string, number[]>();
  inputs.forEach((x, i) => bySite.set(x.site_id, [...(bySite.get(x.site_id) ?? []), i]));
  const out: SamplePrediction[] = inputs.map((x) => x.estimate);
  for (const idx of bySite.values()) {
    const xs = idx.map((i) => inputs[i]!);
    const times = xs.map((x) => x.time_ms);
    const cap = (x: HistoryInput): number => (x.capacity_mw > 0 ? x.capacity_mw : 1);
    const genEvidence = xs.map((x) => evidence(x.estimate.generation_mw, x.estimate.generation_mw_sd ** 2, x.imageFree.generation_mw, x.imageFree.generation_mw_sd ** 2));
    const g = posterior(
      times,
      xs.map((x) => x.imageFree.generation_mw),
      xs.map((x) => x.imageFree.generation_mw_sd),
      genEvidence.map((e) => e.y),
      genEvidence.map((e) => e.noise),
      history.generation,
    );
    const actEvidence = xs.map((x) => evidence(x.estimate.p_on, bernoulli(x.estimate.p_on), x.imageFree.p_on, bernoulli(x.imageFree.p_on)));
    const a = posterior(
      times,
      xs.map((x) => x.imageFree.p_on),
      xs.map((x) => Math.sqrt(bernoulli(x.imageFree.p_on))),
      actEvidence.map((e) => e.y),
      actEvidence.map((e) => e.noise),
      history.activity,
    );
    xs.forEach((x, r) => {
      const i = idx[r]!;
      const generation = Math.min(cap(x), Math.max(0, g.mean[r]!));
      const sd = Math.sqrt(g.variance[r]!);
      const e = x.estimate;
      const perMWh = e.generation_mw > 1 ? e.co2_t_per_h / e.generation_mw : e.generation_mw_sd > 0 ? e.co2_t_per_h_sd / e.generation_mw_sd : 0;
      out[i] = {
        p_on: Math.min(1, Math.max(0, a.mean[r]!)),
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
