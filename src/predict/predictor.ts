/**
 * The predict stage's contract: a loaded model (or another estimator with the same contract) that
 * turns patches into estimates. The pipeline orchestrates it (pipeline/stages.ts); the model
 * folder implements it (modelPredictor.ts).
 */
import type { ManifestRecord } from '../records/manifest.js';
import type { PatchEstimate } from '../records/predictions.js';

/** One patch to predict: its manifest line and the folder the line's path is relative to. */
export interface PatchRef {
  record: ManifestRecord;
  tilesDir: string;
}

/** A loaded model (or another estimator with the same contract). */
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
  /**
   * True when a patch's estimate reads the site's other patches in its tiles folder (a model
   * with the background_difference input step): the folder must then keep its patches and a
   * manifest.jsonl of them (`co2sat run` does so).
   */
  readonly needsTileHistory?: boolean;
  /** Estimates for each patch, in input order. */
  predict(patches: readonly PatchRef[]): Promise<PatchEstimate[]>;
  dispose(): void;
}

