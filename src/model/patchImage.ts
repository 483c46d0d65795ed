/**
 * A sample's network input — a square [size, size, channels] row-major image — written
 * where it is needed (a batch's input array, a worker's shared slot) instead of held as a
 * float array per sample.
 *
 * Why: a normalised float image is twice the size of the patch's 16-bit samples, and holding
 * one per sample cost a 150-plant world's training run 1.7 GB of fresh memory, ~5–6 s to
 * fault in on the VMs we measure on (~3 ms a MB), before the first step. A NormalisedImage
 * keeps the patch as read (PatchPixels) and normalises while it writes; a flip or quarter
 * turn (train/augment.ts) is an affine reordering of its source pixels, applied in the same
 * pass, so an augmented batch is normalised, turned and stacked in one write per value.
 */
import { identityOrder, normalisationOf, writeNormalised, type BandStats, type Normalisation, type PatchPixels, type PixelOrder } from './patchInput.js';

export type { PixelOrder } from './patchInput.js';

export interface PatchImage {
  /** Values: size × size × channels. */
  readonly length: number;
  /** Writes the image's values, [row, column, channel] row-major, into `out` from `offset`. */
  writeTo(out: Float32Array, offset: number): void;
  /** The same image with its pixels reordered by `order` (after its own order, when it has one). */
  reordered(order: PixelOrder): PatchImage;
}

/** `second` applied to the result of `first`: output pixel p reads first's pixel second(p). */
function compose(first: PixelOrder, second: PixelOrder, size: number): PixelOrder {
  // second maps (r, c) to pixel q = second.base + r·dRow + c·dCol = (qr, qc) in first's output;
  // first maps (qr, qc) to first.base + qr·first.dRow + qc·first.dCol. Both are affine in (r, c),
  // so the images of output pixels (0, 0), (1, 0) and (0, 1) fix the composition. Splitting a
  // pixel index back into (qr, qc) is exact here because those three lie inside the image for
  // every flip and quarter turn (the corner and its two neighbours); it would not be for an
  // order that steps outside.
  const at = (p: number): number => first.base + Math.floor(p / size) * first.dRow + (p % size) * first.dCol;
  const q00 = second.base;
  const base = at(q00);
  return { base, dRow: at(q00 + second.dRow) - base, dCol: at(q00 + second.dCol) - base };
}

/** An image held as its float values (inference, tests, a blanked image). */
export class DenseImage implements PatchImage {
  constructor(
    readonly values: Float32Array,
    private readonly size: number,
    private readonly channels: number,
    private readonly order: PixelOrder | null = null,
  ) {
    if (values.length !== size * size * channels) throw new RangeError(`image has ${values.length} values, expected ${size}² × ${channels}`);
  }

  get length(): number {
    return this.values.length;
  }

  writeTo(out: Float32Array, offset: number): void {
    if (this.order === null) {
      out.set(this.values, offset);
      return;
    }
    const { size, channels: c, values } = this;
    const { base, dRow, dCol } = this.order;
    for (let r = 0; r < size; r++) {
      let i = (base + r * dRow) * c;
      let o = offset + r * size * c;
      for (let col = 0; col < size; col++, i += dCol * c, o += c) {
        for (let b = 0; b < c; b++) out[o + b] = values[i + b]!;
      }
    }
  }

  reordered(order: PixelOrder): PatchImage {
    return new DenseImage(this.values, this.size, this.channels, this.order === null ? order : compose(this.order, order, this.size));
  }
}

/**
 * A patch (bands as read, validity mask) normalised with training statistics as it is
 * written: (v − mean) / std per channel, asinh-compressed first where the statistics say
 * so, and 0 (the channel's training mean) at nodata pixels — the values toNormalisedHWC gives.
 */
export class NormalisedImage implements PatchImage {
  private readonly norm: Normalisation;

  constructor(
    readonly pixels: PatchPixels,
    private readonly stats: BandStats,
    private readonly order: PixelOrder | null = null,
    norm?: Normalisation,
  ) {
    if (pixels.width !== pixels.height) throw new RangeError(`patch is ${pixels.width}×${pixels.height}; images are square`);
    this.norm = norm ?? normalisationOf(pixels.bands.length, stats);
  }

  get length(): number {
    return this.pixels.width * this.pixels.height * this.pixels.bands.length;
  }

  writeTo(out: Float32Array, offset: number): void {
    writeNormalised(this.pixels, this.norm, this.order ?? identityOrder(this.pixels.width), out, offset);
  }

  reordered(order: PixelOrder): PatchImage {
    return new NormalisedImage(this.pixels, this.stats, this.order === null ? order : compose(this.order, order, this.pixels.width), this.norm);
  }
}

/** An image of zeros: every pixel at its channel's training mean (what the network sees of no image). */
export class BlankImage implements PatchImage {
  constructor(readonly length: number) {}

  writeTo(out: Float32Array, offset: number): void {
    out.fill(0, offset, offset + this.length);
  }

  reordered(): PatchImage {
    return this;
  }
}

/** The image's values as one new array (tests, inspection). */
export function imageValues(image: PatchImage): Float32Array {
  const out = new Float32Array(image.length);
  image.writeTo(out, 0);
  return out;
}
