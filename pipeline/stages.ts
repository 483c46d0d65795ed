/**
 * What the pipeline needs from the stages it orchestrates, as small interfaces: find
 * scenes, cut one scene's patches, predict patches. runPipeline composes them and owns only
 * the mechanics (state, locks, atomic commits, shards); defaultStages.ts wires the real
 * tiling and model code, and tests may pass a different but real implementation.
 */
import type { ManifestRecord } from '../src/records/manifest.js';
import type { Predictor } from '../src/predict/predictor.js';

export type { PatchRef, Predictor } from '../src/predict/predictor.js';

/** A scene as found in the scenes folder. */
export interface SceneRef {
  scene_id: string;
  /** Changes whenever the scene's files change (names, sizes, mtimes or contents). */
  fingerprint: string;
}

export interface PipelineStages<S extends SceneRef = SceneRef> {
  /** Every scene in the folder (any order). @throws InputError when the folder cannot be read */
  listScenes(scenesDir: string): Promise<S[]>;
  /**
   * Cuts the patches of one scene into `tilesDir` (`<scene_id>/<site_id>.tif`) and returns
   * their manifest records (paths relative to `tilesDir`). Throws for a scene that cannot
   * be read; the pipeline records that scene as failed and goes on.
   */
  tileScene(scene: S, tilesDir: string): Promise<ManifestRecord[]>;
  /** Loads the predictor once per run. */
  loadPredictor(): Promise<Predictor>;
}
