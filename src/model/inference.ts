/**
 * The public inference API used by `co2sat predict`, `aggregate` and `run`:
 *
 * ```ts
 * const model = await loadModel('models/mtl', { backend: 'auto' });
 * const preds = await model.predict([{ record, tilesDir: 'tiles', weather: null, site }]);
 * model.dispose();
 * ```
 *
 * Missing weather is imputed with the training means saved in the model; tasks the model
 * was not trained on come back as null. A patch with another band set than the model's is
 * an InputError naming the patch and model.json.
 */
import path from 'node:path';
import pLimit from 'p-limit';
import { InputError } from '../errors.js';
import { manifestPath, readManifestSync, type ManifestRecord } from '../records/manifest.js';
import type { ModelSite } from '../records/sites.js';
import type { WeatherAtTime } from '../records/weather.js';
import { AUX_FEATURES, BASE_AUX_FEATURES, isKnownAuxFeatureCount, toAuxInput } from './features.js';
import type { InputContext, PreparedSample } from './inputs.js';
import { backgroundQuantileOf, MODEL_FILE, readModelFolder, type ModelManifest } from './modelFolder.js';
import { Network } from './network.js';
import { NormalisedImage } from './patchImage.js';
import { readPatchPixels, type PatchPixels } from './patchInput.js';
import { createPatchReadPool, patchReadersAvailable, type PatchReadPool } from './patchReadPool.js';
import { applyInputSteps, backgroundMembers, needsBackground, quantilePixels, resolveInputSteps } from './inputSteps/index.js';
import type { EmissionFactors } from './physics.js';
import { predictPrepared, type SamplePrediction } from './predictor.js';
import type { Task } from './spec.js';
import type { PatchEstimate } from '../records/predictions.js';


export interface PredictInput {
  record: ManifestRecord;
  /** Folder holding manifest.jsonl (record.path is relative to it). */
  tilesDir: string;
  weather: WeatherAtTime | null;
  site: Pick<ModelSite, 'fuel' | 'capacity_mw'> & Partial<ModelSite>;
}

export interface LoadedModel {
  id: string;
  /** The tfjs backend the model runs on. */
  backend: string;
  tasks: readonly Task[];
  bands: readonly string[];
  manifest: ModelManifest;
  predict(inputs: readonly PredictInput[]): Promise<PatchEstimate[]>;
  dispose(): void;
}

/** The network, rebuilt and restored from a folder (no backend selection; the caller's backend is used). */
export function restoreNetwork(dir: string): { net: Network; manifest: ModelManifest; ctx: InputContext } {
  const { manifest, values } = readModelFolder(dir);
  if (!isKnownAuxFeatureCount(manifest.spec.auxFeatures)) {
    throw new InputError(path.join(dir, MODEL_FILE), `spec.auxFeatures is ${manifest.spec.auxFeatures}: this co2sat feeds ${BASE_AUX_FEATURES} (without cooling inputs) or ${AUX_FEATURES} (with them)`);
  }
  const net = new Network(manifest.spec, 0);
  try {
    net.store.restore(values);
  } catch (e) {
    net.dispose();
    throw new InputError(path.join(dir, MODEL_FILE), `weights do not fit the architecture: ${(e as Error).message}`);
  }
  const efs = Object.fromEntries(Object.entries(manifest.emission_factors).map(([f, v]) => [f, { median: v }])) as unknown as EmissionFactors;
  const ctx: InputContext = {
    patchSize: manifest.spec.patchSize,
    channels: manifest.spec.bandCount,
    auxStats: manifest.aux_stats,
    auxFeatures: manifest.spec.auxFeatures,
    efs,
    scales: manifest.target_scales,
    ...(manifest.interval_scale ? { intervalScale: manifest.interval_scale } : {}),
  };
  return { net, manifest, ctx };
}

/** The bands the model's patches must have (before its input steps add channels). */
export const inputBandsOf = (manifest: ModelManifest): readonly string[] => manifest.input_bands ?? manifest.band_stats.bands;

/** Checks a patch's bands and size against the model; errors name the patch and the model file. */
export function checkPatchFits(record: ManifestRecord, file: string, manifest: ModelManifest, modelDir: string): void {
  const want = inputBandsOf(manifest);
  if (record.bands.length !== want.length || record.bands.some((b, i) => b !== want[i])) {
    throw new InputError(file, `band set [${record.bands.join(',')}] differs from the model's [${want.join(',')}] (${path.join(modelDir, MODEL_FILE)})`);
  }
  const s = manifest.spec.patchSize;
  if (record.window.width !== s || record.window.height !== s) {
    throw new InputError(file, `patch is ${record.window.width}×${record.window.height}, the model takes ${s}×${s} (${path.join(modelDir, MODEL_FILE)})`);
  }
}

/**
 * The site backgrounds of prediction inputs, for models whose input steps need one: the
 * per-pixel quantile (the model's) of the site's other clear overpasses in the same tiles folder (the rule
 * training used, model/inputSteps/siteBackground.ts), counting only patches with at least the
 * model's minimum valid fraction. The manifest is read once per call, so a run that tiles
 * scene after scene gives each new overpass the background of everything tiled so far; a
 * site's latest background is kept, so memory grows with sites, not overpasses.
 */
export class TilesBackgrounds {
  private readonly latest = new Map<string, { key: string; background: PatchPixels | null }>();
  constructor(
    private readonly minValidFraction: number,
    private readonly quantile: number,
  ) {}

  /** `read` reads one patch (default on this thread; predict passes its reader threads). */
  async of(inputs: readonly PredictInput[], read: (file: string) => Promise<PatchPixels> = readPatchPixels): Promise<(PatchPixels | null)[]> {
    const manifests = new Map<string, ManifestRecord[]>();
    const out: (PatchPixels | null)[] = [];
    for (const x of inputs) {
      let records = manifests.get(x.tilesDir);
      if (!records) {
        records = readManifestSync(manifestPath(x.tilesDir));
        manifests.set(x.tilesDir, records);
      }
      const others = records.filter((r) => r.site_id === x.record.site_id && r.path !== x.record.path && r.valid_fraction >= this.minValidFraction && r.bands.join(',') === x.record.bands.join(','));
      const members = backgroundMembers(others.map((r) => ({ key: r.path, cloud_fraction: r.cloud_fraction })));
      const key = members.map((m) => m.key).join('|');
      const cached = this.latest.get(x.record.site_id);
      if (cached && cached.key === key) {
        out.push(cached.background);
        continue;
      }
      // A site's members are read at once (tens of small files; one at a time left this thread waiting).
      const pixels = await Promise.all(members.map((m) => read(path.join(x.tilesDir, m.key))));
      const background = quantilePixels(pixels, this.quantile);
      this.latest.set(x.record.site_id, { key, background });
      out.push(background);
    }
    return out;
  }
}

/** Patches prepareInput reads at once in a predict call. */
const PREDICT_READS_IN_FLIGHT = 16;

/** Reads a patch and builds the prepared sample the network takes (its background: see TilesBackgrounds). */
export async function prepareInput(
  x: PredictInput,
  manifest: ModelManifest,
  modelDir: string,
  background: PatchPixels | null = null,
  read: (file: string) => Promise<PatchPixels> = readPatchPixels,
): Promise<PreparedSample> {
  const file = path.join(x.tilesDir, x.record.path);
  checkPatchFits(x.record, file, manifest, modelDir);
  const pixels = await read(file);
  const bands = inputBandsOf(manifest);
  if (pixels.width !== manifest.spec.patchSize || pixels.height !== manifest.spec.patchSize || pixels.bands.length !== bands.length) {
    throw new InputError(file, `patch is ${pixels.width}×${pixels.height}×${pixels.bands.length}, model takes ${manifest.spec.patchSize}²×${bands.length}`);
  }
  const aux = toAuxInput(x.site, x.weather, x.record.cloud_fraction);
  const steps = resolveInputSteps(manifest.input_steps ?? []);
  if (steps.length === 0) return { image: new NormalisedImage(pixels, manifest.band_stats), aux };
  const stepped = applyInputSteps(steps, pixels, bands, { u: aux.wind_u, v: aux.wind_v }, background);
  return { image: new NormalisedImage(stepped.pixels, manifest.band_stats), aux: { ...aux, wind_u: stepped.wind.u, wind_v: stepped.wind.v } };
}

export function toPatchEstimate(p: SamplePrediction, tasks: readonly Task[]): PatchEstimate {
  const has = (t: Task): boolean => tasks.includes(t);
  return {
    p_on: has('activity') ? p.p_on : null,
    generation_mw: has('generation') ? p.generation_mw : null,
    generation_mw_sd: has('generation') ? p.generation_mw_sd : null,
    co2_t_per_h: has('co2') ? p.co2_t_per_h : null,
    co2_t_per_h_sd: has('co2') ? p.co2_t_per_h_sd : null,
  };
}

/**
 * Loads a model folder and selects a backend (default `auto`).
 * @throws InputError naming model.json or weights.bin when the folder is missing, corrupt or
 *   for another architecture; UsageError for an unknown or unavailable backend.
 */
export async function loadModel(dir: string, options: { backend?: string; readThreads?: number } = {}): Promise<LoadedModel> {
  const { selectBackend, parseBackendChoice } = await import('../backend/index.js');
  const backend = await selectBackend(parseBackendChoice(options.backend ?? 'auto'));
  const { net, manifest, ctx } = restoreNetwork(dir);
  const minValid = typeof manifest.config['min_valid_fraction'] === 'number' ? manifest.config['min_valid_fraction'] : 0.5;
  let readers: Promise<PatchReadPool> | null = null;
  const backgroundSource = needsBackground(resolveInputSteps(manifest.input_steps ?? [])) ? new TilesBackgrounds(minValid, backgroundQuantileOf(manifest)) : null;
  return {
    id: manifest.id,
    backend: backend.name,
    tasks: manifest.tasks,
    bands: inputBandsOf(manifest),
    manifest,
    predict: async (inputs) => {
      const prepared: PreparedSample[] = [];
      // Several patches read at once (file reads on libuv's pool overlap this thread's
      // parsing); one at a time, a 9,000-patch predict spent ~a fifth of its wall time idle.
      // With reader threads (options.readThreads > 1, started at the first call), parsing and
      // decoding move off this thread, which runs the network meanwhile.
      const limit = pLimit(PREDICT_READS_IN_FLIGHT);
      if (readers === null && (options.readThreads ?? 1) > 1 && patchReadersAvailable()) readers = createPatchReadPool(options.readThreads ?? 1);
      const pool = readers === null ? null : await readers;
      const read = pool === null ? readPatchPixels : (file: string) => pool.read(file);
      const backgrounds = backgroundSource ? await backgroundSource.of(inputs, read) : inputs.map(() => null);
      prepared.push(...(await Promise.all(inputs.map((x, i) => limit(() => prepareInput(x, manifest, dir, backgrounds[i] ?? null, read))))));
      return predictPrepared(net, prepared, ctx).map((p) => toPatchEstimate(p, manifest.tasks));
    },
    dispose: () => {
      net.dispose();
      void readers?.then((p) => p.close());
    },
  };
}
