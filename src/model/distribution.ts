/**
 * From a predicted log-variance to a standard deviation and a 90 % interval, for the two
 * likelihoods. Gaussian: s = log σ², half-width 1.645·σ. Laplace: s = log b, sd = √2·b,
 * half-width b·ln 10 (P(|x| > t) = exp(−t/b) = 0.1).
 */
import type { Likelihood } from './spec.js';

export const Z90 = 1.6448536269514722;

/** Standard deviation in target units for a log-variance in target-scale units. */
export function sdFromLogVar(logVar: number, scale: number, likelihood: Likelihood): number {
  return likelihood === 'gaussian' ? Math.exp(logVar / 2) * scale : Math.SQRT2 * Math.exp(logVar) * scale;
}

/** Half-width of the central 90 % interval. */
export function halfWidth90(logVar: number, scale: number, likelihood: Likelihood): number {
  return likelihood === 'gaussian' ? Z90 * Math.exp(logVar / 2) * scale : Math.LN10 * Math.exp(logVar) * scale;
}
