/**
 * Turns joined samples into what the network eats: patches read from disk, normalised with
 * statistics of the training split only (so nothing about validation or test plants leaks
 * into the inputs), plus aux inputs and truths.
 */
import path from 'node:path';
import { InputError } from '../errors.js';
import { toAuxInput } from '../model/features.js';
import type { PreparedSample } from '../model/inputs.js';
import { readPatchPixels, toNormalisedHWC, type BandStats, type PatchPixels } from '../model/patchInput.js';
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

/** Reads every sample's patch (in manifest order); `cache` lets repeated runs (ablate) read each file once. */
export async function loadPixels(samples: readonly Sample[], tilesDir: string, cache?: Map<string, PatchPixels>): Promise<PatchPixels[]> {
  const out: PatchPixels[] = [];
  for (const s of samples) {
    const file = path.join(tilesDir, s.record.path);
    const p = cache?.get(file) ?? (await readPatchPixels(file));
    cache?.set(file, p);
    if (p.bands.length !== s.record.bands.length) throw new InputError(file, `has ${p.bands.length} bands, manifest says ${s.record.bands.length}`);
    if (p.width !== s.record.window.width || p.height !== s.record.window.height) {
      throw new InputError(file, `is ${p.width}×${p.height}, manifest says ${s.record.window.width}×${s.record.window.height}`);
    }
    out.push(p);
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
  };
}

export function prepareSamples(samples: readonly Sample[], pixels: readonly PatchPixels[], stats: BandStats): TrainSample[] {
  return samples.map((s, i) => ({
    image: toNormalisedHWC(pixels[i]!, stats),
    aux: toAuxInput(s.site, s.weather, s.record.cloud_fraction),
    truth: truthOf(s),
    site_id: s.site.site_id,
    time_ms: s.time_ms,
  }));
}
