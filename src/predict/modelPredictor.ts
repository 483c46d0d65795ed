/**
 * The real Predictor: a trained model folder (src/model/inference.ts) plus the covariates
 * it takes per patch, i.e. the site's fuel and capacity (sites GeoJSON) and the weather at
 * the site and overpass time (weather.csv, optional: missing weather is imputed by the
 * model with its training means).
 */
import { availableParallelism } from 'node:os';
import { InputError } from '../errors.js';
import type { ModelSite } from '../records/sites.js';
import { weatherAt, type WeatherRow } from '../records/weather.js';
import type { PatchEstimate } from '../records/predictions.js';
import type { PatchRef, Predictor } from './predictor.js';

export interface ModelPredictorOptions {
  /** Backend name (`auto`, `wasm`, `tensorflow`…), default `auto`. */
  backend?: string;
  sites: readonly ModelSite[];
  /** Weather rows, or null to let the model impute them. */
  weather: readonly WeatherRow[] | null;
  /** The sites file, for error messages. */
  sitesFile: string;
  /** Patches per model call, to bound memory (default 64). */
  batchSize?: number;
  /** Weather is interpolated across gaps up to this long (default 2 h; see records/weather.ts). */
  maxGapHours?: number;
  /** Threads reading patches (model/patchReadPool.ts); default every core, 1 reads on this thread. */
  readThreads?: number;
}

/**
 * Loads a model folder as a Predictor.
 * @throws InputError for a missing or corrupt model folder; per patch, for a site missing from the sites file
 */
export async function loadModelPredictor(modelDir: string, o: ModelPredictorOptions): Promise<Predictor> {
  const { loadModel } = await import('../model/inference.js');
  const { needsBackground, resolveInputSteps } = await import('../model/inputSteps/index.js');
  const model = await loadModel(modelDir, { backend: o.backend ?? 'auto', readThreads: o.readThreads ?? availableParallelism() });
  const sites = new Map(o.sites.map((s) => [s.site_id, s]));
  const weatherOf = o.weather ? weatherAt(o.weather, o.maxGapHours) : () => null;
  const batch = o.batchSize ?? 64;
  return {
    id: model.id,
    backend: model.backend,
    fingerprint: model.manifest.weights.sha256,
    needsTileHistory: needsBackground(resolveInputSteps(model.manifest.input_steps ?? [])),
    async predict(patches: readonly PatchRef[]): Promise<PatchEstimate[]> {
      const out: PatchEstimate[] = [];
      for (let i = 0; i < patches.length; i += batch) {
        const inputs = patches.slice(i, i + batch).map(({ record, tilesDir }) => {
          const site = sites.get(record.site_id);
          if (!site) throw new InputError(o.sitesFile, `site '${record.site_id}' of patch ${record.path} is not in the sites file`);
          return { record, tilesDir, site, weather: weatherOf(record.site_id, Date.parse(record.datetime)) };
        });
        out.push(...(await model.predict(inputs)));
      }
      return out;
    },
    dispose: () => model.dispose(),
  };
}
