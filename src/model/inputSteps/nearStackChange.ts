/**
 * The change near the stack, as one number the network need not find: the mean, over valid
 * pixels within 3/16 of the patch width of its centre (120 m on a 64-pixel, 10 m patch), of
 * visible brightness (mean of blue, green and red) minus the same in the site background
 * (siteBackground.ts, a low quantile of the other clear overpasses). It is written into an
 * extra channel, `diff:near_stack`, every pixel holding that number, so the trunk passes it on
 * through its pooling and normalisation compresses it like the other change channels
 * (patchInput.ts); a constant plane is unchanged by flips, turns and the wind alignment.
 *
 * Why: on the 150-plant synthetic world this single number separates "on" from "off" on clear
 * overpasses with AUC 0.88, and in a logistic regression beside capacity and fuel lifts the
 * held-out clear-sky AUC from 0.715 to 0.843 (bench/plume_signal.py), while the trunk given
 * the per-pixel change never learnt it (RESULTS.md). Without a background (a site seen once)
 * the change is 0, "no change known".
 *
 * It runs last, after the wind alignment, so its background has been taken through the same
 * steps (the same turn) as the overpass; the disc around the centre does not depend on it.
 */
import { UsageError } from '../../errors.js';
import { visibleChannels } from './spectralIndices.js';
import type { InputStep, StepContext, StepSample } from './types.js';

export const NEAR_STACK_CHANNEL = 'diff:near_stack';
/** Radius of the disc around the stack, as a fraction of the patch width. */
export const NEAR_STACK_RADIUS_OF_WIDTH = 3 / 16;

/** Visible brightness (mean of the blue, green and red channels at `index`) of pixel `i`. */
const brightnessAt = (s: StepSample, index: readonly [number, number, number], i: number): number => (s.pixels.bands[index[0]]![i]! + s.pixels.bands[index[1]]![i]! + s.pixels.bands[index[2]]![i]!) / 3;

export const nearStackChange: InputStep = {
  name: 'near_stack_change',
  description: 'adds one channel holding the mean visible-brightness change against the site background within 120 m of the stack',
  augmentation: 'all',
  needsBackground: true,
  outputChannels(channels) {
    const index = visibleChannels(channels);
    if (!index) throw new UsageError(`input step near_stack_change needs blue, green and red bands (by wavelength, as in configs/bands); the patches have [${channels.join(',')}]`);
    return [...channels, NEAR_STACK_CHANNEL];
  },
  apply(s: StepSample, context: StepContext): StepSample {
    const { width, height } = s.pixels;
    const n = width * height;
    const index = visibleChannels(s.channels);
    if (!index) throw new UsageError(`input step near_stack_change: no blue, green and red bands among [${s.channels.join(',')}]`);
    let change = 0;
    const bg = context.background;
    if (bg) {
      const bgIndex = visibleChannels(bg.channels);
      if (!bgIndex || bg.pixels.width !== width || bg.pixels.height !== height) throw new Error(`background is ${bg.pixels.width}×${bg.pixels.height} [${bg.channels.join(',')}], the patch ${width}×${height} [${s.channels.join(',')}]`);
      const cx = (width - 1) / 2;
      const cy = (height - 1) / 2;
      const radius = NEAR_STACK_RADIUS_OF_WIDTH * width;
      let sum = 0;
      let count = 0;
      for (let i = 0; i < n; i++) {
        // In the disc around the centre, where both the overpass and its background hold data.
        if (Math.hypot((i % width) - cx, Math.floor(i / width) - cy) >= radius || !s.pixels.valid[i] || !bg.pixels.valid[i]) continue;
        sum += brightnessAt(s, index, i) - brightnessAt(bg, bgIndex, i);
        count++;
      }
      change = count > 0 ? sum / count : 0;
    }
    return {
      pixels: { ...s.pixels, bands: [...s.pixels.bands, new Float32Array(n).fill(change)] },
      channels: [...s.channels, NEAR_STACK_CHANNEL],
      wind: s.wind,
    };
  },
};
