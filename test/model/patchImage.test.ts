/**
 * PatchImage: a sample's image written where needed. A NormalisedImage must write exactly
 * what toNormalisedHWC gives (plain and asinh channels, nodata → 0), and a reordered image
 * exactly what augmentPatch gives for every flip/turn, also turned twice; nothing outside
 * [offset, offset + length) is touched.
 */
import { describe, expect, it } from 'vitest';
import { BlankImage, DenseImage, imageValues, NormalisedImage } from '../../src/model/patchImage.js';
import { computeBandStats, toNormalisedHWC, type PatchPixels } from '../../src/model/patchInput.js';
import { augmentPatch, pixelOrderOf, type AugmentOp } from '../../src/train/augment.js';
import { createRng } from '../../src/train/rng.js';

const SIZE = 11;
const CHANNELS = ['B02', 'B03', 'diff:B03'];

/** 16-bit bands as read, a float change channel, a few nodata pixels; varied per seed. */
function patch(seed: number): PatchPixels {
  const rng = createRng(seed);
  const n = SIZE * SIZE;
  const b02 = Uint16Array.from({ length: n }, () => 800 + Math.floor(1500 * rng()));
  const b03 = Uint16Array.from({ length: n }, () => 900 + Math.floor(1700 * rng()));
  const change = Float32Array.from({ length: n }, () => (rng() < 0.2 ? 4000 * rng() : 50 * (rng() - 0.5)));
  const valid = Uint8Array.from({ length: n }, () => (rng() < 0.9 ? 1 : 0));
  return { width: SIZE, height: SIZE, bands: [b02, b03, change], valid };
}

const OPS: AugmentOp[] = [];
for (const flipH of [false, true]) for (const flipV of [false, true]) for (const rot90 of [0, 1, 2, 3] as const) OPS.push({ flipH, flipV, rot90 });

describe('NormalisedImage', () => {
  const patches = [1, 2, 3].map(patch);
  const stats = computeBandStats(patches, CHANNELS);

  it('writes what toNormalisedHWC gives, at an offset, leaving the rest of the array alone', () => {
    expect(stats.asinh_scale?.[2]).toBeGreaterThan(0);
    for (const p of patches) {
      const image = new NormalisedImage(p, stats);
      expect(image.length).toBe(SIZE * SIZE * CHANNELS.length);
      const out = new Float32Array(image.length + 10).fill(7);
      image.writeTo(out, 4);
      expect(Array.from(out.subarray(4, 4 + image.length))).toEqual(Array.from(toNormalisedHWC(p, stats)));
      expect([...out.subarray(0, 4), ...out.subarray(4 + image.length)]).toEqual(new Array(10).fill(7));
    }
  });

  it('turned: the values augmentPatch gives, for all 16 flips/turns and for two in a row', () => {
    const p = patches[0]!;
    const dense = toNormalisedHWC(p, stats);
    const image = new NormalisedImage(p, stats);
    const wind = { u: 1, v: 0 };
    const rng = createRng(9);
    for (const op of OPS) {
      const want = augmentPatch(dense, SIZE, CHANNELS.length, wind, op).image;
      expect(Array.from(imageValues(image.reordered(pixelOrderOf(op, SIZE)))), JSON.stringify(op)).toEqual(Array.from(want));
      const second = OPS[Math.floor(rng() * OPS.length)]!;
      const want2 = augmentPatch(want, SIZE, CHANNELS.length, wind, second).image;
      const twice = image.reordered(pixelOrderOf(op, SIZE)).reordered(pixelOrderOf(second, SIZE));
      expect(Array.from(imageValues(twice)), `${JSON.stringify(op)} then ${JSON.stringify(second)}`).toEqual(Array.from(want2));
      // A dense image turns the same way.
      const denseTwice = new DenseImage(dense, SIZE, CHANNELS.length).reordered(pixelOrderOf(op, SIZE)).reordered(pixelOrderOf(second, SIZE));
      expect(Array.from(imageValues(denseTwice))).toEqual(Array.from(want2));
    }
  });

  it('refuses statistics of another channel count', () => {
    expect(() => new NormalisedImage(patches[0]!, computeBandStats(patches.map((p) => ({ ...p, bands: p.bands.slice(0, 2) })), ['B02', 'B03']))).toThrow(/3 bands, normalisation has 2/);
  });
});

describe('BlankImage', () => {
  it('writes zeros over exactly its length, turned or not', () => {
    const out = new Float32Array(12).fill(3);
    new BlankImage(5).reordered().writeTo(out, 2);
    expect(Array.from(out)).toEqual([3, 3, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3]);
  });
});
