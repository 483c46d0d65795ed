/**
 * The input-step registry (one module per step, as LibMTL registers its weightings) and the
 * one function that runs a model's steps, used by training, evaluation and inference alike.
 *
 * Steps run in a fixed canonical order whatever order a config lists them in: indices are
 * computed on the raw bands, the background difference then covers the indices too, and the
 * wind alignment turns every channel last (the background is aligned with its overpass's own
 * wind inside the difference step's input, not separately).
 */
import { UsageError } from '../../errors.js';
import type { PatchPixels } from '../patchInput.js';
import { backgroundDifference } from './backgroundDifference.js';
import { spectralIndices } from './spectralIndices.js';
import type { AugmentationFreedom, InputStep, StepSample, StepWind } from './types.js';
import { windAligned } from './windAligned.js';
import { nearStackChange } from './nearStackChange.js';
import { INPUT_STEP_NAMES } from './names.js';

export type { AugmentationFreedom, InputStep, StepSample, StepWind } from './types.js';
export { BACKGROUND_QUANTILE, LEGACY_BACKGROUND_QUANTILE, backgroundMembers, quantilePixels, siteBackgrounds, type BackgroundCandidate, type BackgroundChoice } from './siteBackground.js';

/** Every step, in the order they run (the order of names.ts, which a test checks). */
export const INPUT_STEPS: readonly InputStep[] = [spectralIndices, backgroundDifference, windAligned, nearStackChange];
export { INPUT_STEP_NAMES, type InputStepName } from './names.js';

/** The steps named, in canonical order; UsageError for an unknown or repeated name. */
export function resolveInputSteps(names: readonly string[]): InputStep[] {
  const seen = new Set<string>();
  for (const n of names) {
    if (!(INPUT_STEP_NAMES as readonly string[]).includes(n)) throw new UsageError(`unknown input step '${n}' (valid: ${INPUT_STEP_NAMES.join(', ')})`);
    if (seen.has(n)) throw new UsageError(`input step '${n}' is listed twice`);
    seen.add(n);
  }
  return INPUT_STEPS.filter((s) => seen.has(s.name));
}

/** The channels the network sees after `steps`, from the patches' bands. */
export function channelsAfter(steps: readonly InputStep[], bands: readonly string[]): string[] {
  return steps.reduce<string[]>((channels, step) => step.outputChannels(channels), [...bands]);
}

/** The augmentation every step allows (the most restrictive). */
export function augmentationFreedom(steps: readonly InputStep[]): AugmentationFreedom {
  return steps.some((s) => s.augmentation === 'row-flip') ? 'row-flip' : 'all';
}

export const needsBackground = (steps: readonly InputStep[]): boolean => steps.some((s) => s.needsBackground);

/**
 * Runs `steps` on one overpass. `background` is its site background on the raw bands
 * (siteBackground.ts), or null; it is taken through the steps before each step that reads
 * it, so a difference compares like with like (indices with indices); steps after the last
 * reader never touch it.
 */
export function applyInputSteps(steps: readonly InputStep[], pixels: PatchPixels, bands: readonly string[], wind: StepWind, background: PatchPixels | null): StepSample {
  const lastReader = steps.reduce((last, step, i) => (step.needsBackground ? i : last), -1);
  let sample: StepSample = { pixels, channels: [...bands], wind };
  let bg: StepSample | null = background && lastReader >= 0 ? { pixels: background, channels: [...bands], wind } : null;
  steps.forEach((step, i) => {
    const next = step.apply(sample, { background: bg });
    bg = bg && i < lastReader ? step.apply(bg, { background: null }) : null;
    sample = next;
  });
  return sample;
}
