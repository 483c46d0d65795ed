/**
 * Input steps: pluggable transforms between a patch as read from disk and the channels the
 * network sees. Each step is one module (spectral indices, background difference, wind
 * alignment) registered by name in `index.ts`; a model lists the steps it was trained with
 * in model.json, and training, evaluation and inference run them through one function
 * (`applyInputSteps`), so the three can never feed the network differently.
 *
 * A step works on raw band values (before normalisation) plus the validity mask and the
 * wind at the overpass, because indices and differences are defined on reflectances and a
 * rotation must move the wind vector with the image.
 */
import type { PatchPixels } from '../patchInput.js';

/** Wind at the overpass, m/s towards east (u) and north (v); null where unknown. */
export interface StepWind {
  u: number | null;
  v: number | null;
}

/** What flows through the steps: pixels, the names of their channels, and the wind. */
export interface StepSample {
  pixels: PatchPixels;
  channels: readonly string[];
  wind: StepWind;
}

/**
 * What a step may know of the plant beyond this overpass: the background, i.e. the
 * per-pixel low quantile of the site's other clear overpasses (`siteBackground.ts`), passed
 * through the steps before this one; null when the site has no other usable overpass.
 */
export interface StepContext {
  background: StepSample | null;
}

/**
 * Which of training's flips and quarter turns keep a step's output meaningful: `all`, or
 * `row-flip` (mirror rows only) for steps that fix the image's orientation to the wind.
 */
export type AugmentationFreedom = 'all' | 'row-flip';

export interface InputStep {
  readonly name: string;
  /** One line for --help and model.json readers. */
  readonly description: string;
  /** The channel names after the step, from those before it; throws UsageError when an input it needs is absent. */
  outputChannels(channels: readonly string[]): string[];
  apply(sample: StepSample, context: StepContext): StepSample;
  readonly augmentation: AugmentationFreedom;
  /** True when the step reads `context.background` (the caller must then supply site backgrounds). */
  readonly needsBackground: boolean;
}
