/**
 * Reads a patch GeoTIFF into per-band float arrays plus a validity mask, and turns it into
 * the normalised HWC array the network takes. Nodata pixels become 0 after normalisation,
 * i.e. the band's training mean, so a partly empty patch does not look like a dark scene.
 */
import { readPatch } from '../geo/readPatch.js';
import type { RasterArray } from '../geo/rasterTypes.js';

/**
 * One channel of a patch: the tiled band in the file's own sample type (no float copy: on a
 * 150-plant world the float32 copies of 9,000 patches were 1.8 GB of fresh pages, ~3 ms a
 * MB to fault in on a VM), or a float channel an input step computed.
 */
export type PatchBand = RasterArray;

export interface PatchPixels {
  width: number;
  height: number;
  /** One array of width × height per band, row-major, row 0 = north. */
  bands: PatchBand[];
  /** 1 where every band holds data, 0 at nodata. */
  valid: Uint8Array;
}

/**
 * Per-channel normalisation statistics, computed on the training split and saved with the
 * model. A channel with an `asinh_scale` s is first compressed to asinh(v / s) — linear for
 * |v| ≪ s, logarithmic beyond — and its mean and std are those of the compressed values.
 */
export interface BandStats {
  bands: string[];
  mean: number[];
  std: number[];
  /** Per channel, the scale of the asinh compression, or null (linear); absent = all linear (older models). */
  asinh_scale?: (number | null)[];
}

/**
 * Change channels (`diff:<channel>`, the background difference) are compressed with an asinh
 * whose scale is this fraction of the spread (std over the training patches) of the channel
 * they difference. Why: a change spans thousands of DN under a cloud and a few tens under a
 * plume (150-plant world, clear overpasses: median near-stack change 37 DN when on, 16 when
 * off, against a visible-band spread of 2225 DN — bench/plume_signal.py), so a linear z-score
 * scaled by the clouds leaves a plume at ~1 % of a unit; with asinh at 2 % of the spread
 * (≈ 0.005 reflectance in the visible) a 25 DN change is most of a unit and a cloud a few.
 * This makes the plume representable; it has not by itself made the trunk read it
 * (RESULTS.md: shuffled-image control and bench/torch_activity_probe.py).
 */
export const CHANGE_ASINH_FRACTION_OF_STD = 0.02;
const CHANGE_PREFIX = 'diff:';

/**
 * Reads every band of a patch file (geo/readPatch) as float32 with a validity mask.
 * @throws InputError naming the file when it cannot be read or decoded.
 */
export async function readPatchPixels(file: string): Promise<PatchPixels> {
  const p = await readPatch(file);
  return toPatchPixels(p.width, p.height, p.bands, p.nodata);
}

/**
 * A patch's bands as read (one array per band, the file's sample type) and its validity
 * mask. Only bands that can hold a gap are scanned: integers with a nodata value, floats for
 * NaN/±Inf too.
 */
export function toPatchPixels(width: number, height: number, raw: readonly RasterArray[], nodata: number | null): PatchPixels {
  const n = width * height;
  const valid = new Uint8Array(n).fill(1);
  const bands = raw.map((r) => {
    // A band that does not own its whole buffer is copied, so that it can be transferred
    // between threads (patchReadPool.ts) and does not keep a larger buffer alive.
    const band = r.length === n && r.byteOffset === 0 && r.byteLength === r.buffer.byteLength ? r : r.slice(0, n);
    if (band instanceof Float32Array) markGaps(band, nodata, valid, true);
    else if (nodata !== null) markGaps(band, nodata, valid, false);
    return band;
  });
  return { width, height, bands, valid };
}

/** Clears `valid` where `values` equals nodata, or (floats) is NaN or infinite. */
function markGaps(values: RasterArray, nodata: number | null, valid: Uint8Array, float: boolean): void {
  const gap = nodata ?? NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === gap || (float && (v !== v || v === Infinity || v === -Infinity))) valid[i] = 0;
  }
}

/**
 * Where output pixel (r, c) reads from: source pixel base + r·dRow + c·dCol (row-major
 * pixel index). Flips and quarter turns of a square image are all of this form.
 */
export interface PixelOrder {
  base: number;
  dRow: number;
  dCol: number;
}

/** The identity order of a `size`-pixel square. */
export function identityOrder(size: number): PixelOrder {
  return { base: 0, dRow: size, dCol: 1 };
}

/** Per channel: subtract `mean`, multiply by `inv`; first asinh(v · invScale) where invScale ≠ 0. */
export interface Normalisation {
  mean: Float64Array;
  inv: Float64Array;
  invScale: Float64Array;
}

/** The per-channel constants of `stats` for a patch of `channels` channels. */
export function normalisationOf(channels: number, stats: BandStats): Normalisation {
  if (channels !== stats.mean.length) throw new Error(`patch has ${channels} bands, normalisation has ${stats.mean.length}`);
  return {
    mean: Float64Array.from(stats.mean),
    inv: Float64Array.from(stats.std, (s) => 1 / (s || 1)),
    invScale: Float64Array.from(stats.mean, (_, b) => {
      const scale = stats.asinh_scale?.[b] ?? null;
      return scale === null ? 0 : 1 / scale;
    }),
  };
}

/**
 * Writes `p` normalised, [row, column, channel] row-major, into `out` from `offset`, output
 * pixel (r, c) taken from source pixel base + r·dRow + c·dCol (identityOrder: 0, width, 1).
 * Nodata pixels become 0, the channel's training mean.
 */
export function writeNormalised(p: PatchPixels, norm: Normalisation, order: PixelOrder, out: Float32Array, offset: number): void {
  const size = p.width;
  const c = p.bands.length;
  const { base, dRow, dCol } = order;
  const valid = p.valid;
  for (let b = 0; b < c; b++) {
    const src = p.bands[b]!;
    const m = norm.mean[b]!;
    const inv = norm.inv[b]!;
    const invScale = norm.invScale[b]!;
    for (let r = 0; r < p.height; r++) {
      let i = base + r * dRow;
      let o = offset + r * size * c + b;
      if (invScale === 0) {
        for (let col = 0; col < size; col++, i += dCol, o += c) out[o] = valid[i] ? (src[i]! - m) * inv : 0;
      } else {
        for (let col = 0; col < size; col++, i += dCol, o += c) out[o] = valid[i] ? (Math.asinh(src[i]! * invScale) - m) * inv : 0;
      }
    }
  }
}

/** Normalises a patch to a [height, width, bands] row-major Float32Array. */
export function toNormalisedHWC(p: PatchPixels, stats: BandStats): Float32Array {
  const out = new Float32Array(p.width * p.height * p.bands.length);
  writeNormalised(p, normalisationOf(p.bands.length, stats), identityOrder(p.width), out, 0);
  return out;
}

/** Mean and std per channel over the valid pixels, of `transform(channel, value)`. */
function meanStd(patches: readonly PatchPixels[], c: number, transform: (b: number, v: number) => number): { mean: number[]; std: number[] } {
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  let count = 0;
  for (const p of patches) {
    const n = p.width * p.height;
    for (let i = 0; i < n; i++) {
      if (!p.valid[i]) continue;
      count++;
      for (let b = 0; b < c; b++) {
        const v = transform(b, p.bands[b]![i]!);
        sum[b]! += v;
        sq[b]! += v * v;
      }
    }
  }
  const mean = Array.from(sum, (s) => (count > 0 ? s / count : 0));
  const std = Array.from(sq, (s, b) => {
    const v = count > 0 ? s / count - mean[b]! * mean[b]! : 0;
    return v > 1e-12 ? Math.sqrt(v) : 1;
  });
  return { mean, std };
}

/**
 * Per-channel mean and standard deviation over the valid pixels of many patches; change
 * channels (`diff:…`) get an asinh scale (CHANGE_ASINH_FRACTION_OF_STD of the spread of the
 * channel they difference, or of their own when that channel is absent) and the statistics
 * of their compressed values.
 */
export function computeBandStats(patches: readonly PatchPixels[], bands: readonly string[]): BandStats {
  const c = bands.length;
  const raw = meanStd(patches, c, (_, v) => v);
  const scales = bands.map((name, b) => {
    if (!name.startsWith(CHANGE_PREFIX)) return null;
    const base = bands.indexOf(name.slice(CHANGE_PREFIX.length));
    return CHANGE_ASINH_FRACTION_OF_STD * raw.std[base >= 0 ? base : b]!;
  });
  if (scales.every((s) => s === null)) return { bands: [...bands], mean: raw.mean, std: raw.std };
  const compressed = meanStd(patches, c, (b, v) => {
    const s = scales[b] ?? null;
    return s === null ? v : Math.asinh(v / s);
  });
  return { bands: [...bands], mean: compressed.mean, std: compressed.std, asinh_scale: scales };
}
