/**
 * The weighting strategies' names, without loading them: the strategies import tfjs, and
 * `co2sat train --help` and config checks need only the names. index.ts's registry is typed
 * by WeightingName, so a strategy missing from either place fails to compile.
 */
import type { WeightingName } from './types.js';

export const WEIGHTING_NAMES: readonly WeightingName[] = ['equal', 'fixed', 'uncertainty', 'dwa', 'gradnorm'];

export function isWeightingName(v: string): v is WeightingName {
  return (WEIGHTING_NAMES as readonly string[]).includes(v);
}
