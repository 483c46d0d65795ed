/**
 * `train()`: composes the parts (TorchGeo-style) and runs the loop. Builds the network from
 * the config, the weighting and physics strategies by name, splits by site or time,
 * normalises on the training split, then trains with validation every epoch, early stopping
 * and the best checkpoint kept (written to the model folder each time it improves, so a
 * killed run still leaves its best model).
 */
import { UsageError, optionText } from '../errors.js';
import { auxFeatureCount, computeAuxStats } from '../model/features.js';
import type { InputContext } from '../model/inputs.js';
import { disposeInputs, makeInputs } from '../model/inputs.js';
import { codeVersion, MODEL_FORMAT, MODEL_FORMAT_VERSION, saveModelFolder, type ModelManifest } from '../model/modelFolder.js';
import { Network } from '../model/network.js';
import { computeBandStats, type PatchPixels } from '../model/patchInput.js';
import { loadEmissionFactors, type EmissionFactors } from '../model/physics.js';
import { coolingClassOf, FUELS, PLUME_COOLINGS, type Fuel } from '../records/sites.js';
import type { TargetScale, TargetScales } from '../model/physicsModes/index.js';
import { predictPrepared, type SamplePrediction } from '../model/predictor.js';
import type { ModelSpec, Task } from '../model/spec.js';
import { augmentWind, pixelOrderOf, randomAugment } from './augment.js';
import type { TrainConfig } from './config.js';
import type { SelectionScore } from './selectionScores.js';
import { fitBaselineOn } from './controls/capacityBaselineControl.js';
import { fitSiteHistory } from '../model/siteHistory.js';
import { historyObservation } from './siteHistoryInputs.js';
import { hasAnyLabel, type Sample } from './dataset.js';
import { lossFloor } from './losses.js';
import { evaluationMetrics, type EvaluationMetrics, type Truth } from './metrics.js';
import { commonGeometry, loadPixels, prepareSamples, sameGeometry, stepPatches, type SteppedPatch, type TrainSample } from './prepare.js';
import { augmentationFreedom, BACKGROUND_QUANTILE, channelsAfter, needsBackground, resolveInputSteps } from '../model/inputSteps/index.js';
import { createRng, shuffled, type Rng } from './rng.js';
import { applySplit, makeSplit, type SplitAssignment } from './split.js';
import { FusedAdam } from './optimizer/fusedAdam.js';
import { ParallelSteps } from './parallel/parallelSteps.js';
import { trainStep, type StepResult } from './step.js';
import { disposeTargets, makeTargets } from './targets.js';
import { createWeighting, type StepContext, type TaskNumbers, type WeightingStrategy } from './weighting/index.js';

export interface EpochRecord {
  epoch: number;
  train_losses: TaskNumbers;
  weights: TaskNumbers;
  sigmas: TaskNumbers | null;
  penalty: number;
  val_score: number;
  val: EvaluationMetrics | null;
  seconds: number;
}

export interface TrainHooks {
  backend: string;
  /** Called with the total number of steps before the first one. */
  onStart?(totalSteps: number, info: { train: number; val: number; test: number }): void;
  onStep?(r: StepResult, epoch: number): void;
  onEpoch?(e: EpochRecord, improved: boolean): void;
  /** A remark for the user (e.g. why fewer threads are used than asked). */
  onNote?(message: string): void;
}

export interface TrainResult {
  manifest: ModelManifest;
  history: EpochRecord[];
  bestEpoch: number;
  stoppedEarly: boolean;
  split: SplitAssignment;
  /** Held-out test samples, normalised like training (for ablation without re-reading patches). */
  test: TrainSample[];
  net: Network;
  ctx: InputContext;
  /** Threads the training steps actually ran on (1 when asked for 1, or when the weighting needs one). */
  threads: number;
}

function scaleOf(values: number[]): TargetScale {
  if (values.length === 0) return { mean: 0, std: 1 };
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.reduce((a, b) => a + (b - m) * (b - m), 0) / values.length;
  return { mean: m, std: v > 1e-12 ? Math.sqrt(v) : Math.max(Math.abs(m), 1) };
}

/** Lower is better: BCE for activity, MAE / target std for regressions, summed over tasks. */
export function validationScore(m: EvaluationMetrics, bce: number | null, scales: TargetScales): number {
  let s = 0;
  if (bce !== null) s += bce;
  if (m.generation) s += m.generation.mae / scales.generation.std;
  if (m.co2) s += m.co2.mae / scales.co2.std;
  return s;
}

function meanBce(p: number[], y: boolean[]): number | null {
  if (y.length === 0) return null;
  const eps = 1e-6;
  return -y.reduce((a, yi, i) => a + (yi ? Math.log(Math.max(p[i]!, eps)) : Math.log(Math.max(1 - p[i]!, eps))), 0) / y.length;
}

/**
 * The factor on σ that makes 90 % of validation truths fall inside the 90 % intervals: the
 * 0.9 quantile of |error| / half-width, per task, bounded to [0.25, 4] so a tiny validation
 * split cannot blow intervals up or collapse them. Held-out plants are not used.
 */
export function calibrateIntervals(preds: readonly SamplePrediction[], val: readonly TrainSample[]): { generation: number; co2: number } {
  const factor = (ratios: number[]): number => {
    if (ratios.length < 10) return 1;
    const s = [...ratios].sort((a, b) => a - b);
    const q = s[Math.min(s.length - 1, Math.ceil(0.9 * s.length) - 1)]!;
    return Math.min(4, Math.max(0.25, q));
  };
  const ratios = (truth: (t: TrainSample) => number | null, pred: (p: SamplePrediction) => [number, number]): number[] =>
    val.flatMap((s, i) => {
      const y = truth(s);
      if (y === null) return [];
      const [m, h] = pred(preds[i]!);
      return h > 0 ? [Math.abs(y - m) / h] : [];
    });
  return {
    generation: factor(ratios((s) => s.truth.generation_mw, (p) => [p.generation_mw, p.generation_mw_half90])),
    co2: factor(ratios((s) => s.truth.co2_t_per_h, (p) => [p.co2_t_per_h, p.co2_t_per_h_half90])),
  };
}

/** Cosine decay from the configured rate to 5 % of it over the planned epochs. */
export function learningRateAt(base: number, epoch: number, epochs: number): number {
  const t = epochs > 1 ? epoch / (epochs - 1) : 0;
  return base * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t)));
}

/** The training data after the split, normalised with statistics of the training part. */
export interface PreparedData {
  /** The channels the network sees: the patches' bands, then what the input steps add. */
  bands: readonly string[];
  /** The patches' bands, as tiled. */
  inputBands: readonly string[];
  /** The input steps applied (model/inputSteps), in the order they ran. */
  inputSteps: readonly string[];
  patchSize: number;
  split: SplitAssignment;
  train: TrainSample[];
  val: TrainSample[];
  test: TrainSample[];
  bandStats: ReturnType<typeof computeBandStats>;
  ctx: InputContext;
}

/** Step 1: keeps labelled samples, splits them, reads their pixels and normalises on the training part. */
export async function prepareData(
  data: { samples: readonly Sample[]; tilesDir: string; manifestFile: string; pixelCache?: Map<string, PatchPixels> },
  config: TrainConfig,
  efs: EmissionFactors,
): Promise<PreparedData> {
  const usable = data.samples.filter((s) => hasAnyLabel(s, config.tasks));
  const { bands, patchSize } = commonGeometry(usable, data.manifestFile);
  const split = makeSplit(usable, { by: config.split_by, seed: config.seed, valFraction: config.val_fraction, testFraction: config.test_fraction, ...(config.cv_fold ? { fold: config.cv_fold } : {}), ...(config.max_train_sites !== undefined ? { maxTrainSites: config.max_train_sites } : {}) });
  const parts = applySplit(usable, split);
  if (parts.train.length === 0) throw new UsageError(`the training split is empty; add sites or lower ${optionText('val-fraction')}/${optionText('test-fraction')}`);
  // Input steps run over every joined sample at once, labelled or not: a site's background
  // comes from all of its overpasses in the tiles folder, whichever part they fall in, as at
  // prediction (images only; labels stay in their part).
  const steps = resolveInputSteps(config.input_steps);
  const channels = channelsAfter(steps, bands);
  const pool = needsBackground(steps) ? sameGeometry(data.samples, bands, patchSize) : usable;
  const stepped = stepPatches(pool, await loadPixels(pool, data.tilesDir, data.pixelCache, config.threads ?? 1), bands, steps, BACKGROUND_QUANTILE);
  const indexOf = new Map(pool.map((s, i) => [s, i]));
  const patchesOf = (part: readonly Sample[]): SteppedPatch[] => part.map((s) => stepped[indexOf.get(s)!]!);
  const bandStats = computeBandStats(patchesOf(parts.train).map((p) => p.pixels), channels);
  const train = prepareSamples(parts.train, patchesOf(parts.train), bandStats);
  const val = prepareSamples(parts.val, patchesOf(parts.val), bandStats);
  const test = prepareSamples(parts.test, patchesOf(parts.test), bandStats);
  const ctx: InputContext = {
    patchSize,
    channels: channels.length,
    auxStats: computeAuxStats(train.map((s) => s.aux)),
    auxFeatures: auxFeatureCount(config.cooling_input ?? false),
    efs,
    scales: {
      generation: scaleOf(train.flatMap((s) => (s.truth.generation_mw === null ? [] : [s.truth.generation_mw]))),
      co2: scaleOf(train.flatMap((s) => (s.truth.co2_t_per_h === null ? [] : [s.truth.co2_t_per_h]))),
    },
  };
  return { bands: channels, inputBands: bands, inputSteps: steps.map((x) => x.name), patchSize, split, train, val, test, bandStats, ctx };
}

/**
 * Step 2: the network's shape from the config's architecture and the prepared inputs'
 * geometry: bands, patch size and the aux vector's length (the input context's, set once in
 * prepareData from the config's cooling_input).
 */
export function buildSpec(config: TrainConfig, bandCount: number, patchSize: number, auxFeatures: number): ModelSpec {
  const a = config.architecture;
  const stemStride = a.stem_stride ?? 1;
  const depth = 2 ** a.stage_widths.length * stemStride;
  if (patchSize % depth !== 0) throw new Error(`patch size ${patchSize} must be divisible by ${depth} (stem stride ${stemStride}, ${a.stage_widths.length} stride-2 stages)`);
  // GradNorm balances the tasks' gradient norms on the last shared layer, which only activity
  // reaches when the trunk is trained by activity alone: its weights would mean nothing.
  if (a.trunk_tasks === 'activity' && config.weighting === 'gradnorm') {
    throw new UsageError(`weighting gradnorm needs a trunk every task trains (${optionText('trunk-tasks')} all): with activity alone only one task reaches the shared layer it balances`);
  }
  if (config.selection === 'plume_activity' && !config.tasks.includes('activity')) {
    throw new UsageError(`${optionText('selection')} plume_activity scores the activity task, which this model does not learn (tasks: ${config.tasks.join(', ')})`);
  }
  if (a.trunk_tasks === 'activity' && !config.tasks.includes('activity')) {
    throw new UsageError(`${optionText('trunk-tasks')} activity needs the activity task: without it nothing would train the trunk (tasks: ${config.tasks.join(', ')})`);
  }
  return {
    bandCount,
    patchSize,
    auxFeatures,
    stemWidth: a.stem_width,
    stemStride: stemStride,
    stageWidths: [...a.stage_widths],
    blocksPerStage: a.blocks_per_stage,
    hidden: a.hidden,
    likelihood: config.likelihood,
    physics: config.physics,
    // Recorded only when it changes the network, so a default model.json reads as before.
    ...(a.trunk_tasks === 'activity' ? { trunkTasks: a.trunk_tasks } : {}),
  };
}

/** Training steps on a batch: in this thread (threads 1) or data-parallel over workers. */
interface Steps {
  learningRate: number;
  readonly threads: number;
  step(batch: readonly TrainSample[], ctx: StepContext): Promise<StepResult>;
  /** Makes the main thread's network hold the trained parameters (before validating or saving). */
  syncNetwork(): void;
  close(): Promise<void>;
}

/**
 * `config.threads` (default 1) workers, or this thread. GradNorm measures per-task gradient
 * norms on the whole batch between steps, which the shards do not compute, so it trains here.
 */
async function startSteps(net: Network, weighting: WeightingStrategy, config: TrainConfig, ctx: InputContext, hooks: TrainHooks): Promise<Steps> {
  const threads = Math.min(config.threads ?? 1, config.batch_size);
  if (threads > 1 && weighting.needsSharedGradNorms) hooks.onNote?.(`weighting '${weighting.name}' trains on 1 thread (it needs whole-batch gradient norms between steps)`);
  if (threads > 1 && !weighting.needsSharedGradNorms) {
    return ParallelSteps.start({ net, seed: config.seed, tasks: config.tasks, likelihood: config.likelihood, weighting: config.weighting, weightingOptions: config.weighting_options, ctx, learningRate: config.learning_rate, threads, maxBatch: config.batch_size });
  }
  const optimizer = new FusedAdam(net.store.list(), config.learning_rate);
  return {
    threads: 1,
    get learningRate() {
      return optimizer.learningRate;
    },
    set learningRate(v: number) {
      optimizer.learningRate = v;
    },
    step: async (batch, stepCtx) => {
      const inputs = makeInputs(batch, ctx);
      const y = makeTargets(batch.map((x) => x.truth));
      try {
        return trainStep({ net, weighting, optimizer, tasks: config.tasks, likelihood: config.likelihood }, inputs, y, stepCtx);
      } finally {
        disposeInputs(inputs);
        disposeTargets(y);
      }
    },
    syncNetwork: () => undefined,
    close: async () => optimizer.dispose(),
  };
}

/** What one epoch needs and keeps between epochs. */
interface EpochState {
  net: Network;
  weighting: WeightingStrategy;
  steps: Steps;
  rng: Rng;
  config: TrainConfig;
  data: PreparedData;
  /** Mean task losses of the epochs so far (DWA and GradNorm read them). */
  lossHistory: TaskNumbers[];
  floor: ReturnType<typeof lossFloor>;
  hooks: TrainHooks;
}

/** Step 3: one pass over the shuffled (and augmented) training part; the mean loss per task. */
export async function runEpoch(s: EpochState, epoch: number): Promise<{ means: TaskNumbers; last: StepResult | null }> {
  const { config, data } = s;
  if (config.lr_schedule === 'cosine') s.steps.learningRate = learningRateAt(config.learning_rate, epoch, config.epochs);
  const order = shuffled(data.train, s.rng);
  const sums: TaskNumbers = {};
  let steps = 0;
  let last: StepResult | null = null;
  const freedom = augmentationFreedom(resolveInputSteps(data.inputSteps));
  for (let b = 0; b < order.length; b += config.batch_size) {
    const batch = order.slice(b, b + config.batch_size).map((x) => {
      if (!config.augment) return x;
      // The turn is applied as the image is written into the batch (model/patchImage.ts).
      const op = randomAugment(s.rng, freedom);
      const wind = augmentWind({ u: x.aux.wind_u, v: x.aux.wind_v }, op);
      return { ...x, image: x.image.reordered(pixelOrderOf(op, data.patchSize)), aux: { ...x.aux, wind_u: wind.u, wind_v: wind.v } };
    });
    last = await s.steps.step(batch, { epoch, step: steps, history: s.lossHistory, lossFloor: s.floor });
    for (const t of config.tasks) sums[t] = (sums[t] ?? 0) + last.losses[t]!;
    steps++;
    s.hooks.onStep?.(last, epoch);
  }
  s.steps.syncNetwork();
  const means: TaskNumbers = Object.fromEntries(config.tasks.map((t) => [t, sums[t]! / Math.max(steps, 1)]));
  return { means, last };
}

/**
 * Step 4: the score early stopping minimises (lower is better) and the validation metrics;
 * without a validation part, the summed training loss.
 */
export function validate(net: Network, data: PreparedData, tasks: readonly Task[], means: TaskNumbers, selection: SelectionScore = 'all_tasks'): { score: number; metrics: EvaluationMetrics | null } {
  const { val, ctx } = data;
  if (val.length === 0) return { score: tasks.reduce((a, t) => a + means[t]!, 0), metrics: null };
  const preds = predictPrepared(net, val, ctx);
  const truths = val.map((s) => s.truth);
  const metrics = evaluationMetrics(preds, truths, tasks);
  return { score: selectionScoreOf(selection, preds, truths, metrics, ctx.scales), metrics };
}

/** An overpass `plume_activity` selection scores: labelled, at a plant whose cooling can show a plume. */
function scoredByPlumeActivity(t: Truth): boolean {
  return t.active !== null && coolingClassOf(t.technology) === 'plume';
}

/**
 * The validation score of TrainConfig.selection (lower is better). `plume_activity`: the
 * activity log-loss on overpasses of plants whose cooling can show a plume; where the
 * validation part has no labelled such overpass, the log-loss over all of them stands in.
 * `metrics` are those of `preds` against `truths` (null activity: a model without the task).
 */
export function selectionScoreOf(selection: SelectionScore, preds: readonly SamplePrediction[], truths: readonly Truth[], metrics: EvaluationMetrics, scales: TargetScales): number {
  const activityLoss = (keep: (t: Truth) => boolean): number | null => {
    const act = truths.flatMap((t, i) => {
      const p = preds[i];
      return t.active !== null && p !== undefined && keep(t) ? [[t.active, p.p_on] as const] : [];
    });
    return meanBce(act.map(([, p]) => p), act.map(([y]) => y));
  };
  if (selection === 'plume_activity') {
    const score = activityLoss(scoredByPlumeActivity) ?? activityLoss(() => true);
    if (score !== null) return score;
  }
  const bce = metrics.activity !== null ? activityLoss(() => true) : null;
  return validationScore(metrics, bce, scales);
}

/** Step 5: the model folder's manifest (without weights) for the best epoch so far. */
export function modelManifest(o: {
  outDir: string;
  config: TrainConfig;
  backend: string;
  spec: ModelSpec;
  data: PreparedData;
  efs: EmissionFactors;
  history: readonly EpochRecord[];
  /** Index into history; -1 before an epoch improved. */
  bestEpoch: number;
}): Omit<ModelManifest, 'weights'> {
  const { config, data, history, bestEpoch } = o;
  const baseline = fitBaselineOn(data.train, Object.fromEntries(FUELS.map((f) => [f, o.efs[f].median])));
  return {
    format: MODEL_FORMAT,
    format_version: MODEL_FORMAT_VERSION,
    id: `${o.outDir.split(/[\\/]/).filter(Boolean).pop() ?? 'model'}-${config.seed}`,
    created: new Date().toISOString(),
    code_version: codeVersion(),
    backend: o.backend,
    spec: o.spec,
    tasks: [...config.tasks],
    physics: config.physics,
    weighting: {
      name: config.weighting,
      options: { ...config.weighting_options },
      final_weights: Object.fromEntries(Object.entries(history[bestEpoch]?.weights ?? {})) as Record<string, number>,
      sigmas: (history[bestEpoch]?.sigmas ?? null) as Record<string, number> | null,
    },
    band_stats: data.bandStats,
    ...(data.inputSteps.length > 0 ? { input_steps: [...data.inputSteps], input_bands: [...data.inputBands] } : {}),
    ...(needsBackground(resolveInputSteps(data.inputSteps)) ? { background_quantile: BACKGROUND_QUANTILE } : {}),
    aux_stats: data.ctx.auxStats,
    target_scales: data.ctx.scales,
    ...(data.ctx.intervalScale ? { interval_scale: data.ctx.intervalScale } : {}),
    emission_factors: Object.fromEntries(FUELS.map((f) => [f, o.efs[f].median])) as Record<Fuel, number>,
    config: JSON.parse(JSON.stringify(config)) as Record<string, unknown>,
    splits: JSON.parse(JSON.stringify(data.split)) as Record<string, unknown>,
    capacity_baseline: baseline,
    site_history: fitSiteHistory(data.train.map(historyObservation), baseline),
    val_metrics: (history[bestEpoch]?.val ?? {}) as unknown as Record<string, unknown>,
    history: history.map((h) => ({ ...h, val: h.val ? { activity: h.val.activity, generation: h.val.generation, co2: h.val.co2 } : null })),
  };
}

/**
 * Trains with validation every epoch, early stopping and the best checkpoint kept (written
 * each time it improves, so a killed run still leaves its best model), then calibrates the
 * intervals on the validation part and writes the final model folder.
 */
export async function train(
  input: { samples: readonly Sample[]; tilesDir: string; manifestFile: string; pixelCache?: Map<string, PatchPixels> },
  config: TrainConfig,
  outDir: string,
  hooks: TrainHooks,
  efs: EmissionFactors = loadEmissionFactors(),
): Promise<TrainResult> {
  const data = await prepareData(input, config, efs);
  const spec = buildSpec(config, data.bands.length, data.patchSize, data.ctx.auxFeatures);
  if (config.selection === 'plume_activity' && data.val.length > 0 && !data.val.some((s) => scoredByPlumeActivity(s.truth))) {
    hooks.onNote?.(
      `selection plume_activity: no validation plant whose cooling can show a plume (sites' technology ${PLUME_COOLINGS.join(', ')}) has an activity label; ` +
        'epochs are selected by the activity log-loss over all validation overpasses',
    );
  }
  const net = new Network(spec, config.seed);
  const weighting = createWeighting(config.weighting, config.tasks, config.weighting_options);
  weighting.declare(net.store);
  const steps = await startSteps(net, weighting, config, data.ctx, hooks);
  const threads = steps.threads;
  const state: EpochState = { net, weighting, steps, rng: createRng(config.seed * 31 + 1), config, data, lossHistory: [], floor: lossFloor(config.likelihood), hooks };
  hooks.onStart?.(Math.ceil(data.train.length / config.batch_size) * config.epochs, { train: data.train.length, val: data.val.length, test: data.test.length });

  const history: EpochRecord[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = -1;
  let bestSnap: Map<string, Float32Array> | null = null;
  let stale = 0;
  let stoppedEarly = false;
  const manifestNow = (): Omit<ModelManifest, 'weights'> => modelManifest({ outDir, config, backend: hooks.backend, spec, data, efs, history, bestEpoch });
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const t0 = Date.now();
      const { means, last } = await runEpoch(state, epoch);
      state.lossHistory.push(means);
      const { score, metrics } = validate(net, data, config.tasks, means, config.selection);
      const rec: EpochRecord = {
        epoch: epoch + 1,
        train_losses: means,
        weights: last?.weights ?? {},
        sigmas: last?.sigmas ?? null,
        penalty: last?.penalty ?? 0,
        val_score: score,
        val: metrics,
        seconds: (Date.now() - t0) / 1000,
      };
      history.push(rec);
      // `checkpoint: last` keeps the final epoch (a count chosen by cross-validation) instead of
      // the best on a handful of validation plants, whose noise can pick an untrained epoch.
      const improved = config.checkpoint === 'last' || score < best;
      if (improved) {
        best = score;
        bestEpoch = epoch;
        bestSnap = net.store.snapshot();
        stale = 0;
        await saveModelFolder(outDir, manifestNow(), net.store);
      } else stale++;
      hooks.onEpoch?.(rec, improved);
      if (config.checkpoint !== 'last' && stale >= config.patience) {
        stoppedEarly = epoch + 1 < config.epochs;
        break;
      }
    }
  } finally {
    await steps.close();
  }
  if (bestSnap) net.store.restore(bestSnap);
  if (data.val.length > 0) data.ctx.intervalScale = calibrateIntervals(predictPrepared(net, data.val, data.ctx), data.val);
  const manifest = await saveModelFolder(outDir, manifestNow(), net.store);
  return { manifest, history, bestEpoch: bestEpoch + 1, stoppedEarly, split: data.split, test: data.test, net, ctx: data.ctx, threads };
}
