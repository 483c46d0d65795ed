/**
 * Reads a patch GeoTIFF into per-band float arrays plus a validity mask, and turns it into
 * the normalised HWC array the network takes. Nodata pixels become 0 after normalisation,
 * i.e. the band's training mean, so a partly empty patch does not look like a dark scene.
 */
import { readPatch } from '../geo/readPatch.js';

export interface PatchPixels {
  width: number;
  height: number;
  /** One Float32Array of width × height per band, row-major, row 0 = north. */
  bands: Float32Array[];
  /** 1 where every band holds data, 0 at nodata. */
  valid: Uint8Array;
}

/** Per-band normalisation statistics, computed on the training split and saved with the model. */
export interface BandStats {
  bands: string[];
  mean: number[];
  std: number[];
}

/**
 * Reads every band of a patch file (geo/readPatch) as float32 with a validity mask.
 * @throws InputError naming the file when it cannot be read or decoded.
 */
export async function readPatchPixels(file: string): Promise<PatchPixels> {
  const p = await readPatch(file);
  const n = p.width * p.height;
  const valid = new Uint8Array(n).fill(1);
  const bands = p.bands.map((r) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = Number(r[i]);
      if ((p.nodata !== null && v === p.nodata) || !Number.isFinite(v)) valid[i] = 0;
      out[i] = v;
    }
    return out;
  });
  return { width: p.width, height: p.height, bands, valid };
}

/** Normalises a patch to a [height, width, bands] row-major Float32Array. */
export function toNormalisedHWC(p: PatchPixels, stats: BandStats): Float32Array {
  const c = p.bands.length;
  if (c !== stats.mean.length) throw new Error(`patch has ${c} bands, normalisation has ${stats.mean.length}`);
  const n = p.width * p.height;
  const out = new Float32Array(n * c);
  for (let b = 0; b < c; b++) {
    const src = p.bands[b]!;
    const m = stats.mean[b]!;
    const inv = 1 / (stats.std[b]! || 1);
    for (let i = 0; i < n; i++) out[i * c + b] = p.valid[i] ? (src[i]! - m) * inv : 0;
  }
  return out;
}

/** Accumulates per-band mean and standard deviation over the valid pixels of many patches. */
export function computeBandStats(patches: Iterable<PatchPixels>, bands: readonly string[]): BandStats {
  const c = bands.length;
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  let count = 0;
  for (const p of patches) {
    const n = p.width * p.height;
    for (let i = 0; i < n; i++) {
      if (!p.valid[i]) continue;
      count++;
      for (let b = 0; b < c; b++) {
        const v = p.bands[b]![i]!;
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
  return { bands: [...bands], mean, std };
}
