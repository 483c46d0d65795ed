/**
 * toPatchPixels keeps each band in the file's sample type (no float copy) and marks gaps:
 * nodata in any band, and NaN/±Inf in float bands. The reference is the plain per-value
 * rule, over varied values.
 */
import { describe, expect, it } from 'vitest';
import type { RasterArray } from '../../src/geo/rasterTypes.js';
import { toPatchPixels } from '../../src/model/patchInput.js';
import { createRng } from '../../src/train/rng.js';

const W = 9;
const H = 7;
const N = W * H;

function referenceValid(bands: readonly RasterArray[], nodata: number | null): number[] {
  return Array.from({ length: N }, (_, i) => (bands.every((b) => b[i] !== nodata && Number.isFinite(b[i]!)) ? 1 : 0));
}

describe('toPatchPixels', () => {
  const rng = createRng(5);
  it('integer bands: same arrays back, gaps where any band holds nodata', () => {
    const bands = [0, 1, 2].map(() => Uint16Array.from({ length: N }, () => (rng() < 0.1 ? 0 : 1 + Math.floor(rng() * 9000))));
    const p = toPatchPixels(W, H, bands, 0);
    p.bands.forEach((b, k) => expect(b).toBe(bands[k]));
    expect(Array.from(p.valid)).toEqual(referenceValid(bands, 0));
    expect(p.valid.some((v) => v === 0)).toBe(true);
    // Without a nodata value every integer pixel is valid.
    expect(Array.from(toPatchPixels(W, H, bands, null).valid).every((v) => v === 1)).toBe(true);
  });

  it('float bands: NaN, ±Inf and nodata are gaps', () => {
    const special = [NaN, Infinity, -Infinity, -9999];
    const bands = [0, 1].map(() => Float32Array.from({ length: N }, () => (rng() < 0.15 ? special[Math.floor(rng() * 4)]! : rng() * 0.4 - 0.1)));
    expect(Array.from(toPatchPixels(W, H, bands, -9999).valid)).toEqual(referenceValid(bands, -9999));
    const noNodata = toPatchPixels(W, H, bands, null);
    expect(Array.from(noNodata.valid)).toEqual(Array.from({ length: N }, (_, i) => (bands.every((b) => Number.isFinite(b[i]!)) ? 1 : 0)));
  });

  it('copies a band that is a view into a larger buffer, so it can move between threads alone', () => {
    const big = new Int16Array(N * 3).map((_, i) => i - 50);
    const view = big.subarray(N, 2 * N);
    const p = toPatchPixels(W, H, [view], null);
    expect(p.bands[0]).not.toBe(view);
    expect(p.bands[0]!.buffer.byteLength).toBe(N * 2);
    expect(Array.from(p.bands[0]!)).toEqual(Array.from(view));
  });
});
