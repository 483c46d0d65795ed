/**
 * The one seeded generator of co2sat (mulberry32): synth's named streams (src/synth/rng.ts)
 * and training's splits, shuffles and augmentation (src/train/rng.ts) both draw from it, so a
 * seed means the same sequence everywhere, seed 0 included.
 */

/** A uniform generator in [0, 1) from a 32-bit seed; each call advances its own state. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of a copy, drawing from `next`. */
export function shuffledWith<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
