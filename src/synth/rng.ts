/**
 * Seeded randomness for the synthetic world. Every random draw comes from a stream keyed by
 * the world seed and the names of what it decides (`stream(seed, 'weather', siteIndex)`),
 * never from one shared sequence, so the order in which bands, scenes or pixels are
 * generated cannot change a single value: a band rendered alone at 10980² equals the same
 * band of a full run, and adding a date does not reshuffle the plants.
 */
import { mulberry32, shuffledWith } from '../random.js';

/** 32-bit integer hash (lowbias32, Wellons' hash-prospector): good avalanche, two multiplies. */
export function hash32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a list of integers into one 32-bit key (order matters). */
export function hashInts(...values: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) h = hash32((h ^ hash32(v | 0)) + 0x9e3779b9);
  return h;
}

/** FNV-1a of a string, so streams can be named by words rather than magic numbers. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A uniform number in [0, 1) from a 32-bit hash. */
export function unitFromHash(h: number): number {
  return (h >>> 0) / 4294967296;
}

/**
 * A small seeded generator (mulberry32). Cheap to create, so code makes one per decision
 * group instead of threading a single generator through the program.
 */
export class Rng {
  /** co2sat's one generator (src/random.ts), seeded with this stream's key. */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Standard normal (Box–Muller; one of the pair is discarded to keep the stream simple). */
  normal(mean = 0, sd = 1): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One item chosen by weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    return shuffledWith(items, this.next);
  }
}

/** The generator for one named decision: `stream(seed, 'plants', 3)`. */
export function stream(seed: number, name: string, ...ids: readonly number[]): Rng {
  return new Rng(hashInts(seed, hashString(name), ...ids));
}
