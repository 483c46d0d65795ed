/**
 * The real stages of `co2sat run`: scene discovery and tiling from src/tiling (one scene at
 * a time, patches all-or-nothing per scene), and the trained model from src/model with the
 * site and weather covariates.
 */
import os from 'node:os';
import pLimit from 'p-limit';
import type { Site } from '../src/records/sites.js';
import type { ModelSite } from '../src/records/sites.js';
import type { WeatherRow } from '../src/records/weather.js';
import type { BandSet } from '../src/tiling/bandSet.js';
import type { SceneRef as TilingSceneRef } from '../src/tiling/discoverScenes.js';
import type { ManifestRecord } from '../src/records/manifest.js';
import { loadModelPredictor } from '../src/predict/modelPredictor.js';
import type { PipelineStages } from './stages.js';

export interface DefaultStagesOptions {
  /** Sites as tiling reads them (coordinates) and as the model reads them (fuel, capacity). */
  tilingSites: readonly Site[];
  modelSites: readonly ModelSite[];
  sitesFile: string;
  weather: readonly WeatherRow[] | null;
  /** The weather join's longest interpolation gap (default 2 h). */
  maxGapHours?: number;
  modelDir: string;
  backend: string;
  /** Patch edge in pixels. */
  size: number;
  /** Band sets to try for per-band scene folders, in order. */
  bandSets: BandSet[];
  compression: 'deflate' | 'none';
  /** proj4 definition (or WKT) for scenes whose CRS neither their GeoKeys nor their STAC item give. */
  crsProj4?: string;
  /** Patches read and written at once (default: the number of cores). */
  concurrency?: number;
}

export function defaultStages(o: DefaultStagesOptions): PipelineStages<TilingSceneRef> {
  const limit = pLimit(o.concurrency ?? os.availableParallelism());
  return {
    async listScenes(scenesDir) {
      const { discoverScenes } = await import('../src/tiling/discoverScenes.js');
      return discoverScenes(scenesDir, { bandSets: o.bandSets, params: { size: o.size, compression: o.compression, crsProj4: o.crsProj4 ?? null } });
    },
    async tileScene(ref, tilesDir): Promise<ManifestRecord[]> {
      const { openScene } = await import('../src/tiling/scene.js');
      const { tileScene } = await import('../src/tiling/tileScene.js');
      const scene = await openScene(ref, o.crsProj4 !== undefined ? { crsProj4: o.crsProj4 } : {});
      try {
        const r = await tileScene(scene, o.tilingSites, tilesDir, { size: o.size, compression: o.compression, limit });
        return r.written;
      } finally {
        await scene.close();
      }
    },
    loadPredictor: () => loadModelPredictor(o.modelDir, { backend: o.backend, sites: o.modelSites, weather: o.weather, sitesFile: o.sitesFile, ...(o.maxGapHours !== undefined ? { maxGapHours: o.maxGapHours } : {}) }),
  };
}
