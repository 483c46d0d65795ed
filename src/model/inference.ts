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
import { InputError } from '../errors.js';
import type { ManifestRecord } from '../records/manifest.js';
import type { ModelSite } from '../records/sites.js';
import type { WeatherAtTime } from '../records/weather.js';
import { toAuxInput } from './features.js';
import type { InputContext, PreparedSample } from './inputs.js';
import { MODEL_FILE, readModelFolder, type ModelManifest } from './modelFolder.js';
import { Network } from './network.js';
import { readPatchPixels, toNormalisedHWC } from './patchInput.js';
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
    efs,
    scales: manifest.target_scales,
    ...(manifest.interval_scale ? { intervalScale: manifest.interval_scale } : {}),
  };
  return { net, manifest, ctx };
}

/** Checks a patch's bands and size against the model; errors name the patch and the model file. */
export function checkPatchFits(record: ManifestRecord, file: string, manifest: ModelManifest, modelDir: string): void {
  const want = manifest.band_stats.bands;
  if (record.bands.length !== want.length || record.bands.some((b, i) => b !== want[i])) {
    throw new InputError(file, `band set [${record.bands.join(',')}] differs from the model's [${want.join(',')}] (${path.join(modelDir, MODEL_FILE)})`);
  }
  const s = manifest.spec.patchSize;
  if (record.window.width !== s || record.window.height !== s) {
    throw new InputError(file, `patch is ${record.window.width}×${record.window.height}, the model takes ${s}×${s} (${path.join(modelDir, MODEL_FILE)})`);
  }
}

/** Reads a patch and builds the prepared sample the network takes. */
export async function prepareInput(x: PredictInput, manifest: ModelManifest, modelDir: string): Promise<PreparedSample> {
  const file = path.join(x.tilesDir, x.record.path);
  checkPatchFits(x.record, file, manifest, modelDir);
  const pixels = await readPatchPixels(file);
  if (pixels.width !== manifest.spec.patchSize || pixels.height !== manifest.spec.patchSize || pixels.bands.length !== manifest.spec.bandCount) {
    throw new InputError(file, `patch is ${pixels.width}×${pixels.height}×${pixels.bands.length}, model takes ${manifest.spec.patchSize}²×${manifest.spec.bandCount}`);
  }
  return { image: toNormalisedHWC(pixels, manifest.band_stats), aux: toAuxInput(x.site, x.weather, x.record.cloud_fraction) };
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
export async function loadModel(dir: string, options: { backend?: string } = {}): Promise<LoadedModel> {
  const { selectBackend, parseBackendChoice } = await import('../backend/index.js');
  const backend = await selectBackend(parseBackendChoice(options.backend ?? 'auto'));
  const { net, manifest, ctx } = restoreNetwork(dir);
  return {
    id: manifest.id,
    backend: backend.name,
    tasks: manifest.tasks,
    bands: manifest.band_stats.bands,
    manifest,
    predict: async (inputs) => {
      const prepared: PreparedSample[] = [];
      for (const x of inputs) prepared.push(await prepareInput(x, manifest, dir));
      return predictPrepared(net, prepared, ctx).map((p) => toPatchEstimate(p, manifest.tasks));
    },
    dispose: () => net.dispose(),
  };
}
