/**
 * Seeded value noise as pure functions of map position (metres), so a field looks the same
 * whichever band resolution samples it: a lake edge at 10 m lines up with the same edge at
 * 60 m. `CoarseField` caches a smooth field on a coarse grid and interpolates it bilinearly,
 * which is still a function of position and keeps 10980² bands affordable.
 */

/**
 * lowbias32, the same hash as rng.ts's `hash32`, kept local because it runs billions of
 * times at 10980²: a call within the module stays inlinable under every loader (vitest's
 * module transform turns cross-module calls into property reads).
 */
function hash32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Lattice value in [0, 1) for integer cell (ix, iy) of a noise keyed by `key`. */
function lattice(key: number, ix: number, iy: number): number {
  return hash32(key ^ hash32(Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1))) / 4294967296;
}

/** Value noise in [0, 1) at (x, y) in lattice units, smoothstep-interpolated. */
export function valueNoise(key: number, x: number, y: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = lattice(key, ix, iy);
  const b = lattice(key, ix + 1, iy);
  const c = lattice(key, ix, iy + 1);
  const d = lattice(key, ix + 1, iy + 1);
  const top = a + (b - a) * sx;
  const bottom = c + (d - c) * sx;
  return top + (bottom - top) * sy;
}

/**
 * Fractal sum of `octaves` value noises (each twice the frequency, `gain` the amplitude of
 * the previous), normalised back to [0, 1). `scale` is the size of the largest feature in
 * the units of x and y.
 */
export function fbm(key: number, x: number, y: number, scale: number, octaves = 4, gain = 0.5): number {
  let sum = 0;
  let amp = 1;
  let norm = 0;
  let f = 1 / scale;
  for (let o = 0; o < octaves; o++) {
    sum += amp * valueNoise(key + o * 0x3c6ef372, x * f, y * f);
    norm += amp;
    amp *= gain;
    f *= 2;
  }
  return sum / norm;
}

/** A uniform number in [0, 1) for one pixel of one band of one scene: sensor noise, texture. */
export function pixelHash(key: number, col: number, row: number): number {
  return hash32(key ^ hash32(Math.imul(col, 0x9e3779b1) ^ hash32(row + 0x632be5ab))) / 4294967296;
}

/** Approximately standard normal per pixel from one hash: three 10-bit uniforms (Irwin–Hall). */
export function gaussianHash(key: number, col: number, row: number): number {
  const h = hash32((key ^ Math.imul(row, 0x9e3779b1)) + Math.imul(col, 0x85ebca6b));
  const a = h & 1023;
  const b = (h >>> 10) & 1023;
  const c = (h >>> 20) & 1023;
  return ((a + b + c + 1.5) / 1024 - 1.5) * 2;
}

/**
 * A field sampled on a regular grid of `step` metres anchored at (x0, y0) (north-up, rows
 * grow southward) and read back with bilinear interpolation at every map position.
 */
export class CoarseField {
  readonly cols: number;
  readonly rows: number;
  readonly values: Float32Array;

  constructor(
    readonly x0: number,
    readonly y0: number,
    readonly step: number,
    widthM: number,
    heightM: number,
    fn: (x: number, y: number) => number,
  ) {
    this.cols = Math.ceil(widthM / step) + 2;
    this.rows = Math.ceil(heightM / step) + 2;
    this.values = new Float32Array(this.cols * this.rows);
    for (let r = 0; r < this.rows; r++) {
      const y = y0 - r * step;
      for (let c = 0; c < this.cols; c++) this.values[r * this.cols + c] = fn(x0 + c * step, y);
    }
  }

  /** Bilinear value at map position (x, y); positions outside clamp to the border. */
  at(x: number, y: number): number {
    let fc = (x - this.x0) / this.step;
    let fr = (this.y0 - y) / this.step;
    fc = fc < 0 ? 0 : fc > this.cols - 1.001 ? this.cols - 1.001 : fc;
    fr = fr < 0 ? 0 : fr > this.rows - 1.001 ? this.rows - 1.001 : fr;
    const c = Math.floor(fc);
    const r = Math.floor(fr);
    const tx = fc - c;
    const ty = fr - r;
    const i = r * this.cols + c;
    const v = this.values;
    const top = v[i]! + (v[i + 1]! - v[i]!) * tx;
    const bottom = v[i + this.cols]! + (v[i + this.cols + 1]! - v[i + this.cols]!) * tx;
    return top + (bottom - top) * ty;
  }

  /** The value below which a fraction `q` of the grid's samples lie (for coverage targets). */
  quantile(q: number): number {
    const sorted = Float32Array.from(this.values).sort();
    const i = Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)));
    return sorted[i]!;
  }
}
