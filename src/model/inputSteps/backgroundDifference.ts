/**
 * Temporal context: each channel minus the site's background, a low per-pixel quantile of the
 * plant's other clear overpasses (`siteBackground.ts`). Fields, roads and buildings are the
 * same on every date and cancel; what is left is what changed at this overpass — a plume,
 * a cloud, its shadow, a season's vegetation. A plume is easy to see as change and hard to
 * see against a bright landscape, which is what the trunk had to learn unaided before.
 *
 * Adds one `diff:<channel>` channel per channel present at this point (so steps listed
 * before it, e.g. spectral indices, are differenced too). Without a background (a site seen
 * once) or where the background has no valid pixel, the difference is 0: "no change known",
 * which after normalisation is the training mean of the difference, not a fake signal.
 * The differences stay linear here; normalisation (patchInput.ts) compresses `diff:`
 * channels with an asinh, since they span thousands of DN under clouds and tens under plumes.
 */
import type { InputStep, StepContext, StepSample } from './types.js';

export const backgroundDifference: InputStep = {
  name: 'background_difference',
  description: "adds each channel minus the per-pixel 20th percentile of the site's other clear overpasses (change shows the plume)",
  augmentation: 'all',
  needsBackground: true,
  outputChannels(channels) {
    return [...channels, ...channels.map((c) => `diff:${c}`)];
  },
  apply(s: StepSample, context: StepContext): StepSample {
    const n = s.pixels.width * s.pixels.height;
    const bg = context.background;
    if (bg && (bg.pixels.width !== s.pixels.width || bg.pixels.height !== s.pixels.height || bg.channels.join(',') !== s.channels.join(','))) {
      throw new Error(`background is ${bg.pixels.width}×${bg.pixels.height} [${bg.channels.join(',')}], the patch ${s.pixels.width}×${s.pixels.height} [${s.channels.join(',')}]`);
    }
    const diffs = s.pixels.bands.map((band, b) => {
      const out = new Float32Array(n);
      if (!bg) return out;
      const ref = bg.pixels.bands[b]!;
      for (let i = 0; i < n; i++) out[i] = bg.pixels.valid[i] ? band[i]! - ref[i]! : 0;
      return out;
    });
    return {
      pixels: { ...s.pixels, bands: [...s.pixels.bands, ...diffs] },
      channels: [...s.channels, ...s.channels.map((c) => `diff:${c}`)],
      wind: s.wind,
    };
  },
};
