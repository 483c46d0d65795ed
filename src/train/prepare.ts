/**
 * Turns joined samples into what the network eats: patches read from disk, normalised with
 * statistics of the training split only (so nothing about validation or test plants leaks
 * into the inputs), plus aux inputs and truths.
 */
import path from 'node:path';
import { InputError } from '../errors.js';
import { toAuxInput } from '../model/features.js';
import type { PreparedSample } from '../model/inputs.js';
import { applyInputSteps, needsBackground, siteBackgrounds, type InputStep, type StepWind } from '../model/inputSteps/index.js';
import { NormalisedImage } from '../model/patchImage.js';
import { readPatchPixels, type BandStats, type PatchPixels } from '../model/patchInput.js';
import { createPatchReadPool, patchReadersAvailable } from '../model/patchReadPool.js';
import type { Sample } from './dataset.js';
import type { Truth } from './metrics.js';

export interface TrainSample extends PreparedSample {
  truth: Truth;
  site_id: string;
  time_ms: number;
}

/** The band set and patch size shared by all samples. */
export function commonGeometry(samples: readonly Sample[], manifestFile: string): { bands: string[]; patchSize: number } {
  if (samples.length === 0) throw new InputError(manifestFile, 'no usable patches (none joined a known site with enough valid pixels)');
  const first = samples[0]!.record;
  for (const s of samples) {
    const r = s.record;
    if (r.bands.join(',') !== first.bands.join(',')) {
      throw new InputError(manifestFile, `mixed band sets: ${first.path} has [${first.bands.join(',')}], ${r.path} has [${r.bands.join(',')}]`);
    }
    if (r.window.width !== first.window.width || r.window.height !== first.window.height || r.window.width !== r.window.height) {
      throw new InputError(manifestFile, `patches must be square and of one size: ${first.path} is ${first.window.width}×${first.window.height}, ${r.path} is ${r.window.width}×${r.window.height}`);
    }
  }
  return { bands: [...first.bands], patchSize: first.window.width };
}

/** The samples whose patches have `bands` and are `patchSize` square (the site-background pool of commonGeometry's samples). */
export function sameGeometry(samples: readonly Sample[], bands: readonly string[], patchSize: number): Sample[] {
  const want = bands.join(',');
  return samples.filter((s) => s.record.bands.join(',') === want && s.record.window.width === patchSize && s.record.window.height === patchSize);
}

/**
 * Patches read at once by loadPixels: each read's file I/O and DEFLATE inflate run on libuv's
 * thread pool (node:fs, node:zlib), so keeping several in flight uses the other cores while
 * this thread converts the previous ones; one at a time left them idle (a 150-plant world's
 * 8,477 patches took 43 s of a 90 s training run). With reader threads, the same number in
 * flight keeps each of them busy.
 */
const READS_IN_FLIGHT = 16;

/**
 * Reads every sample's patch (in the samples' order); `cache` lets repeated runs (ablate) read
 * each file once. `threads` > 1 reads on that many worker threads (model/patchReadPool.ts),
 * 1 on this thread; the pixels are the same either way.
 */
export async function loadPixels(samples: readonly Sample[], tilesDir: string, cache?: Map<string, PatchPixels>, threads = 1): Promise<PatchPixels[]> {
  const out: PatchPixels[] = new Array<PatchPixels>(samples.length);
  const uncached = samples.filter((s) => !cache?.has(path.join(tilesDir, s.record.path))).length;
  const pool = threads > 1 && uncached > 1 && patchReadersAvailable() ? await createPatchReadPool(Math.min(threads, uncached)) : null;
  const read = pool ? (file: string) => pool.read(file) : readPatchPixels;
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < samples.length) {
      const i = next++;
      const s = samples[i]!;
      const file = path.join(tilesDir, s.record.path);
      const p = cache?.get(file) ?? (await read(file));
      cache?.set(file, p);
      if (p.bands.length !== s.record.bands.length) throw new InputError(file, `has ${p.bands.length} bands, manifest says ${s.record.bands.length}`);
      if (p.width !== s.record.window.width || p.height !== s.record.window.height) {
        throw new InputError(file, `is ${p.width}×${p.height}, manifest says ${s.record.window.width}×${s.record.window.height}`);
      }
      out[i] = p;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, samples.length) }, reader));
  } finally {
    await pool?.close();
  }
  return out;
}

export function truthOf(s: Sample): Truth {
  return {
    active: s.label?.active ?? null,
    generation_mw: s.label?.generation_mw ?? null,
    co2_t_per_h: s.label?.co2_t_per_h ?? null,
    fuel: s.site.fuel,
    capacity_mw: s.site.capacity_mw,
    technology: s.site.technology,
  };
}

/** A patch after the model's input steps: its channels and the wind in its (possibly turned) frame. */
export interface SteppedPatch {
  pixels: PatchPixels;
  wind: StepWind;
}

/**
 * Runs the model's input steps (model/inputSteps) on every sample. Site backgrounds, when a
 * step needs them, come from the other samples of the same site in `samples` — images only,
 * never labels — so pass every sample of a site together (all parts of the split: a
 * background is part of the input, as at prediction time, where the tiles folder holds it),
 * each the per-pixel `backgroundQuantile` of its members (the model's, see modelFolder.ts).
 */
export function stepPatches(samples: readonly Sample[], pixels: readonly PatchPixels[], bands: readonly string[], steps: readonly InputStep[], backgroundQuantile: number): SteppedPatch[] {
  const windOf = (s: Sample): StepWind => ({ u: s.weather?.wind_u ?? null, v: s.weather?.wind_v ?? null });
  if (steps.length === 0) return samples.map((s, i) => ({ pixels: pixels[i]!, wind: windOf(s) }));
  const backgrounds = needsBackground(steps)
    ? siteBackgrounds(samples.map((s, i) => ({ site_id: s.site.site_id, key: s.record.path, cloud_fraction: s.record.cloud_fraction, pixels: pixels[i]! })), backgroundQuantile)
    : samples.map(() => null);
  return samples.map((s, i) => {
    const out = applyInputSteps(steps, pixels[i]!, bands, windOf(s), backgrounds[i] ?? null);
    return { pixels: out.pixels, wind: out.wind };
  });
}

export function prepareSamples(samples: readonly Sample[], patches: readonly SteppedPatch[], stats: BandStats): TrainSample[] {
  return samples.map((s, i) => {
    const p = patches[i]!;
    return {
      image: new NormalisedImage(p.pixels, stats),
      aux: { ...toAuxInput(s.site, s.weather, s.record.cloud_fraction), wind_u: p.wind.u, wind_v: p.wind.v },
      truth: truthOf(s),
      site_id: s.site.site_id,
      time_ms: s.time_ms,
    };
  });
}
