/** Weighting strategies by name, as LibMTL's registry but with an error that lists valid names. */
import type { Task } from '../../model/spec.js';
import { dwaWeighting } from './dwa.js';
import { equalWeighting } from './equal.js';
import { fixedWeighting } from './fixed.js';
import { gradNormWeighting } from './gradnorm.js';
import { isWeightingName, WEIGHTING_NAMES } from './names.js';
import type { WeightingName, WeightingOptions, WeightingStrategy } from './types.js';
import { uncertaintyWeighting } from './uncertainty.js';

const FACTORIES: Record<WeightingName, (tasks: readonly Task[], o: WeightingOptions) => WeightingStrategy> = {
  equal: (t) => equalWeighting(t),
  fixed: (t, o) => fixedWeighting(t, o),
  uncertainty: (t) => uncertaintyWeighting(t),
  dwa: (t, o) => dwaWeighting(t, o),
  gradnorm: (t, o) => gradNormWeighting(t, o),
};
export { WEIGHTING_NAMES, isWeightingName };

export function createWeighting(name: string, tasks: readonly Task[], options: WeightingOptions = {}): WeightingStrategy {
  if (!isWeightingName(name)) throw new Error(`unknown weighting '${name}' (valid: ${WEIGHTING_NAMES.join(', ')})`);
  return FACTORIES[name](tasks, options);
}
export type { WeightingStrategy, WeightingName, WeightingOptions, StepContext, Combined, TaskNumbers } from './types.js';
