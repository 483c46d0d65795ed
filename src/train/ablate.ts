/**
 * `co2sat ablate`: the experiment the issue asks for. On one synthetic world, trains
 * single-task models for each task, MTL with equal weights, MTL with uncertainty weighting,
 * and MTL uncertainty with soft and with hard physics, each over several seeds (the seed
 * also draws the site split), and scores every model on its held-out plants. Beside each
 * model the controls (controls/index.ts) are scored on the same samples: the capacity-aware
 * baseline, the model fed shuffled images, and the world's noise floor (truth.json), so each
 * row can be read against no image, an uninformative image and the best a per-sample
 * model could do.
 */
import path from 'node:path';
import type { PatchPixels } from '../model/patchInput.js';
import { loadEmissionFactors, type EmissionFactors } from '../model/physics.js';
import { isFuel } from '../records/sites.js';
import { predictPrepared, type SamplePrediction } from '../model/predictor.js';
import { withSiteHistory } from './siteHistoryInputs.js';
import { naiveBrightnessScores, noiseFloor, sitePriorScores, type ScoredSample } from '../synth/scores.js';
import { readTruth, type TaskScores, type TruthDocument, type TruthSampleRecord, type TruthSite } from '../records/truth.js';
import { withDefaults, type TrainConfig } from './config.js';
import type { Sample } from './dataset.js';
import { evaluationMetrics, type EvaluationMetrics } from './metrics.js';
import { scoreControls, shuffleImagesWithinSites, type Controls } from './controls/index.js';
import { train } from './trainer.js';
import { ABLATION_VARIANTS, selectionFor, trunkTasksFor, type AblationVariant } from './ablationVariants.js';
import type { SelectionScore } from './selectionScores.js';
import type { TrunkTasks } from '../model/spec.js';

export { ABLATION_VARIANTS, PLUME_INPUTS, type AblationVariant } from './ablationVariants.js';

export interface AblationRun {
  variant: string;
  seed: number;
  /** The --train-plants limit this run trained under (null: all of its split's training plants). */
  train_plants_limit: number | null;
  /** Plants it actually trained on. */
  train_plants: number;
  /** Which losses trained the trunk (ablationVariants.ts trunkTasksFor). */
  trunk_tasks: TrunkTasks;
  /** The validation score its epoch was selected by (ablationVariants.ts selectionFor). */
  selection: SelectionScore;
  metrics: EvaluationMetrics;
  test_sites: string[];
  epochs_run: number;
  best_epoch: number;
  seconds: number;
  sigmas: Record<string, number> | null;
  /** The learned σ_t after each epoch (uncertainty weighting only; null otherwise). */
  sigma_history: Record<string, number>[] | null;
  /**
   * The same metrics on the same held-out samples for the capacity-aware baseline (fitted on
   * this run's training plants), this model with each site's images shuffled among its own
   * overpasses (seeded by the run's seed), and the world's noise floor (with truth.json).
   */
  controls: Controls;
  /**
   * The model's estimates combined over each held-out plant's overpasses (model/siteHistory.ts,
   * kernels fitted on this run's training plants), and the same with images shuffled.
   */
  with_site_history: { metrics: EvaluationMetrics; shuffled: EvaluationMetrics } | null;
}

export interface FloorRow {
  seed?: number;
  /** On the seed's held-out plants. */
  noise_floor: TaskScores;
  site_prior: TaskScores;
  naive_brightness: TaskScores;
  /** truth.json's whole-world figures. */
  world_noise_floor: TaskScores | null;
}

export interface AblationResult {
  runs: AblationRun[];
  /** One row per seed (each seed holds out other plants). */
  floors: FloorRow[];
  mean_capacity_mw: number;
  samples: number;
  sites: number;
  /** Runs the ablation was asked for (more than runs.length while it is still going). */
  planned_runs: number;
  /** k of a grouped k-fold cross-validation (each seed is one fold), or null for seeded splits. */
  folds: number | null;
}

/** What the reference rows need of truth.json (tests build it by hand). */
export interface TruthForFloors {
  sites: readonly Pick<TruthSite, 'site_id' | 'fuel'>[];
  samples: readonly Pick<TruthSampleRecord, 'site_id' | 'active' | 'generation_mw' | 'co2_t_per_h' | 'observable' | 'brightness_near_stack'>[];
  noise_floor?: TruthDocument['noise_floor'];
}

/** The world's reference scores restricted to the given plants. */
export function floorFor(truth: TruthForFloors, sites: ReadonlySet<string>, efs: EmissionFactors): FloorRow {
  const fuel = new Map(truth.sites.map((s) => [s.site_id, s.fuel]));
  const scored: ScoredSample[] = truth.samples
    .filter((s) => sites.has(s.site_id))
    .map((s) => {
      const f = fuel.get(s.site_id);
      return {
        siteId: s.site_id,
        active: s.active,
        generationMW: s.generation_mw,
        co2TPerH: s.co2_t_per_h,
        fuelEfTPerMWh: isFuel(f) ? efs[f].median : 1,
        observable: s.observable,
        brightness: s.brightness_near_stack,
      };
    });
  const { observable_fraction: _o, ...nf } = noiseFloor(scored);
  return { noise_floor: nf, site_prior: sitePriorScores(scored), naive_brightness: naiveBrightnessScores(scored), world_noise_floor: truth.noise_floor ?? null };
}

function floorsFor(truth: TruthForFloors, heldOut: ReadonlyMap<number, string[]>, efs: EmissionFactors): FloorRow[] {
  return [...heldOut.entries()].map(([seed, sites]) => ({ seed, ...floorFor(truth, new Set(sites), efs) }));
}

export interface AblationOptions {
  samples: readonly Sample[];
  tilesDir: string;
  manifestFile: string;
  truthFile: string | null;
  modelsDir: string;
  seeds: readonly number[];
  base: Partial<TrainConfig>;
  backend: string;
  variants?: readonly AblationVariant[];
  /**
   * Grouped k-fold cross-validation over plants: seed i trains on fold i of k (split.ts), so
   * the held-out plants of the k seeds partition the world; absent = seeded random splits.
   */
  folds?: number;
  /**
   * Learning curves: also train every variant and seed on only this many of its training
   * plants (same validation and held-out plants), besides the run on all of them.
   */
  trainPlants?: readonly number[];
  onRun?(variant: AblationVariant, seed: number, index: number, total: number, trainPlants: number | null): void;
  /** After each run, with the results so far (so a report can be rewritten as runs finish). */
  onDone?(run: AblationRun, soFar: AblationResult): void | Promise<void>;
}

export async function runAblation(o: AblationOptions): Promise<AblationResult> {
  const efs = loadEmissionFactors();
  const variants = o.variants ?? ABLATION_VARIANTS;
  const cache = new Map<string, PatchPixels>();
  const runs: AblationRun[] = [];
  const heldOut = new Map<number, string[]>();
  // Whole-data runs first (the main table fills before the learning curve), then each limit.
  const limits: (number | null)[] = [null, ...[...new Set(o.trainPlants ?? [])].sort((a, b) => a - b)];
  const total = variants.length * o.seeds.length * limits.length;
  const truth = o.truthFile ? readTruth(o.truthFile) : null;
  const caps = o.samples.map((s) => s.site.capacity_mw);
  const result = (): AblationResult => ({
    runs: [...runs],
    floors: truth ? floorsFor(truth, heldOut, efs) : [],
    mean_capacity_mw: caps.reduce((a, b) => a + b, 0) / Math.max(caps.length, 1),
    samples: o.samples.length,
    sites: new Set(o.samples.map((s) => s.site.site_id)).size,
    planned_runs: total,
    folds: o.folds ?? null,
  });
  let k = 0;
  for (const limit of limits) {
    for (const seed of o.seeds) {
      for (const v of variants) {
        o.onRun?.(v, seed, k++, total, limit);
        const t0 = Date.now();
        const trunkTasks = trunkTasksFor(v, o.base.architecture?.trunk_tasks);
        const selection = selectionFor(v, o.base.selection);
        const config = withDefaults({
          ...o.base,
          tasks: v.tasks,
          weighting: v.weighting,
          physics: v.physics,
          seed,
          input_steps: v.input_steps ?? o.base.input_steps ?? [],
          cooling_input: v.cooling_input ?? o.base.cooling_input ?? false,
          architecture: { ...withDefaults(o.base).architecture, trunk_tasks: trunkTasks },
          selection,
          ...(o.folds ? { cv_fold: { k: o.folds, index: seed } } : {}),
          ...(limit !== null ? { max_train_sites: limit } : {}),
        });
        const r = await train({ samples: o.samples, tilesDir: o.tilesDir, manifestFile: o.manifestFile, pixelCache: cache }, config, path.join(o.modelsDir, `${v.slug}-s${seed}${limit !== null ? `-p${limit}` : ''}`), {
          backend: o.backend,
        });
        const preds = predictPrepared(r.net, r.test, r.ctx);
        const { controls } = scoreControls({ net: r.net, ctx: r.ctx, tasks: v.tasks, samples: r.test, baseline: r.manifest.capacity_baseline ?? null, shuffleSeed: seed, truth, efs });
        const history = r.manifest.site_history;
        const truths = r.test.map((s) => s.truth);
        const smooth = (p: readonly SamplePrediction[]): EvaluationMetrics | null =>
          history ? evaluationMetrics(withSiteHistory(r.net, r.ctx, r.test, p, history), truths, v.tasks) : null;
        const smoothed = smooth(preds);
        const smoothedShuffled = smoothed ? smooth(predictPrepared(r.net, shuffleImagesWithinSites(r.test, seed), r.ctx)) : null;
        r.net.dispose();
        heldOut.set(seed, r.split.test_sites);
        const trainPlants = r.split.train_sites.length;
        const best = r.history[r.bestEpoch - 1];
        const run: AblationRun = {
          variant: v.name,
          seed,
          train_plants_limit: limit,
          train_plants: trainPlants,
          trunk_tasks: trunkTasks,
          selection,
          metrics: evaluationMetrics(preds, r.test.map((s) => s.truth), v.tasks),
          test_sites: r.split.test_sites,
          epochs_run: r.history.length,
          best_epoch: r.bestEpoch,
          seconds: (Date.now() - t0) / 1000,
          sigmas: (best?.sigmas ?? null) as Record<string, number> | null,
          sigma_history: r.history.every((h) => h.sigmas) ? r.history.map((h) => ({ ...h.sigmas }) as Record<string, number>) : null,
          controls,
          with_site_history: smoothed && smoothedShuffled ? { metrics: smoothed, shuffled: smoothedShuffled } : null,
        };
        runs.push(run);
        await o.onDone?.(run, result());
      }
    }
  }
  return result();
}
