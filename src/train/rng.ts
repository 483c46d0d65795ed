/** Training's seeded randomness (splits, shuffles, augmentation): co2sat's one generator. */
import { mulberry32, shuffledWith } from '../random.js';

export type Rng = () => number;

/** The generator for a training seed (the same sequence synth's Rng gives for that seed). */
export function createRng(seed: number): Rng {
  return mulberry32(seed);
}

/** Fisher–Yates shuffle into a new array. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  return shuffledWith(items, rng);
}
