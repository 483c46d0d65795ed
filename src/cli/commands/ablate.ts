/**
 * `co2sat ablate`: trains the model variants (train/ablationVariants.ts) over several seeds on one
 * synthetic world and writes RESULTS.md (mean ± sd per variant, the world's noise floor on
 * the same held-out plants beside it, and the issue's aims checked).
 */
import { Command } from 'commander';
import os from 'node:os';
import path from 'node:path';
import { action, positiveInt, withGlobals } from '../command.js';
import { UsageError } from '../../errors.js';
import type { Output } from '../output.js';
import { ABLATION_VARIANTS, type AblationVariant } from '../../train/ablationVariants.js';
import { addBackendOptions, addDataOptions, tableOptionsOf, type TableFlags } from '../dataOptions.js';

interface AblateOptions extends TableFlags {
  world?: string;
  tiles?: string;
  labels?: string;
  weather?: string;
  sites?: string;
  truth?: string;
  out: string;
  models: string;
  seeds: number;
  epochs?: number;
  patience?: number;
  trainConfig?: string;
  backend?: string;
  config?: string;
  variants?: string[];
  folds?: number;
  trainPlants?: number[];
}

async function run(out: Output, o: AblateOptions): Promise<void> {
  const { loadConfig } = await import('../../records/runConfig.js');
  const { selectBackend, describeBackend, parseBackendChoice } = await import('../../backend/index.js');
  const { loadData } = await import('../../train/loadData.js');
  const { describeJoin } = await import('../../train/dataset.js');
  const { runAblation } = await import('../../train/ablate.js');
  const { renderResults, summarise, checkAims, withKeptSection, controlSummaries, summariseShuffled, wholeDataRuns, learningCurve } = await import('../../train/ablationReport.js');
  const { toEvaluateJson, controlsJson } = await import('./evaluate.js');
  const { readFile } = await import('node:fs/promises');
  const previous = await readFile(o.out, 'utf8').catch(() => null);
  const { readTrainConfigFile } = await import('../../train/trainConfigFile.js');
  const { codeVersion } = await import('../../model/modelFolder.js');
  const { writeFileAtomic } = await import('../../io/atomicWrite.js');

  const w = o.world;
  const paths = {
    tiles: o.tiles ?? (w ? path.join(w, 'tiles') : undefined),
    labels: o.labels ?? (w ? path.join(w, 'labels.csv') : undefined),
    weather: o.weather ?? (w ? path.join(w, 'weather.csv') : undefined),
    sites: o.sites ?? (w ? path.join(w, 'sites.geojson') : undefined),
  };
  if (!paths.tiles || !paths.labels || !paths.sites) throw new UsageError('give --world DIR (a synth world with its tiles/ folder) or --tiles, --labels and --sites');
  const truth = o.truth ?? (w ? path.join(w, 'truth.json') : null);
  const base = {
    ...(o.trainConfig ? readTrainConfigFile(o.trainConfig) : {}),
    ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
    ...(o.patience !== undefined ? { patience: o.patience } : {}),
  };
  const backend = await selectBackend(parseBackendChoice(o.backend ?? loadConfig(o.config).backend));
  out.info(`backend: ${describeBackend(backend)}`);
  const data = loadData({ tiles: paths.tiles, labels: paths.labels, weather: paths.weather, sites: paths.sites, ...tableOptionsOf(o) }, base.min_valid_fraction ?? 0.5);
  out.info(`data: ${describeJoin(data.report)}`);
  // With --folds k, run i is fold i of k (grouped cross-validation over plants).
  const seeds = Array.from({ length: o.folds ?? o.seeds }, (_, i) => i);
  const variants = selectVariants(o.variants);
  const total = variants.length * seeds.length * (new Set(o.trainPlants ?? []).size + 1);
  const bar = out.progress('ablate', total);
  const t0 = Date.now();
  const context = () => ({
    world: w ?? paths.tiles!,
    backend: backend.name,
    codeVersion: codeVersion(),
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
    config: { ...base, seeds, ...(o.folds ? { folds: o.folds } : {}), ...(o.trainPlants ? { train_plants: o.trainPlants } : {}) },
    totalSeconds: (Date.now() - t0) / 1000,
  });
  const result = await runAblation({
    samples: data.samples,
    tilesDir: paths.tiles,
    manifestFile: data.manifestFile,
    truthFile: truth,
    modelsDir: o.models,
    seeds,
    base,
    backend: backend.name,
    variants,
    ...(o.folds ? { folds: o.folds } : {}),
    ...(o.trainPlants ? { trainPlants: o.trainPlants } : {}),
    onRun: (v, seed, _i, _n, limit) => bar.setStatus(`${v.name}, seed ${seed}${limit !== null ? `, ${limit} training plants` : ''}`),
    onDone: async (r, soFar) => {
      // Rewritten after every run, so an interrupted ablation still leaves its finished runs.
      await writeFileAtomic(o.out, withKeptSection(renderResults(soFar, context()), previous));
      bar.tick(1);
      out.debug(`${r.variant} seed ${r.seed}: gen MAE ${r.metrics.generation?.mae.toFixed(1) ?? '–'}, CO2 MAE ${r.metrics.co2?.mae.toFixed(1) ?? '–'}, acc ${r.metrics.activity?.accuracy.toFixed(3) ?? '–'} (${r.seconds.toFixed(0)} s)`);
    },
  });
  bar.finish();
  await writeFileAtomic(o.out, withKeptSection(renderResults(result, context()), previous));
  const whole = wholeDataRuns(result.runs);
  const summary = summarise(whole);
  const aims = checkAims(summary, whole);
  out.result(
    {
      results: o.out,
      backend: backend.name,
      variants: summary,
      controls: { ...controlSummaries(whole), shuffled: summariseShuffled(whole) },
      ...(o.trainPlants ? { learning_curve: learningCurve(result.runs) } : {}),
      aims,
      floors: result.floors,
      runs: result.runs.map(({ metrics, controls, with_site_history, ...r }) => {
        const { activity, generation, co2 } = toEvaluateJson(metrics);
        const history = with_site_history ? { ...toEvaluateJson(with_site_history.metrics), shuffled: toEvaluateJson(with_site_history.shuffled) } : null;
        return { ...r, activity, generation, co2, controls: controlsJson(controls), with_site_history: history };
      }),
    },
    `${o.out} written (${result.runs.length} runs, backend ${backend.name})\n${aims.map((a) => `  ${a.met ? 'met' : 'NOT met'}: ${a.aim} (${a.detail})`).join('\n')}`,
  );
}

/** The variants named by slug (all when none are named); UsageError for an unknown slug. */
function selectVariants(slugs: readonly string[] | undefined): AblationVariant[] {
  if (!slugs || slugs.length === 0) return [...ABLATION_VARIANTS];
  const wanted = slugs.flatMap((v) => v.split(',')).filter((v) => v !== '');
  for (const slug of wanted) {
    if (!ABLATION_VARIANTS.some((v) => v.slug === slug)) throw new UsageError(`--variants: unknown variant '${slug}' (valid: ${ABLATION_VARIANTS.map((v) => v.slug).join(', ')})`);
  }
  return ABLATION_VARIANTS.filter((v) => wanted.includes(v.slug));
}

export async function ablateCommand(): Promise<Command> {
  const cmd = new Command('ablate')
    .summary('single-task vs multi-task vs physics over seeds on a synthetic world → RESULTS.md')
    .description(
      'Train single-task models, MTL equal, MTL uncertainty and MTL uncertainty with soft and hard\n' +
        'physics over several seeds on one synthetic world; write RESULTS.md with mean ± sd per\n' +
        'model, the world’s noise floor on the same held-out plants, and the aims checked.',
    )
    .option('--world <dir>', 'a co2sat synth world whose patches are in <dir>/tiles (sets the four data flags and --truth)');
  addDataOptions(cmd);
  cmd
    .option('--truth <file>', "the world's truth.json (noise floor and baselines)")
    .option('--out <file>', 'report to write', 'RESULTS.md')
    .option('--models <dir>', 'where the trained model folders go', path.join(os.tmpdir(), 'co2sat-ablation'))
    .option('--seeds <n>', 'seeds per model variant', positiveInt('--seeds'), 3)
    .option('--epochs <n>', 'maximum epochs per run', positiveInt('--epochs'))
    .option('--patience <n>', 'early-stopping patience per run', positiveInt('--patience'))
    .option('--train-config <file>', 'JSON training settings shared by every run (architecture, learning_rate, …; configs/train-config.schema.json)')
    .option('--folds <k>', 'grouped k-fold cross-validation over plants instead of --seeds random splits: run i holds out fold i, every plant is scored once', (v) => {
      const k = Number(v);
      if (!Number.isInteger(k) || k < 2) throw new UsageError(`--folds must be an integer ≥ 2, got '${v}'`);
      return k;
    })
    .option('--train-plants <n...>', 'learning curve: also train every variant and fold/seed on only N of its training plants (same held-out plants), for each N given', (v, prev: number[] | undefined) => {
      const list = v.split(',').filter((x) => x !== '').map((x) => {
        const n = Number(x);
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--train-plants takes integers ≥ 1, got '${x}'`);
        return n;
      });
      return [...(prev ?? []), ...list];
    })
    .option('--variants <slugs...>', `train only these variants (default: all): ${ABLATION_VARIANTS.map((v) => v.slug).join(', ')}`)
    .action(action((out, o: AblateOptions) => run(out, o)));
  addBackendOptions(cmd);
  return withGlobals(cmd, [
    'co2sat synth --out world --sites 40 && co2sat tile world/scenes --sites world/sites.geojson --out world/tiles',
    'co2sat ablate --world world --out RESULTS.md',
    'co2sat ablate --world world --seeds 1 --epochs 5 --out /tmp/quick.md --json',
    'co2sat ablate --world big --seeds 1 --variants mtl-uw-hard mtl-uw-hard-plume --out /tmp/plume.md',
    'co2sat ablate --world big --folds 3 --variants mtl-equal --train-plants 25 50 --out /tmp/curve.md   # learning curve',
  ]);
}
