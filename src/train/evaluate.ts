/**
 * Evaluates a saved model on a (possibly different) world: joins the data like training,
 * normalises with the model's own statistics, predicts and scores every task the model was
 * trained on. `split: 'test'` keeps only the model's held-out sites (or overpasses).
 */
import path from 'node:path';
import { InputError } from '../errors.js';
import { inputBandsOf, restoreNetwork } from '../model/inference.js';
import { needsBackground, resolveInputSteps } from '../model/inputSteps/index.js';
import { backgroundQuantileOf, MODEL_FILE, type ModelManifest } from '../model/modelFolder.js';
import { predictPrepared, type SamplePrediction } from '../model/predictor.js';
import { fitSiteHistory } from '../model/siteHistory.js';
import { historyObservation, withSiteHistory } from './siteHistoryInputs.js';
import { hasAnyLabel, type JoinReport } from './dataset.js';
import { loadData, type DataPaths } from './loadData.js';
import { evaluationMetrics, type EvaluationMetrics } from './metrics.js';
import { commonGeometry, loadPixels, prepareSamples, sameGeometry, stepPatches, truthOf } from './prepare.js';
import { partOf, type SplitAssignment } from './split.js';
import { fitBaselineOn, scoreControls, shuffleImagesWithinSites, type Controls } from './controls/index.js';
import { readTruth } from '../records/truth.js';

export interface EvaluationResult {
  metrics: EvaluationMetrics;
  report: JoinReport;
  manifest: ModelManifest;
  /** Samples evaluated whose site the model trained or validated on (0 for `split: 'test'`). */
  seenSites: number;
  /** The same metrics for the controls (controls/index.ts); a row is null when it cannot be scored. */
  controls: Controls;
  /** Evaluated samples truth.json has no record of (left out of the noise floor). */
  noiseFloorUnmatched: number;
  /**
   * The model's estimates combined across each plant's evaluated overpasses (model/siteHistory.ts),
   * and the same with images shuffled within sites when that control runs; null without a
   * capacity baseline to take the fleet prior from.
   */
  withSiteHistory: { metrics: EvaluationMetrics; shuffled: EvaluationMetrics | null } | null;
}

export interface EvaluateOptions {
  split?: 'all' | 'test';
  minValidFraction?: number;
  /** Seed of the shuffled-image control; absent skips it (it costs one more model pass). */
  shuffleSeed?: number;
  /** The world's truth.json, for the noise-floor row. */
  truthFile?: string;
  /** Threads reading the patches (loadPixels); default 1, this thread. */
  readThreads?: number;
}

export async function evaluateModel(modelDir: string, paths: DataPaths, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const { net, manifest, ctx } = restoreNetwork(modelDir);
  try {
    const data = loadData(paths, options.minValidFraction ?? (manifest.config.min_valid_fraction as number | undefined) ?? 0.5);
    let samples = data.samples.filter((s) => hasAnyLabel(s, manifest.tasks));
    const split = manifest.splits as unknown as SplitAssignment;
    // Models from before the baseline was saved: learn it from the training part of this data.
    const trainPart = samples.filter((s) => partOf(s, split) === 'train').map((s) => ({ site_id: s.site.site_id, time_ms: s.time_ms, truth: truthOf(s) }));
    const baseline = manifest.capacity_baseline ?? (trainPart.length > 0 ? fitBaselineOn(trainPart, Object.fromEntries(Object.entries(ctx.efs).map(([f, e]) => [f, e.median]))) : null);
    const history = baseline ? (manifest.site_history ?? (trainPart.length > 0 ? fitSiteHistory(trainPart.map(historyObservation), baseline) : null)) : null;
    if (options.split === 'test') samples = samples.filter((s) => partOf(s, split) === 'test');
    if (samples.length === 0) throw new InputError(paths.labels, 'no labelled patches to evaluate (check that labels, manifest and sites share site_id and datetime)');
    const { bands, patchSize } = commonGeometry(samples, data.manifestFile);
    const want = inputBandsOf(manifest);
    if (bands.join(',') !== want.join(',')) {
      throw new InputError(path.join(modelDir, MODEL_FILE), `model was trained on bands [${want.join(',')}], ${data.manifestFile} has [${bands.join(',')}]`);
    }
    if (patchSize !== manifest.spec.patchSize) {
      throw new InputError(path.join(modelDir, MODEL_FILE), `model takes ${manifest.spec.patchSize}-pixel patches, ${data.manifestFile} has ${patchSize}`);
    }
    // Site backgrounds (input steps) come from all of a site's joined overpasses, labelled or
    // not, as in training and prediction.
    const steps = resolveInputSteps(manifest.input_steps ?? []);
    const evaluated = new Set(samples);
    const evaluatedSites = new Set(samples.map((s) => s.site.site_id));
    const pool = needsBackground(steps) ? sameGeometry(data.samples, bands, patchSize).filter((s) => evaluatedSites.has(s.site.site_id)) : samples;
    const stepped = stepPatches(pool, await loadPixels(pool, paths.tiles, undefined, options.readThreads ?? 1), bands, steps, backgroundQuantileOf(manifest)).filter((_, i) => evaluated.has(pool[i]!));
    const prepared = prepareSamples(samples, stepped, manifest.band_stats);
    const preds = predictPrepared(net, prepared, ctx);
    const trained = new Set(split.by === 'site' ? [...split.train_sites, ...split.val_sites] : []);
    const truth = options.truthFile ? readTruth(options.truthFile) : null;
    const truths = prepared.map((s) => s.truth);
    const smooth = (p: readonly SamplePrediction[]): EvaluationMetrics | null =>
      history ? evaluationMetrics(withSiteHistory(net, ctx, prepared, p, history), truths, manifest.tasks) : null;
    const smoothed = smooth(preds);
    const siteHistoryResult = smoothed
      ? { metrics: smoothed, shuffled: options.shuffleSeed === undefined ? null : smooth(predictPrepared(net, shuffleImagesWithinSites(prepared, options.shuffleSeed), ctx)) }
      : null;
    const c = scoreControls({ net, ctx, tasks: manifest.tasks, samples: prepared, baseline, shuffleSeed: options.shuffleSeed ?? null, truth, efs: ctx.efs });
    return {
      controls: c.controls,
      noiseFloorUnmatched: c.noise_floor_unmatched,
      metrics: evaluationMetrics(preds, truths, manifest.tasks),
      withSiteHistory: siteHistoryResult,
      report: data.report,
      manifest,
      seenSites: samples.filter((s) => trained.has(s.site.site_id)).length,
    };
  } finally {
    net.dispose();
  }
}
