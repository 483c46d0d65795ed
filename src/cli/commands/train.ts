/**
 * `co2sat train`: fits the physics-guided multi-task model on tiled patches and labels and
 * writes a self-describing model folder. Parses options, calls train(), prints.
 */
import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { action, positiveInt, requireOption, withGlobals } from '../command.js';
import { UsageError } from '../../errors.js';
import type { Output } from '../output.js';
import { addBackendOptions, addDataOptions, tableOptionsOf, type TableFlags } from '../dataOptions.js';
import type { TrainConfig } from '../../train/config.js';
import type { JoinReport } from '../../train/dataset.js';
import type { TrainHooks, TrainResult } from '../../train/trainer.js';
import { PHYSICS_NAMES } from '../../model/physicsModes/names.js';
import { INPUT_STEP_NAMES } from '../../model/inputSteps/names.js';
import { TRUNK_TASKS, type TrunkTasks } from '../../model/spec.js';
import { WEIGHTING_NAMES } from '../../train/weighting/names.js';
import { SELECTION_SCORES, type SelectionScore } from '../../train/selectionScores.js';

interface TrainOptions extends TableFlags {
  tiles?: string;
  labels?: string;
  weather?: string;
  sites?: string;
  out?: string;
  weighting?: string;
  physics?: string;
  tasks?: string;
  likelihood?: string;
  epochs?: number;
  batch?: number;
  seed?: number;
  lr?: number;
  patience?: number;
  split?: string;
  minValid?: number;
  augment?: boolean;
  inputSteps?: string[];
  coolingInput?: boolean;
  checkpoint?: string;
  selection?: SelectionScore;
  trunkTasks?: TrunkTasks;
  config?: string;
  trainConfig?: string;
  backend?: string;
  threads?: number;
}

function fmt(n: number | undefined | null, d = 3): string {
  return n === undefined || n === null || !Number.isFinite(n) ? '–' : n.toFixed(d);
}

async function run(out: Output, o: TrainOptions): Promise<void> {
  const { loadConfig } = await import('../../records/runConfig.js');
  const { selectBackend, describeBackend, parseBackendChoice } = await import('../../backend/index.js');
  const { resolveTrainConfig } = await import('../../train/config.js');
  const { readTrainConfigFile } = await import('../../train/trainConfigFile.js');
  const { loadData } = await import('../../train/loadData.js');
  const { describeJoin } = await import('../../train/dataset.js');
  const { train } = await import('../../train/trainer.js');
  const { TrainingDivergedError } = await import('../../train/step.js');

  const paths = {
    tiles: requireOption(o.tiles, '--tiles'),
    labels: requireOption(o.labels, '--labels'),
    weather: o.weather,
    sites: requireOption(o.sites, '--sites'),
    ...tableOptionsOf(o),
  };
  const outDir = requireOption(o.out, '--out');
  const run = loadConfig(o.config);
  const fileCfg = o.trainConfig ? readTrainConfigFile(o.trainConfig) : {};
  const config = resolveTrainConfig(
    {
      weighting: o.weighting,
      physics: o.physics,
      tasks: o.tasks,
      likelihood: o.likelihood,
      split: o.split,
      epochs: o.epochs,
      batch: o.batch,
      seed: o.seed,
      learningRate: o.lr,
      patience: o.patience,
      minValidFraction: o.minValid,
      augment: o.augment,
      checkpoint: o.checkpoint,
      ...(o.selection !== undefined ? { selection: o.selection } : {}),
      ...(o.trunkTasks !== undefined ? { trunkTasks: o.trunkTasks } : {}),
      // --threads wins, then the file's `threads`, then every core (same results, less wall time).
      ...(o.threads !== undefined ? { threads: o.threads } : fileCfg.threads === undefined ? { threads: availableParallelism() } : {}),
      ...(o.coolingInput !== undefined ? { coolingInput: o.coolingInput } : {}),
      ...(o.inputSteps ? { inputSteps: o.inputSteps.flatMap((v) => v.split(',')).filter((v) => v !== '') } : {}),
    },
    fileCfg,
    run.train,
  );

  const backend = await selectBackend(parseBackendChoice(o.backend ?? run.backend));
  out.info(`backend: ${describeBackend(backend)}`);
  const data = loadData(paths, config.min_valid_fraction);
  out.info(`data: ${describeJoin(data.report)}`);
  if (data.report.labelsUnknownSite > 0) out.warn(`${paths.labels}: ${data.report.labelsUnknownSite} labels for sites not in ${paths.sites} (ignored)`);
  if (data.report.labelsWithoutPatch > 0) out.warn(`${paths.labels}: ${data.report.labelsWithoutPatch} labels have no patch in ${paths.tiles} (ignored)`);

  const progress = trainProgress(out, config, backend.name);
  let result;
  try {
    result = await train({ samples: data.samples, tilesDir: paths.tiles, manifestFile: data.manifestFile }, config, outDir, progress.hooks);
  } catch (e) {
    if (e instanceof TrainingDivergedError) throw new UsageError(`${e.message}; the last best checkpoint (if one was written) is in ${outDir}`);
    throw e;
  } finally {
    progress.finish();
  }
  result.net.dispose();
  const { summary, text } = trainSummary(result, config, { outDir, backend: backend.name, data: data.report });
  out.result(summary, text);
}

/** Progress while training: a bar on a terminal (losses, σ_t per step), one line per epoch elsewhere. */
function trainProgress(out: Output, config: TrainConfig, backend: string): { hooks: TrainHooks; finish(): void } {
  let bar: ReturnType<Output['progress']> | null = null;
  const hooks: TrainHooks = {
    backend,
    onNote: (message) => out.info(message),
    onStart: (total, n) => {
      out.info(`training on ${n.train} patches, validating on ${n.val}, holding out ${n.test} (split by ${config.split_by}; ${config.threads ?? 1} thread${(config.threads ?? 1) === 1 ? '' : 's'} asked)`);
      bar = out.progress('train', total);
    },
    onStep: (r, epoch) => {
      const parts = config.tasks.map((t) => `${t.slice(0, 3)} ${fmt(r.losses[t], 3)}${r.sigmas ? ` σ ${fmt(r.sigmas[t], 2)}` : ` w ${fmt(r.weights[t], 2)}`}`);
      bar?.tick(1, `ep ${epoch + 1} ${parts.join(' | ')}`);
    },
    onEpoch: (e, improved) => {
      const v = e.val;
      const msg = [
        `epoch ${e.epoch}`,
        ...config.tasks.map((t) => `${t} ${fmt(e.train_losses[t])}`),
        v?.activity ? `val acc ${fmt(v.activity.accuracy)}` : '',
        v?.generation ? `val gen MAE ${fmt(v.generation.mae, 1)} MW` : '',
        v?.co2 ? `val CO2 MAE ${fmt(v.co2.mae, 1)} t/h` : '',
        improved ? '(best, saved)' : '',
      ].filter((s) => s.length > 0);
      // On a terminal the bar carries the losses and σ_t; elsewhere (logs, CI) one line per epoch.
      if (process.stderr.isTTY && !out.verbose) out.debug(msg.join('  '));
      else out.info(msg.join('  '));
    },
  };
  return { hooks, finish: () => (bar as ReturnType<Output['progress']> | null)?.finish() };
}

/** The `--json` summary of a finished training and its text form. */
function trainSummary(result: TrainResult, config: TrainConfig, ctx: { outDir: string; backend: string; data: JoinReport }): { summary: Record<string, unknown>; text: string } {
  const best = result.history[result.bestEpoch - 1];
  const summary = {
    model: ctx.outDir,
    backend: ctx.backend,
    tasks: config.tasks,
    weighting: config.weighting,
    physics: config.physics,
    threads: result.threads,
    epochs_run: result.history.length,
    best_epoch: result.bestEpoch,
    stopped_early: result.stoppedEarly,
    sigmas: best?.sigmas ?? null,
    weights: best?.weights ?? null,
    val: best?.val ? { activity: best.val.activity, generation: best.val.generation, co2: best.val.co2, n: best.val.n } : null,
    data: ctx.data,
    split: { by: result.split.by, train_sites: result.split.train_sites.length, val_sites: result.split.val_sites.length, test_sites: result.split.test_sites.length },
  };
  const lines = [
    `model written to ${ctx.outDir} (backend ${ctx.backend}, ${result.threads} thread${result.threads === 1 ? '' : 's'}, ${summary.epochs_run} epochs, best ${summary.best_epoch}${summary.stopped_early ? ', stopped early' : ''})`,
    best?.val?.activity ? `  activity    val accuracy ${fmt(best.val.activity.accuracy)}  F1 ${fmt(best.val.activity.f1)}  AUC ${fmt(best.val.activity.auc)}` : '',
    best?.val?.generation ? `  generation  val MAE ${fmt(best.val.generation.mae, 1)} MW (${fmt(best.val.generation.mae_pct_capacity, 1)} % of capacity)` : '',
    best?.val?.co2 ? `  co2         val MAE ${fmt(best.val.co2.mae, 1)} t/h` : '',
    best?.sigmas ? `  learned σ_t ${Object.entries(best.sigmas).map(([t, s]) => `${t} ${fmt(s, 3)}`).join(', ')}` : '',
  ].filter((l) => l.length > 0);
  return { summary, text: lines.join('\n') };
}

export async function trainCommand(): Promise<Command> {
  const cmd = new Command('train')
    .summary('train the physics-guided multi-task model on tiled patches into models/NAME')
    .description(
      'Train the physics-guided multi-task model (activity, generation, CO2) on tiled patches.\n' +
        'Splits by site (or time) so held-out plants stay unseen, validates every epoch, stops\n' +
        'early and keeps the best checkpoint in a self-describing model folder.',
    );
  addDataOptions(cmd);
  cmd
    .option('--out <dir>', 'model folder to write (model.json + weights.bin)')
    .option('--weighting <name>', `task weighting: ${WEIGHTING_NAMES.join('|')} (default from config: uncertainty)`)
    .option('--physics <mode>', `physics: ${PHYSICS_NAMES.join('|')} (default from config: hard)`)
    .option('--tasks <list>', 'comma-separated subset of activity,generation,co2 (single-task baselines)')
    .addOption(new Option('--likelihood <name>', 'per-sample regression likelihood').choices(['gaussian', 'laplace']))
    .option('--epochs <n>', 'maximum epochs', positiveInt('--epochs'))
    .option('--batch <n>', 'batch size', positiveInt('--batch'))
    .option('--seed <n>', 'seed for split, initialisation, shuffling and augmentation', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new UsageError(`--seed must be an integer, got '${v}'`);
      return n;
    })
    .option('--lr <rate>', 'Adam learning rate (default 0.002)', (v) => {
      const n = Number(v);
      if (!(n > 0 && n < 1)) throw new UsageError(`--lr must be in (0, 1), got '${v}'`);
      return n;
    })
    .option('--patience <n>', 'epochs without validation improvement before stopping (default 8)', positiveInt('--patience'))
    .option('--checkpoint <which>', "epoch the model keeps: 'best' on the validation plants (default, early stopping) or 'last' (run all --epochs, e.g. a count chosen by ablate --folds)")
    .addOption(
      new Option(
        '--selection <score>',
        "what 'best' means, for early stopping and the checkpoint kept: 'all_tasks' (default: activity log-loss plus the regressions' scaled MAE over every validation overpass) or " +
          "'plume_activity' (activity log-loss on the validation plants whose cooling can show a plume, where the image can tell; needs the activity task and sites' technology)",
      ).choices([...SELECTION_SCORES]),
    )
    .addOption(
      new Option('--trunk-tasks <which>', "which losses train the image trunk: 'all' (default) or 'activity' (generation and CO₂ read the trunk without training it, so capacity and fuel cannot teach it to ignore the image; RESULTS.md)").choices([...TRUNK_TASKS]),
    )
    .addOption(new Option('--split <by>', 'hold out whole sites or the latest overpasses').choices(['site', 'time']))
    .option('--min-valid <fraction>', 'drop patches with a smaller valid_fraction (default 0.5)', Number)
    .option('--no-augment', 'disable flips/rotations (wind rotated with the image)')
    .option(
      '--input-steps <names...>',
      `steps between the patch and the network, run again at prediction (saved in model.json): ${INPUT_STEP_NAMES.join(', ')} ` +
        "(spectral_indices: brightness and SWIR differences; background_difference: change against the 20th percentile of the site's other clear overpasses; " +
        'wind_aligned: each patch turned so the wind blows along +x; near_stack_change: one channel holding the visible change within 120 m of the stack)',
    )
    .option('--cooling-input', "feed each plant's cooling technology (sites.geojson technology: natural_draught, mechanical_draught, wet_fgd_stack, once_through, air; else unknown) to the model, so it can learn where a plume can show")
    .option('--no-cooling-input', "train without the cooling technology (the run config's train.cooling_input otherwise decides; default off)")
    .option('--threads <n>', 'worker threads for data-parallel training, same result up to float rounding (default: all cores; 1 trains in this thread)', positiveInt('--threads'))
    .option('--train-config <file>', 'JSON with training settings (architecture, learning_rate, …; configs/train-config.schema.json); flags win')
    .action(action((out, o: TrainOptions) => run(out, o)));
  addBackendOptions(cmd, 'its train section gives defaults');
  return withGlobals(cmd, [
    'co2sat train --tiles tiles/ --labels world/labels.csv --weather world/weather.csv --sites world/sites.geojson --out models/mtl',
    'co2sat train --tiles tiles/ --labels labels.csv --sites sites.geojson --out models/gen-only --tasks generation --physics none',
    'co2sat train ... --out models/equal --weighting equal --epochs 20 --seed 2 --json',
    'co2sat train ... --out models/mtl --threads 1   # one thread, no workers',
    'co2sat train ... --out models/cooled --cooling-input   # the sites file names each plant\'s cooling technology',
  ]);
}
