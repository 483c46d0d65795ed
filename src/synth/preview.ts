/**
 * A PNG a person can look at: the true-colour composite (B04, B03, B02) of one scene,
 * box-averaged down to at most `maxSide` pixels, with a ring on every site (red when the
 * plant runs, cyan when it is off) and a tick pointing downwind.
 */
import { PNG } from 'pngjs';
import { dnToReflectance } from './bands.js';
import type { Sample } from './world.js';
import type { SceneGrid } from './grid.js';

/** Reflectance → 8-bit with a gentle gamma, as EO browsers show L2A true colour. */
function toByte(reflectance: number): number {
  if (!Number.isFinite(reflectance)) return 0;
  const v = Math.pow(Math.min(1, Math.max(0, reflectance / 0.3)), 1 / 1.6);
  return Math.round(v * 255);
}

function drawDisc(png: PNG, cx: number, cy: number, r0: number, r1: number, rgb: [number, number, number]): void {
  for (let y = Math.floor(cy - r1); y <= Math.ceil(cy + r1); y++) {
    for (let x = Math.floor(cx - r1); x <= Math.ceil(cx + r1); x++) {
      if (x < 0 || y < 0 || x >= png.width || y >= png.height) continue;
      const d = Math.hypot(x - cx, y - cy);
      if (d < r0 || d > r1) continue;
      const i = (y * png.width + x) * 4;
      png.data[i] = rgb[0];
      png.data[i + 1] = rgb[1];
      png.data[i + 2] = rgb[2];
    }
  }
}

/**
 * Collects the true-colour bands of one scene as they are rendered, box-averaged down to at
 * most `maxSide` pixels, so a 10980² preview never holds full-resolution bands.
 */
export class PreviewCanvas {
  readonly factor: number;
  readonly side: number;
  private readonly sums: Float32Array[];
  private readonly counts: Uint32Array;

  constructor(
    readonly grid: SceneGrid,
    maxSide = 512,
  ) {
    this.factor = Math.max(1, Math.ceil(grid.size / maxSide));
    this.side = Math.ceil(grid.size / this.factor);
    this.sums = [0, 1, 2].map(() => new Float32Array(this.side * this.side));
    this.counts = new Uint32Array(this.side * this.side);
  }

  /** Adds a 10 m band's DNs as channel 0 (red, B04), 1 (green, B03) or 2 (blue, B02). */
  add(channel: 0 | 1 | 2, dn: Uint16Array): void {
    const n = this.grid.size;
    const sum = this.sums[channel]!;
    for (let r = 0; r < n; r++) {
      const o = Math.floor(r / this.factor) * this.side;
      for (let c = 0; c < n; c++) {
        const v = dn[r * n + c]!;
        if (v === 0) continue;
        const i = o + Math.floor(c / this.factor);
        sum[i]! += dnToReflectance(v);
        if (channel === 0) this.counts[i]!++;
      }
    }
  }

  /** The PNG, with a ring per site (red on, cyan off) and a tick pointing downwind. */
  encode(samples: readonly Sample[]): Buffer {
    const side = this.side;
    const png = new PNG({ width: side, height: side });
    for (let i = 0; i < side * side; i++) {
      const k = this.counts[i]!;
      for (let ch = 0; ch < 3; ch++) png.data[i * 4 + ch] = k > 0 ? toByte(this.sums[ch]![i]! / k) : 0;
      png.data[i * 4 + 3] = 255;
    }
    const scale = 1 / (10 * this.factor);
    for (const s of samples) {
      const cx = (s.plant.x - this.grid.originX) * scale;
      const cy = (this.grid.originY - s.plant.y) * scale;
      const rgb: [number, number, number] = s.op.active ? [255, 40, 40] : [40, 230, 255];
      const r = Math.max(5, 300 * scale);
      drawDisc(png, cx, cy, r, r + 1.5, rgb);
      const speed = Math.hypot(s.weather.windU, s.weather.windV);
      if (speed > 0.3) {
        // Image rows grow southward, so north (+v) is −y on the canvas.
        for (let t = r + 2; t < r + 2 + Math.max(6, 400 * scale); t += 0.5) {
          drawDisc(png, cx + (s.weather.windU / speed) * t, cy - (s.weather.windV / speed) * t, 0, 0.8, rgb);
        }
      }
    }
    return PNG.sync.write(png, { colorType: 2, deflateLevel: 9 });
  }
}
