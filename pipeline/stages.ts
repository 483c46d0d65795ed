/**
 * What the pipeline needs from the stages it orchestrates, as small interfaces: find
 * scenes, cut one scene's patches, predict patches. runPipeline composes them and owns only
 * the mechanics (state, locks, atomic commits, shards); defaultStages.ts wires the real
 * tiling and model code, and tests may pass a different but real implementation.
 */
import type { ManifestRecord } from '../src/tiling/manifest.js';
import type { PatchEstimate } from '../src/postprocess/prediction.js';

/** A scene as found in the scenes folder. */
export interface SceneRef {
  scene_id: string;
  /** Changes whenever the scene's files change (names, sizes, mtimes or contents). */
  fingerprint: string;
}

/** One patch to predict: its manifest line and the folder the line's path is relative to. */
export interface PatchRef {
  record: ManifestRecord;
  tilesDir: string;
}

/** A loaded model (or any estimator with the same contract). */
export interface Predictor {
  /** Stable id of the model: outputs record it, and a new id invalidates predictions. */
  readonly id: string;
  readonly backend: string;
  /**
   * What changes whenever the model's weights change (e.g. their SHA-256), when the id alone
   * may not (an id of folder name and seed survives retraining): folded into the run's
   * prediction hash so a retrained model reprocesses every scene.
   */
  readonly fingerprint?: string;
  /** Estimates for each patch, in input order. */
  predict(patches: readonly PatchRef[]): Promise<PatchEstimate[]>;
  dispose(): void;
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
