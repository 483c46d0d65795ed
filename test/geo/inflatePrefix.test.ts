/**
 * inflatePrefix fed in parts: the compressed block read as a prefix first and the rest only
 * when the prefix did not yield the rows needed (openRaster's read of DEFLATE tiles). The
 * bytes must equal zlib's whole-block answer either way, and a part past what is needed must
 * not be read.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflatePrefix, SYNC_INFLATE_MAX_BYTES, type CompressedPart } from '../../src/geo/codecs/inflatePrefix.js';
import { REPO_ROOT } from '../helpers/oracle.js';

// Varying data with uneven compressibility: a real tiled GeoTIFF's bytes (header, IFD, tiles).
const raw = readFileSync(path.join(REPO_ROOT, 'test/fixtures/tiling/encodings/u16_tiles_deflate_pixel_interleaved.tif'));
const compressed = deflateSync(Buffer.concat([raw, raw.subarray(0, raw.length >> 1)]));
const whole = inflateSync(compressed);

function parts(cuts: number[], reads: number[]): CompressedPart[] {
  const edges = [0, ...cuts, compressed.length];
  return edges.slice(1).map((end, i) => async () => {
    reads.push(i);
    return compressed.subarray(edges[i], end);
  });
}

describe('inflatePrefix in parts', () => {
  it.each([0.05, 0.5, 0.97, 1])('need %f of the block, first part too short: reads on and decodes the same bytes', async (share) => {
    const need = Math.round(whole.length * share);
    const reads: number[] = [];
    const out = await inflatePrefix(parts([40, Math.round(compressed.length * 0.6)], reads), need);
    expect(out.length).toBeGreaterThanOrEqual(need);
    expect(Buffer.compare(out.subarray(0, need), whole.subarray(0, need))).toBe(0);
    expect(reads[0]).toBe(0);
    expect(reads).toContain(1);
  });

  it('stops reading once the parts so far yield the bytes needed', async () => {
    const need = Math.round(whole.length * 0.1);
    const reads: number[] = [];
    const out = await inflatePrefix(parts([Math.round(compressed.length * 0.5)], reads), need);
    expect(Buffer.compare(out.subarray(0, need), whole.subarray(0, need))).toBe(0);
    expect(reads).toEqual([0]);
  });

  it('gives what the stream holds when it ends before `need` (the caller reports the shortfall)', async () => {
    const out = await inflatePrefix(parts([100], []), whole.length + 10);
    expect(Buffer.compare(out, whole)).toBe(0);
  });

  it('rejects a corrupt stream', async () => {
    const bad = Buffer.from(compressed);
    bad.fill(0xff, 2, 200);
    await expect(inflatePrefix([async () => bad.subarray(0, 100), async () => bad.subarray(100)], whole.length)).rejects.toThrow();
  });
});

describe('inflatePrefix of a small block in one piece (decoded synchronously)', () => {
  it('decodes the same bytes as zlib, whole or a prefix', async () => {
    expect(whole.length).toBeLessThanOrEqual(SYNC_INFLATE_MAX_BYTES);
    for (const need of [1, 1000, whole.length >> 1, whole.length]) {
      const out = await inflatePrefix(compressed, need);
      expect(Buffer.compare(out.subarray(0, need), whole.subarray(0, need)), `need ${need}`).toBe(0);
      const fromPart = await inflatePrefix([async () => compressed], need);
      expect(Buffer.compare(fromPart.subarray(0, need), whole.subarray(0, need))).toBe(0);
    }
  });

  it('gives what a truncated stream holds instead of throwing, as the stream path does', async () => {
    const cut = compressed.subarray(0, compressed.length >> 1);
    const out = await inflatePrefix(cut, whole.length);
    expect(out.length).toBeGreaterThan(0);
    expect(out.length).toBeLessThan(whole.length);
    expect(Buffer.compare(out, whole.subarray(0, out.length))).toBe(0);
  });

  it('rejects a corrupt stream', async () => {
    const bad = Buffer.from(compressed);
    bad.fill(0xff, 2, 200);
    await expect(inflatePrefix(bad, whole.length)).rejects.toThrow();
  });
});
