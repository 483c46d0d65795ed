import { describe, expect, it } from 'vitest';
import { CHANGE_ASINH_FRACTION_OF_STD, computeBandStats, toNormalisedHWC, type PatchPixels } from '../../src/model/patchInput.js';
import { createRng } from '../../src/train/rng.js';

const SIZE = 16;

/** A band of landscape values around 1500 DN and its change channel: mostly small, a few cloud-sized, some pixels invalid. */
function patch(seed: number): PatchPixels {
  const rng = createRng(seed);
  const n = SIZE * SIZE;
  const band = Float32Array.from({ length: n }, () => 1000 + 1000 * rng());
  const change = Float32Array.from({ length: n }, () => (rng() < 0.3 ? 3000 + 4000 * rng() : 60 * (rng() - 0.5)));
  const other = Float32Array.from({ length: n }, () => 0.2 * (rng() - 0.5));
  const valid = Uint8Array.from({ length: n }, () => (rng() < 0.9 ? 1 : 0));
  return { width: SIZE, height: SIZE, bands: [band, change, other], valid };
}

/** Mean and population std of `xs`. */
function moments(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [m, Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length)];
}

describe('band statistics and normalisation', () => {
  const patches = [1, 2, 3, 4].map(patch);
  const validValues = (b: number): number[] => patches.flatMap((p) => Array.from(p.bands[b]!).filter((_, i) => p.valid[i]));

  it('keeps plain channels linear, with the mean and std of their valid pixels, and writes no asinh scales when there is no change channel', () => {
    const stats = computeBandStats(patches, ['B02', 'B03', 'B04']);
    expect(stats.asinh_scale).toBeUndefined();
    for (let b = 0; b < 3; b++) {
      const [m, sd] = moments(validValues(b));
      expect(stats.mean[b]).toBeCloseTo(m, 6);
      expect(stats.std[b]).toBeCloseTo(sd, 6);
    }
  });

  it('compresses change channels with asinh at a fraction of the differenced band’s spread (or their own), statistics of the compressed values', () => {
    const stats = computeBandStats(patches, ['B02', 'diff:B02', 'diff:NDVI']);
    const [, sdBand] = moments(validValues(0));
    const [, sdOwn] = moments(validValues(2));
    const s1 = CHANGE_ASINH_FRACTION_OF_STD * sdBand;
    const s2 = CHANGE_ASINH_FRACTION_OF_STD * sdOwn;
    expect(stats.asinh_scale).toHaveLength(3);
    expect(stats.asinh_scale![0]).toBeNull();
    expect(stats.asinh_scale![1]).toBeCloseTo(s1, 6);
    expect(stats.asinh_scale![2]).toBeCloseTo(s2, 9);
    const [m1, sd1] = moments(validValues(1).map((v) => Math.asinh(v / s1)));
    expect(stats.mean[1]).toBeCloseTo(m1, 6);
    expect(stats.std[1]).toBeCloseTo(sd1, 6);
    const out = toNormalisedHWC(patches[0]!, stats);
    const p = patches[0]!;
    for (let i = 0; i < SIZE * SIZE; i++) {
      if (!p.valid[i]) {
        expect([out[i * 3], out[i * 3 + 1], out[i * 3 + 2]]).toEqual([0, 0, 0]);
        continue;
      }
      expect(out[i * 3]).toBeCloseTo((p.bands[0]![i]! - stats.mean[0]!) / stats.std[0]!, 4);
      expect(out[i * 3 + 1]).toBeCloseTo((Math.asinh(p.bands[1]![i]! / s1) - m1) / sd1, 4);
    }
  });

  it('resolves a faint change that a linear z-score scaled by clouds flattens', () => {
    const compressed = computeBandStats(patches, ['B02', 'diff:B02']);
    const linear = { ...compressed, ...computeBandStats(patches, ['B02', 'change']), bands: ['B02', 'diff:B02'] };
    const faint = (stats: typeof compressed, dn: number): number => {
      const one: PatchPixels = { width: 1, height: 1, bands: [Float32Array.of(1500), Float32Array.of(dn)], valid: Uint8Array.of(1) };
      return toNormalisedHWC(one, stats)[1]!;
    };
    // 25 DN of plume against no change: a few hundredths of a unit linearly, most of a unit compressed.
    expect(Math.abs(faint(linear, 25) - faint(linear, 0))).toBeLessThan(0.02);
    expect(Math.abs(faint(compressed, 25) - faint(compressed, 0))).toBeGreaterThan(0.3);
    // A cloud still lands a few units out, not hundreds.
    expect(Math.abs(faint(compressed, 6000))).toBeLessThan(5);
  });
});
