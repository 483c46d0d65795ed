import { describe, expect, it } from 'vitest';
import {
  applyInputSteps,
  augmentationFreedom,
  backgroundMembers,
  channelsAfter,
  INPUT_STEPS,
  INPUT_STEP_NAMES,
  BACKGROUND_QUANTILE,
  LEGACY_BACKGROUND_QUANTILE,
  quantilePixels,
  resolveInputSteps,
  siteBackgrounds,
} from '../../src/model/inputSteps/index.js';
import { backgroundQuantileOf } from '../../src/model/modelFolder.js';
import type { PatchBand, PatchPixels } from '../../src/model/patchInput.js';
import { createRng } from '../../src/train/rng.js';

const SIZE = 33;
const S2 = ['B01', 'B02', 'B03', 'B04', 'B05', 'B06', 'B07', 'B08', 'B8A', 'B09', 'B11', 'B12'];

/** A seeded textured landscape, with an optional bright line of pixels from the centre along `toward` (x east, y north). */
function patch(seed: number, bands: number, plume: { toward: [number, number]; length: number } | null = null): PatchPixels {
  const rng = createRng(seed);
  const n = SIZE * SIZE;
  const c = (SIZE - 1) / 2;
  const out = Array.from({ length: bands }, (_, b) => Float32Array.from({ length: n }, (_, i) => 500 + 40 * b + ((i * 7919) % 97) + 20 * rng()));
  if (plume) {
    const [ux, uy] = plume.toward;
    const norm = Math.hypot(ux, uy);
    for (let t = 0; t <= plume.length; t += 0.25) {
      const col = Math.round(c + (t * ux) / norm);
      const row = Math.round(c - (t * uy) / norm);
      for (const band of out) band[row * SIZE + col] = 5000;
    }
  }
  return { width: SIZE, height: SIZE, bands: out, valid: new Uint8Array(n).fill(1) };
}

/** Mean of the brightest `k` pixels' (row, col) positions relative to the centre, as (x east, y north). */
function brightCentroid(p: PatchPixels, band = 0, threshold = 2500): { x: number; y: number; n: number } {
  const c = (SIZE - 1) / 2;
  let x = 0;
  let y = 0;
  let n = 0;
  p.bands[band]!.forEach((v, i) => {
    if (v < threshold || !p.valid[i]) return;
    x += (i % SIZE) - c;
    y += c - Math.floor(i / SIZE);
    n++;
  });
  return { x: x / n, y: y / n, n };
}

describe('input step registry', () => {
  it('runs steps in the canonical order named in names.ts, whatever order they are listed in', () => {
    expect(INPUT_STEPS.map((s) => s.name)).toEqual([...INPUT_STEP_NAMES]);
    expect(resolveInputSteps(['wind_aligned', 'spectral_indices']).map((s) => s.name)).toEqual(['spectral_indices', 'wind_aligned']);
    expect(() => resolveInputSteps(['plume_magic'])).toThrow(/unknown input step 'plume_magic' \(valid: spectral_indices, background_difference, wind_aligned, near_stack_change\)/);
    expect(() => resolveInputSteps(['wind_aligned', 'wind_aligned'])).toThrow(/listed twice/);
  });

  it('names the channels each step adds, differencing the indices too', () => {
    const steps = resolveInputSteps(['spectral_indices', 'background_difference', 'wind_aligned']);
    const channels = channelsAfter(steps, S2);
    expect(channels).toHaveLength(2 * (S2.length + 3));
    expect(channels.slice(S2.length, S2.length + 3)).toEqual(['vis_brightness', 'nd_green_swir1', 'nd_swir1_swir2']);
    expect(channels.at(-1)).toBe('diff:nd_swir1_swir2');
    expect(augmentationFreedom(steps)).toBe('row-flip');
    expect(augmentationFreedom(resolveInputSteps(['spectral_indices', 'background_difference']))).toBe('all');
  });
});

describe('wind_aligned', () => {
  const [step] = resolveInputSteps(['wind_aligned']);
  // Winds from every quadrant, including the diagonals the 90° augmentation cannot reach.
  const winds: [number, number][] = [
    [5, 0],
    [0, 4],
    [-3, 3],
    [-6, -1],
    [2.5, -7],
    [1, 1.7],
  ];
  it.each(winds)('turns a plume carried by wind (%s, %s) onto +x and the wind to (speed, 0)', (u, v) => {
    const p = patch(Math.round(100 + 10 * u + v), 2, { toward: [u, v], length: 12 });
    const before = brightCentroid(p);
    expect(Math.hypot(before.x, before.y)).toBeGreaterThan(4);
    const out = step!.apply({ pixels: p, channels: ['B02', 'B03'], wind: { u, v } }, { background: null });
    const after = brightCentroid(out.pixels);
    // The plume now lies along +x through the centre, as far out as before.
    expect(after.x).toBeGreaterThan(4);
    expect(Math.abs(after.y)).toBeLessThan(0.75);
    expect(after.x).toBeCloseTo(Math.hypot(before.x, before.y), 0);
    expect(out.wind.u).toBeCloseTo(Math.hypot(u, v), 9);
    expect(out.wind.v).toBe(0);
    // Corners that come from outside the patch are invalid; the centre keeps its value.
    const c = (SIZE - 1) / 2;
    expect(out.pixels.valid[c * SIZE + c]).toBe(1);
    expect(out.pixels.bands[1]![c * SIZE + c]).toBeCloseTo(p.bands[1]![c * SIZE + c]!, 3);
    const diagonal = Math.abs(u) > 0.1 && Math.abs(v) > 0.1;
    if (diagonal) expect(out.pixels.valid[0]).toBe(0);
  });

  it('leaves a patch without wind, or in calm air, as it is', () => {
    const p = patch(7, 1);
    const s = { pixels: p, channels: ['B02'], wind: { u: null, v: 3 } };
    expect(step!.apply(s, { background: null })).toBe(s);
    const calm = { pixels: p, channels: ['B02'], wind: { u: 0.01, v: -0.02 } };
    expect(step!.apply(calm, { background: null })).toBe(calm);
  });

  it('never reads nodata: a pixel next to a hole takes only valid neighbours', () => {
    const p = patch(3, 1);
    const c = (SIZE - 1) / 2;
    for (let r = 0; r < SIZE; r++) p.valid[r * SIZE + c + 3] = 0;
    for (let r = 0; r < SIZE; r++) p.bands[0]![r * SIZE + c + 3] = 60000;
    const out = step!.apply({ pixels: p, channels: ['B02'], wind: { u: 3, v: 2 } }, { background: null });
    out.pixels.bands[0]!.forEach((v, i) => {
      if (out.pixels.valid[i]) expect(v).toBeLessThan(1000);
    });
  });
});

describe('spectral_indices', () => {
  it('computes brightness and normalised differences from the bands found by wavelength', () => {
    const [step] = resolveInputSteps(['spectral_indices']);
    const p = patch(11, S2.length);
    const out = step!.apply({ pixels: p, channels: S2, wind: { u: 1, v: 0 } }, { background: null });
    const at = (name: string): PatchBand => out.pixels.bands[out.channels.indexOf(name)]!;
    const b = (name: string): PatchBand => p.bands[S2.indexOf(name)]!;
    for (const i of [0, 17, 500, SIZE * SIZE - 1]) {
      expect(at('vis_brightness')[i]).toBeCloseTo((b('B02')[i]! + b('B03')[i]! + b('B04')[i]!) / 3, 2);
      expect(at('nd_green_swir1')[i]).toBeCloseTo((b('B03')[i]! - b('B11')[i]!) / (b('B03')[i]! + b('B11')[i]!), 5);
      expect(at('nd_swir1_swir2')[i]).toBeCloseTo((b('B11')[i]! - b('B12')[i]!) / (b('B11')[i]! + b('B12')[i]!), 5);
    }
  });

  it("finds Landsat's bands by wavelength too, and refuses a band set without SWIR naming the role", () => {
    const [step] = resolveInputSteps(['spectral_indices']);
    const landsat = ['SR_B1', 'SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7', 'ST_B10'];
    expect(step!.outputChannels(landsat)).toHaveLength(landsat.length + 3);
    // Landsat 8 L1's B11 is thermal (12 µm), not Sentinel-2's 1.6 µm SWIR.
    const l8 = ['B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B11'];
    const out = step!.apply({ pixels: patch(5, l8.length), channels: l8, wind: { u: 1, v: 0 } }, { background: null });
    expect(out.channels).toHaveLength(l8.length + 3);
    expect(() => step!.outputChannels(['B02', 'B03', 'B04'])).toThrow(/spectral_indices needs bands for swir1, swir2 .*\[B02,B03,B04\]/);
  });
});

describe('site backgrounds and background_difference', () => {
  it('builds each background from the site’s other clear overpasses, never from itself or another site', () => {
    const plumes: ([number, number] | null)[] = [[1, 0], [0, 1], null, [-1, 0], [0, -1], [1, 1]];
    const cloud = [0, 0.1, 0.05, 0.9, 0.15, 0.6];
    const site = plumes.map((toward, i) => ({ site_id: 'A', key: `d${i}/A.tif`, cloud_fraction: cloud[i] ?? null, pixels: patch(40 + i, 2, toward ? { toward, length: 10 } : null) }));
    const other = { site_id: 'B', key: 'd0/B.tif', cloud_fraction: 0, pixels: patch(99, 2, { toward: [1, 0], length: 10 }) };
    expect(backgroundMembers(site.slice(1)).map((m) => m.key)).toEqual(['d1/A.tif', 'd2/A.tif', 'd4/A.tif']);
    // Fewer than three clear dates: the three least cloudy others, cloudy or not.
    expect(backgroundMembers([site[0]!, site[3]!, site[5]!]).map((m) => m.key)).toEqual(['d0/A.tif', 'd5/A.tif', 'd3/A.tif']);
    const backgrounds = siteBackgrounds([...site, other], BACKGROUND_QUANTILE);
    expect(backgrounds.at(-1)).toBeNull();
    const [step] = resolveInputSteps(['background_difference']);
    const c = (SIZE - 1) / 2;
    site.forEach((s, i) => {
      const out = step!.apply({ pixels: s.pixels, channels: ['B02', 'B03'], wind: { u: 1, v: 0 } }, { background: { pixels: backgrounds[i]!, channels: ['B02', 'B03'], wind: { u: 1, v: 0 } } });
      expect(out.channels).toEqual(['B02', 'B03', 'diff:B02', 'diff:B03']);
      const diff = out.pixels.bands[2]!;
      // Its own plume stands out against the background; the landscape away from it cancels.
      const toward = plumes[i];
      if (toward) {
        const col = Math.round(c + 6 * toward[0] / Math.hypot(...toward));
        const row = Math.round(c - 6 * toward[1] / Math.hypot(...toward));
        expect(diff[row * SIZE + col]).toBeGreaterThan(3000);
      }
      expect(Math.abs(diff[2 * SIZE + 2]!)).toBeLessThan(25);
    });
  });

  it('takes a per-pixel quantile of the valid values, interpolating between order statistics as numpy does', () => {
    const rng = createRng(5);
    const members = Array.from({ length: 7 }, (_, k) => {
      const p = patch(200 + k, 2);
      // Some members lose some pixels: the quantile is over the members that hold each pixel.
      p.bands.forEach((band) => band.forEach((_, i) => (band[i] = Math.round(1000 * rng()))));
      if (k % 3 === 0) for (let i = k; i < p.valid.length; i += 5) p.valid[i] = 0;
      return p;
    });
    for (const q of [0, 0.2, 0.5, 0.9, 1]) {
      const out = quantilePixels(members, q)!;
      for (const i of [0, 3, 17, 400, SIZE * SIZE - 1]) {
        for (let b = 0; b < 2; b++) {
          const values = members.filter((m) => m.valid[i]).map((m) => m.bands[b]![i]!).sort((x, y) => x - y);
          // numpy.quantile's default ('linear'): position q·(n − 1) between the sorted values.
          const at = q * (values.length - 1);
          const lo = Math.floor(at);
          const want = values[lo]! + (values[Math.min(lo + 1, values.length - 1)]! - values[lo]!) * (at - lo);
          expect(out.bands[b]![i]).toBeCloseTo(want, 3);
        }
      }
    }
    const none = members.map((m) => ({ ...m, valid: new Uint8Array(m.valid.length) }));
    expect(quantilePixels(none, 0.2)!.valid.every((v) => v === 0)).toBe(true);
    expect(() => quantilePixels(members, 1.5)).toThrow(/outside \[0, 1\]/);
  });

  it('keeps the plume of a plant that runs on most dates out of its background (the median does not)', () => {
    // On 5 of 7 clear dates the wind carries the plume east; on 2 the plant is off.
    const dates = [0, 1, 2, 3, 4, 5, 6].map((d) => ({ site_id: 'A', key: `d${d}/A.tif`, cloud_fraction: 0, pixels: patch(60 + d, 1, d < 5 ? { toward: [1, 0], length: 10 } : null) }));
    const c = (SIZE - 1) / 2;
    const onPlume = Math.round(c) * SIZE + Math.round(c + 5);
    const low = siteBackgrounds(dates, BACKGROUND_QUANTILE);
    const median = siteBackgrounds(dates, 0.5);
    // Date 0's background from the six others, four of them with the plume where date 0 has it.
    expect(median[0]!.bands[0]![onPlume]).toBe(5000);
    expect(low[0]!.bands[0]![onPlume]).toBeLessThan(800);
    const [step] = resolveInputSteps(['background_difference']);
    const diffAgainst = (bg: PatchPixels): number =>
      step!.apply({ pixels: dates[0]!.pixels, channels: ['B02'], wind: { u: 1, v: 0 } }, { background: { pixels: bg, channels: ['B02'], wind: { u: 1, v: 0 } } }).pixels.bands[1]![onPlume]!;
    expect(diffAgainst(median[0]!)).toBe(0);
    expect(diffAgainst(low[0]!)).toBeGreaterThan(4000);
  });

  it('reads the quantile a model was trained with from model.json, and the median from models that predate it', () => {
    expect(backgroundQuantileOf({ background_quantile: 0.2 })).toBe(0.2);
    expect(backgroundQuantileOf({})).toBe(LEGACY_BACKGROUND_QUANTILE);
    expect(LEGACY_BACKGROUND_QUANTILE).toBe(0.5);
  });

  it('differences the indices with the background taken through the same steps, then turns everything to the wind', () => {
    const steps = resolveInputSteps(['spectral_indices', 'background_difference', 'wind_aligned']);
    const background = patch(1, S2.length);
    const sample = patch(1, S2.length, { toward: [0, 1], length: 12 });
    const out = applyInputSteps(steps, sample, S2, { u: 0, v: 6 }, background);
    expect(out.channels).toEqual(channelsAfter(steps, S2));
    const diffBrightness = out.channels.indexOf('diff:vis_brightness');
    // The plume blew north; after the turn its difference lies along +x, and the rest is ~0.
    const centroid = brightCentroid({ ...out.pixels, bands: [out.pixels.bands[diffBrightness]!] }, 0, 2000);
    expect(centroid.x).toBeGreaterThan(4);
    expect(Math.abs(centroid.y)).toBeLessThan(0.75);
    expect(out.wind).toEqual({ u: 6, v: 0 });
    // Without a background the difference is 0 ("no change known"), not the raw value.
    const alone = applyInputSteps(steps, sample, S2, { u: 0, v: 6 }, null);
    expect(Math.max(...alone.pixels.bands[diffBrightness]!)).toBe(0);
  });
});
