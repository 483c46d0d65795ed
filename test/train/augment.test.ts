import { describe, expect, it } from 'vitest';
import { augmentPatch, randomAugment, type AugmentOp } from '../../src/train/augment.js';
import { createRng } from '../../src/train/rng.js';

/** A patch with one bright pixel `d` steps downwind of the centre (u east = +col, v north = −row). */
function plumeImage(size: number, u: number, v: number, d: number): Float32Array {
  const img = new Float32Array(size * size * 2);
  const c = Math.floor(size / 2);
  const r = c - Math.round(v * d);
  const col = c + Math.round(u * d);
  img[(r * size + col) * 2] = 1;
  img[(r * size + col) * 2 + 1] = 2;
  return img;
}

function brightest(img: Float32Array, size: number): [number, number] {
  let best = -1;
  let at = 0;
  for (let i = 0; i < size * size; i++) if (img[i * 2]! > best) [best, at] = [img[i * 2]!, i];
  return [Math.floor(at / size), at % size];
}

describe('augmentation keeps the wind pointing at the plume', () => {
  const size = 9;
  const ops: AugmentOp[] = [];
  for (const flipH of [false, true]) for (const flipV of [false, true]) for (const rot90 of [0, 1, 2, 3] as const) ops.push({ flipH, flipV, rot90 });

  for (const [u, v] of [
    [1, 0],
    [0, 1],
    [-1, 0],
    [1, 1],
  ] as const) {
    it(`wind (${u}, ${v}) under all 16 flips/rotations`, () => {
      const img = plumeImage(size, u, v, 3);
      for (const op of ops) {
        const out = augmentPatch(img, size, 2, { u, v }, op);
        const [r, c] = brightest(out.image, size);
        const centre = Math.floor(size / 2);
        // The plume must sit downwind of the centre in the augmented frame.
        expect([c - centre + 0, centre - r + 0], JSON.stringify(op)).toEqual([Math.round(out.wind.u! * 3) + 0, Math.round(out.wind.v! * 3) + 0]);
        // Channels move together; the wind speed is unchanged.
        expect(out.image[(r * size + c) * 2 + 1]).toBe(2);
        expect(Math.hypot(out.wind.u!, out.wind.v!)).toBeCloseTo(Math.hypot(u, v), 12);
      }
    });
  }

  it('moves every pixel as the flips then the quarter turns do, applied one by one', () => {
    // Reference: each op as its own whole-image transform (out[r][c] = in[…]), composed.
    const ch = 3;
    const sz = 7;
    const n = sz - 1;
    const transform = (img: Float32Array, from: (r: number, c: number) => [number, number]): Float32Array => {
      const out = new Float32Array(img.length);
      for (let r = 0; r < sz; r++) for (let c = 0; c < sz; c++) {
        const [sr, sc] = from(r, c);
        for (let b = 0; b < ch; b++) out[(r * sz + c) * ch + b] = img[(sr * sz + sc) * ch + b]!;
      }
      return out;
    };
    const rng = createRng(3);
    const img = Float32Array.from({ length: sz * sz * ch }, () => rng());
    for (const op of ops) {
      let want: Float32Array = img;
      if (op.flipH) want = transform(want, (r, c) => [r, n - c]);
      if (op.flipV) want = transform(want, (r, c) => [n - r, c]);
      for (let k = 0; k < op.rot90; k++) want = transform(want, (r, c) => [c, n - r]);
      expect(Array.from(augmentPatch(img, sz, ch, { u: 1, v: 0 }, op).image), JSON.stringify(op)).toEqual(Array.from(want));
    }
  });

  it('does not touch its input and passes missing wind through', () => {
    const img = plumeImage(size, 1, 0, 2);
    const copy = img.slice();
    const out = augmentPatch(img, size, 2, { u: null, v: null }, { flipH: true, flipV: false, rot90: 1 });
    expect(img).toEqual(copy);
    expect(out.wind).toEqual({ u: null, v: null });
  });

  it('draws only row mirrors for wind-aligned inputs, which keep the wind along +x', () => {
    const rng = createRng(17);
    const ops = Array.from({ length: 64 }, () => randomAugment(rng, 'row-flip'));
    expect(ops.every((op) => !op.flipH && op.rot90 === 0)).toBe(true);
    const flipped = ops.filter((op) => op.flipV).length;
    expect(flipped).toBeGreaterThan(16);
    expect(flipped).toBeLessThan(48);
    const img = plumeImage(size, 1, 0, 2);
    for (const op of ops.slice(0, 4)) {
      const out = augmentPatch(img, size, 2, { u: 4, v: 0 }, op);
      expect(out.wind.u).toBe(4);
      expect(Math.abs(out.wind.v ?? 1)).toBe(0);
    }
    // The full set still turns patches.
    const all = Array.from({ length: 64 }, () => randomAugment(rng));
    expect(all.some((op) => op.rot90 !== 0) && all.some((op) => op.flipH)).toBe(true);
  });
});

