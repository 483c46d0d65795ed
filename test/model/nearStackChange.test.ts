import { describe, expect, it } from 'vitest';
import { applyInputSteps, quantilePixels, resolveInputSteps, siteBackgrounds, BACKGROUND_QUANTILE } from '../../src/model/inputSteps/index.js';
import { NEAR_STACK_CHANNEL, NEAR_STACK_RADIUS_OF_WIDTH } from '../../src/model/inputSteps/nearStackChange.js';
import type { PatchBand, PatchPixels } from '../../src/model/patchInput.js';
import { createRng } from '../../src/train/rng.js';

const SIZE = 32;
const BANDS = ['B02', 'B03', 'B04', 'B08', 'B11', 'B12'];

/** A seeded landscape (the same on every date up to noise of ±2 DN) with `plume` DN added to the visible bands at pixels `at` marks. */
function overpass(date: number, plume: number, at: (row: number, col: number) => boolean): PatchPixels {
  const land = createRng(7);
  const noise = createRng(100 + date);
  const n = SIZE * SIZE;
  const bands = BANDS.map((_, b) =>
    Float32Array.from({ length: n }, (_, i) => {
      const base = 800 + 300 * b + 400 * land() + 4 * (noise() - 0.5);
      return b < 3 && at(Math.floor(i / SIZE), i % SIZE) ? base + plume : base;
    }),
  );
  return { width: SIZE, height: SIZE, bands, valid: new Uint8Array(n).fill(1) };
}

const c = (SIZE - 1) / 2;
const r = NEAR_STACK_RADIUS_OF_WIDTH * SIZE;
const inDisc = (row: number, col: number): boolean => Math.hypot(col - c, row - c) < r;
const [step] = resolveInputSteps(['near_stack_change']);

function nearStack(pixels: PatchPixels, background: PatchPixels | null, wind = { u: 3, v: 1 }): PatchBand {
  const out = applyInputSteps([step!], pixels, BANDS, wind, background);
  expect(out.channels).toEqual([...BANDS, NEAR_STACK_CHANNEL]);
  return out.pixels.bands.at(-1)!;
}

describe('near_stack_change', () => {
  // Eight clear dates of a plant that runs on four: a 30 DN plume over the stack on dates 0–3.
  const dates = [0, 1, 2, 3, 4, 5, 6, 7].map((d) => ({ site_id: 'A', key: `d${d}`, cloud_fraction: 0, pixels: overpass(d, d < 4 ? 30 : 0, inDisc) }));
  const backgrounds = siteBackgrounds(dates, BACKGROUND_QUANTILE);

  it('holds, in every pixel of one channel, the mean visible change against the background within the disc around the stack', () => {
    dates.forEach((d, i) => {
      const channel = nearStack(d.pixels, backgrounds[i]!);
      const want = i < 4 ? 30 : 0;
      expect(Math.abs(channel[0]! - want)).toBeLessThan(4);
      expect(channel.every((v) => v === channel[0])).toBe(true);
    });
  });

  it('ignores change outside the disc, and reads no change without a background', () => {
    const far = overpass(9, 500, (row, col) => !inDisc(row, col) && Math.hypot(col - c, row - c) > r + 2);
    expect(Math.abs(nearStack(far, quantilePixels(dates.slice(4).map((d) => d.pixels), BACKGROUND_QUANTILE))[0]!)).toBeLessThan(4);
    expect(nearStack(dates[0]!.pixels, null)[0]).toBe(0);
  });

  it('gives the same number whatever the wind, since it runs after the wind alignment on a disc', () => {
    const steps = resolveInputSteps(['wind_aligned', 'near_stack_change']);
    const values = [{ u: 3, v: 0 }, { u: 0, v: -4 }, { u: -2, v: 2 }].map((wind) => applyInputSteps(steps, dates[1]!.pixels, BANDS, wind, backgrounds[1]!).pixels.bands.at(-1)![0]!);
    // Bilinear resampling of the turned patch moves the ±2 DN noise a little, nothing more.
    for (const v of values) expect(Math.abs(v - values[0]!)).toBeLessThan(2);
    expect(Math.abs(values[0]! - 30)).toBeLessThan(5);
  });

  it('refuses patches without blue, green and red bands, naming them', () => {
    expect(() => step!.outputChannels(['B08', 'B11', 'B12'])).toThrow(/near_stack_change needs blue, green and red bands .*\[B08,B11,B12\]/);
  });
});
