/**
 * The real Predictor: a trained model folder (src/model/inference.ts) plus the covariates
 * it takes per patch, i.e. the site's fuel and capacity (sites GeoJSON) and the weather at
 * the site and overpass time (weather.csv, optional: missing weather is imputed by the
 * model with its training means).
 */
import { InputError } from '../errors.js';
import type { ModelSite } from '../records/sites.js';
import type { WeatherRow } from '../model/data/weather.js';
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
  /** A weather row matches a patch within this many hours of its acquisition (default 3). */
  weatherToleranceHours?: number;
}

/**
 * Finds each patch's weather row: same site, nearest time within the tolerance. Weather is
 * usually sampled at the overpass itself (as the synthetic world and ERA5 extracts do); the
 * tolerance absorbs hourly reanalysis grids.
 */
export function weatherLookup(rows: readonly WeatherRow[], toleranceHours = 3): (siteId: string, datetime: string) => WeatherRow | null {
  const bySite = new Map<string, WeatherRow[]>();
  for (const r of rows) bySite.set(r.site_id, [...(bySite.get(r.site_id) ?? []), r]);
  for (const list of bySite.values()) list.sort((a, b) => a.time_ms - b.time_ms);
  const tol = toleranceHours * 3_600_000;
  return (siteId, datetime) => {
    const list = bySite.get(siteId);
    if (!list) return null;
    const t = Date.parse(datetime);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.time_ms < t) lo = mid + 1;
      else hi = mid;
    }
    let best: WeatherRow | null = null;
    for (const c of [list[lo - 1], list[lo]]) {
      if (c && Math.abs(c.time_ms - t) <= tol && (best === null || Math.abs(c.time_ms - t) < Math.abs(best.time_ms - t))) best = c;
    }
    return best;
  };
}

/**
 * Loads a model folder as a Predictor.
 * @throws InputError for a missing or corrupt model folder; per patch, for a site missing from the sites file
 */
export async function loadModelPredictor(modelDir: string, o: ModelPredictorOptions): Promise<Predictor> {
  const { loadModel } = await import('../model/inference.js');
  const model = await loadModel(modelDir, { backend: o.backend ?? 'auto' });
  const sites = new Map(o.sites.map((s) => [s.site_id, s]));
  const weatherOf = o.weather ? weatherLookup(o.weather, o.weatherToleranceHours) : () => null;
  const batch = o.batchSize ?? 64;
  return {
    id: model.id,
    backend: model.backend,
    fingerprint: model.manifest.weights.sha256,
    async predict(patches: readonly PatchRef[]): Promise<PatchEstimate[]> {
      const out: PatchEstimate[] = [];
      for (let i = 0; i < patches.length; i += batch) {
        const inputs = patches.slice(i, i + batch).map(({ record, tilesDir }) => {
          const site = sites.get(record.site_id);
          if (!site) throw new InputError(o.sitesFile, `site '${record.site_id}' of patch ${record.path} is not in the sites file`);
          return { record, tilesDir, site, weather: weatherOf(record.site_id, record.datetime) };
        });
        out.push(...(await model.predict(inputs)));
      }
      return out;
    },
    dispose: () => model.dispose(),
  };
}
