/**
 * Train/validation/test splits by site (default) or by time, never by patch: a plant seen
 * in training must not appear in the test set, or the scores measure memorised plants.
 * Seeded, and saved with the model so `evaluate --split test` reuses the held-out sites.
 */
import { createRng, shuffled } from './rng.js';
import type { Sample } from './dataset.js';

export type SplitBy = 'site' | 'time';
export interface SplitOptions {
  by: SplitBy;
  seed: number;
  /** Fractions of sites (or of the time-ordered overpasses) for validation and test. */
  valFraction: number;
  testFraction: number;
  /**
   * Grouped k-fold over plants (by site only): the plants are shuffled once, independently of
   * `seed`, and fold `index` of `k` holds out every k-th of them as the test part, so the k
   * folds score every plant exactly once; validation plants are then drawn with `seed` from
   * the rest (testFraction is ignored).
   */
  fold?: { k: number; index: number };
  /**
   * Train on at most this many of the training plants (by site only), drawn in the split's
   * seeded order; validation and test plants are unchanged, so runs with different limits are
   * scored on the same held-out plants (learning curves: error against training plants).
   */
  maxTrainSites?: number;
}
export interface SplitAssignment {
  by: SplitBy;
  seed: number;
  train_sites: string[];
  val_sites: string[];
  test_sites: string[];
  /** Set when the split is fold `index` of a grouped k-fold over plants. */
  fold?: { k: number; index: number };
  /** Time split: samples at or after these instants are val / test (ISO). */
  val_from?: string;
  test_from?: string;
}

/** The one plant order all folds of a k-fold cross-validation cut (a constant: folds must agree). */
const FOLD_SHUFFLE_SEED = 104_729;

export const DEFAULT_SPLIT: SplitOptions = { by: 'site', seed: 0, valFraction: 0.15, testFraction: 0.2 };

function counts(n: number, valF: number, testF: number): [number, number] {
  let nTest = Math.round(n * testF);
  let nVal = Math.round(n * valF);
  if (n >= 3) {
    nTest = Math.max(1, nTest);
    nVal = Math.max(1, nVal);
  }
  while (n - nTest - nVal < 1 && (nTest > 0 || nVal > 0)) {
    if (nVal >= nTest && nVal > 0) nVal--;
    else nTest--;
  }
  return [nVal, nTest];
}

/** The first `max` plants of a seeded order (all when max is absent), sorted for the record. */
function limited(order: readonly string[], max: number | undefined): string[] {
  if (max !== undefined && !(Number.isInteger(max) && max >= 1)) throw new Error(`the training-plant limit must be an integer ≥ 1, got ${max}`);
  return order.slice(0, max ?? order.length).sort();
}

export function makeSplit(samples: readonly Sample[], o: SplitOptions): SplitAssignment {
  const siteIds = [...new Set(samples.map((s) => s.site.site_id))].sort();
  if (o.by === 'site' && o.fold) {
    const { k, index } = o.fold;
    if (!(Number.isInteger(k) && k >= 2 && Number.isInteger(index) && index >= 0 && index < k)) throw new Error(`fold ${index} of ${k}: need k ≥ 2 and 0 ≤ index < k`);
    if (siteIds.length < k) throw new Error(`${k}-fold cross-validation needs at least ${k} sites, got ${siteIds.length}`);
    const order = shuffled(siteIds, createRng(FOLD_SHUFFLE_SEED));
    const test = order.filter((_, i) => i % k === index);
    const rest = shuffled(order.filter((_, i) => i % k !== index), createRng(o.seed + 7919));
    const nVal = Math.min(rest.length - 1, Math.max(1, Math.round(siteIds.length * o.valFraction)));
    return { by: 'site', seed: o.seed, fold: { k, index }, test_sites: test.sort(), val_sites: rest.slice(0, nVal).sort(), train_sites: limited(rest.slice(nVal), o.maxTrainSites) };
  }
  if (o.by === 'site') {
    const order = shuffled(siteIds, createRng(o.seed + 7919));
    const [nVal, nTest] = counts(order.length, o.valFraction, o.testFraction);
    return {
      by: 'site',
      seed: o.seed,
      test_sites: order.slice(0, nTest).sort(),
      val_sites: order.slice(nTest, nTest + nVal).sort(),
      train_sites: limited(order.slice(nTest + nVal), o.maxTrainSites),
    };
  }
  const times = [...new Set(samples.map((s) => s.time_ms))].sort((a, b) => a - b);
  const [nVal, nTest] = counts(times.length, o.valFraction, o.testFraction);
  const testFrom = times[times.length - nTest] ?? Number.POSITIVE_INFINITY;
  const valFrom = times[times.length - nTest - nVal] ?? testFrom;
  const iso = (t: number): string | undefined => (Number.isFinite(t) ? new Date(t).toISOString() : undefined);
  const out: SplitAssignment = { by: 'time', seed: o.seed, train_sites: siteIds, val_sites: siteIds, test_sites: siteIds };
  const v = iso(valFrom);
  const t = iso(testFrom);
  if (v) out.val_from = v;
  if (t) out.test_from = t;
  return out;
}

export type Part = 'train' | 'val' | 'test';

/**
 * Which part a sample belongs to under a split; null for a plant in none of them (left out
 * by a training-plant limit, or not in the data the split was made from).
 */
export function partOf(s: Sample, a: SplitAssignment): Part | null {
  if (a.by === 'site') {
    const id = s.site.site_id;
    if (a.test_sites.includes(id)) return 'test';
    if (a.val_sites.includes(id)) return 'val';
    return a.train_sites.includes(id) ? 'train' : null;
  }
  if (a.test_from && s.time_ms >= Date.parse(a.test_from)) return 'test';
  if (a.val_from && s.time_ms >= Date.parse(a.val_from)) return 'val';
  return 'train';
}

export function applySplit(samples: readonly Sample[], a: SplitAssignment): Record<Part, Sample[]> {
  const out: Record<Part, Sample[]> = { train: [], val: [], test: [] };
  for (const s of samples) {
    const part = partOf(s, a);
    if (part !== null) out[part].push(s);
  }
  return out;
}
