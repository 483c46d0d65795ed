/**
 * A PNG a person can look at: the true-colour composite (B04, B03, B02) of one scene,
 * box-averaged down to at most `maxSide` pixels, with a ring on every site (red when the
 * plant runs, cyan when it is off) and a tick pointing downwind.
 */
import { PNG } from 'pngjs';
import { dnToReflectance } from './bands.js';
import type { Sample } from './world.js';
import type { SceneGrid } from './grid.js';

export interface PreviewInput {
  grid: SceneGrid;
  /** B04, B03, B02 at 10 m as DNs. */
  red: Uint16Array;
  green: Uint16Array;
  blue: Uint16Array;
  samples: readonly Sample[];
  maxSide?: number;
}

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

/** Encodes the preview PNG. */
export function renderPreview(input: PreviewInput): Buffer {
  const n = input.grid.size;
  const factor = Math.max(1, Math.ceil(n / (input.maxSide ?? 512)));
  const side = Math.ceil(n / factor);
  const png = new PNG({ width: side, height: side });
  const channels = [input.red, input.green, input.blue];
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const sums = [0, 0, 0];
      let count = 0;
      for (let dy = 0; dy < factor; dy++) {
        for (let dx = 0; dx < factor; dx++) {
          const r = y * factor + dy;
          const c = x * factor + dx;
          if (r >= n || c >= n) continue;
          const i = r * n + c;
          if (input.red[i] === 0) continue;
          for (let k = 0; k < 3; k++) sums[k] += dnToReflectance(channels[k]![i]!);
          count++;
        }
      }
      const o = (y * side + x) * 4;
      for (let k = 0; k < 3; k++) png.data[o + k] = count > 0 ? toByte(sums[k]! / count) : 0;
      png.data[o + 3] = 255;
    }
  }
  const scale = 1 / (10 * factor);
  for (const s of input.samples) {
    const cx = (s.plant.x - input.grid.originX) * scale;
    const cy = (input.grid.originY - s.plant.y) * scale;
    const rgb: [number, number, number] = s.op.active ? [255, 40, 40] : [40, 230, 255];
    const r = Math.max(5, 300 * scale);
    drawDisc(png, cx, cy, r, r + 1.5, rgb);
    const speed = Math.hypot(s.weather.windU, s.weather.windV);
    if (speed > 0.3) {
      // Downwind tick from the ring outwards: image rows grow southward, so north is −y.
      for (let t = r + 2; t < r + 2 + Math.max(6, 400 * scale); t += 0.5) {
        drawDisc(png, cx + (s.weather.windU / speed) * t, cy - (s.weather.windV / speed) * t, 0, 0.8, rgb);
      }
    }
  }
  return PNG.sync.write(png, { colorType: 2, deflateLevel: 9 });
}
