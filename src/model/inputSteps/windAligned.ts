/**
 * Wind-aligned canonical orientation: rotates the patch about its centre so that the wind
 * blows along +x (towards increasing column), and the wind vector with it (to (speed, 0)).
 * A plume is carried downwind, so after this step it always lies in the right half of the
 * patch, and the trunk need not learn the same plume at every angle from a few hundred
 * examples. Training's augmentation is then limited to mirroring rows (v → −v, and v is 0),
 * which keeps the wind along +x.
 *
 * Conventions as in train/augment.ts: row 0 is north, column 0 west; u points east, v north.
 * Resampling is bilinear on raw values over valid neighbours; pixels whose source falls
 * outside the patch (the corners after a turn) or on nodata become invalid, which
 * normalisation turns into the band's training mean. Without wind (calm or unknown) the
 * patch is left as it is.
 */
import type { InputStep, StepSample } from './types.js';

/** Below this speed (m/s) there is no direction to align to. */
const CALM_MS = 0.1;

export const windAligned: InputStep = {
  name: 'wind_aligned',
  description: 'rotates each patch (and the wind) so the wind blows along +x: the plume always lies in the same half',
  augmentation: 'row-flip',
  needsBackground: false,
  outputChannels(channels) {
    return [...channels];
  },
  apply(s: StepSample): StepSample {
    const { u, v } = s.wind;
    if (u === null || v === null) return s;
    const speed = Math.hypot(u, v);
    if (speed < CALM_MS) return s;
    const cos = u / speed;
    const sin = v / speed;
    const { width, height } = s.pixels;
    const cx = (width - 1) / 2;
    const cy = (height - 1) / 2;
    const n = width * height;
    const bands = s.pixels.bands.map(() => new Float32Array(n));
    const valid = new Uint8Array(n);
    const srcValid = s.pixels.valid;
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        // Output position in map axes (x east, y north) relative to the centre, turned back
        // by the wind's angle: where in the original patch this pixel comes from.
        const xo = col - cx;
        const yo = cy - row;
        const x = xo * cos - yo * sin;
        const y = xo * sin + yo * cos;
        const sc = x + cx;
        const sr = cy - y;
        const c0 = Math.floor(sc);
        const r0 = Math.floor(sr);
        const fc = sc - c0;
        const fr = sr - r0;
        const o = row * width + col;
        let wsum = 0;
        const taps: [number, number][] = [];
        for (const [dr, dc, w] of [
          [0, 0, (1 - fr) * (1 - fc)],
          [0, 1, (1 - fr) * fc],
          [1, 0, fr * (1 - fc)],
          [1, 1, fr * fc],
        ] as const) {
          const rr = r0 + dr;
          const cc = c0 + dc;
          if (w <= 0 || rr < 0 || cc < 0 || rr >= height || cc >= width) continue;
          const i = rr * width + cc;
          if (!srcValid[i]) continue;
          taps.push([i, w]);
          wsum += w;
        }
        if (wsum < 0.5) continue;
        valid[o] = 1;
        for (let b = 0; b < bands.length; b++) {
          const src = s.pixels.bands[b]!;
          let acc = 0;
          for (const [i, w] of taps) acc += src[i]! * w;
          bands[b]![o] = acc / wsum;
        }
      }
    }
    return { pixels: { width, height, bands, valid }, channels: s.channels, wind: { u: speed, v: 0 } };
  },
};
