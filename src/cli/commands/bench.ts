/**
 * `co2sat bench <what>`: benchmarks, each a subcommand that runs a peer side by side and
 * prints ratios (`--json`: one object). Heavy modules are imported inside the actions.
 */
import { Command, Option } from 'commander';
import { action, positiveInt, withGlobals } from '../command.js';

interface TrainBenchFlags {
  arch: string;
  steps: number;
  workers?: number;
  batch: number;
  size: number;
  cpu: boolean;
  installTorch: boolean;
}

function trainBenchCommand(): Command {
  const cmd = new Command('train')
    .description(
      'Training-step time and inference patches/s of the model trunk on 16 × 12 × 64 × 64 batches: ' +
        'wasm with co2sat gradient kernels, stock wasm, data-parallel training and inference over ' +
        'worker threads (all cores), cpu (one step), tensorflow when installed, and PyTorch CPU at ' +
        'the same thread counts (python3-torch is installed with apt-get when missing and allowed). ' +
        '--json carries ratio_step_vs_torch / ratio_infer_vs_torch (1 thread each) and the _all_cores ' +
        'pair; the ratios compare designs only on an idle machine, so the result says when the load ' +
        'average was above half the cores.',
    )
    .addOption(new Option('--arch <name>', 'network widths: default (co2sat default trunk) or wide (issue-sized)').choices(['default', 'wide']).default('default'))
    .option('--steps <n>', 'timed repetitions per backend (the fastest is reported)', positiveInt('--steps'), 5)
    .option('--workers <n>', 'worker threads for the all-cores rows, training and inference (default: cores)', positiveInt('--workers'))
    .option('--batch <n>', 'patches per batch', positiveInt('--batch'), 16)
    .option('--size <px>', 'patch height and width', positiveInt('--size'), 64)
    .option('--no-cpu', 'skip the (slow) cpu backend step')
    .option('--no-install-torch', 'do not apt-get install python3-torch when PyTorch is missing')
    .action(
      action(async (out, flags: TrainBenchFlags) => {
        const os = await import('node:os');
        const { runTrainBench, formatTrainBench } = await import('../../../bench/train.js');
        const result = await runTrainBench({
          arch: flags.arch,
          steps: flags.steps,
          workers: flags.workers ?? os.availableParallelism(),
          batch: flags.batch,
          size: flags.size,
          cpu: flags.cpu,
          installTorch: flags.installTorch,
          log: (m) => out.info(m),
        });
        out.result(result, formatTrainBench(result));
      }),
    );
  return withGlobals(cmd, ['co2sat bench train', 'co2sat bench train --arch wide --no-cpu --json']);
}

interface TilingBenchFlags {
  sites: number;
  size: number;
  rounds: number;
  concurrency?: number;
}

// Like trainBenchCommand: flags, then the bench module by import() (bench/ never loads with
// the CLI); the two subcommands share that shape and nothing else.
function tilingBenchCommand(): Command {
  const cmd = new Command('tiling')
    .description(
      'Patches/s and peak memory of co2sat tile against GDAL python bindings doing the same windowed ' +
        'reads and DEFLATE writes, at equal parallelism (co2sat --concurrency N against a pool of N GDAL ' +
        'processes over the same sites, then both at 1), on a 10980 x 10980 12-band UInt16 tiled DEFLATE ' +
        'scene made with GDAL (cached in the temp folder; the first run spends minutes making it). ' +
        'Warns when the 1-minute load is over half the cores. Needs python3-gdal.',
    )
    .option('--sites <n>', 'random sites inside the scene', positiveInt('--sites'), 400)
    .option('--size <px>', 'patch edge in pixels', positiveInt('--size'), 64)
    .option('--rounds <n>', 'interleaved rounds; the fastest run of each side is reported', positiveInt('--rounds'), 3)
    .option('--concurrency <n>', 'co2sat concurrency and GDAL pool size (default: cores); a run of both at 1 is always added', positiveInt('--concurrency'))
    .action(
      action(async (out, flags: TilingBenchFlags) => {
        const os = await import('node:os');
        const { runTilingBench, formatTilingBench } = await import('../../../bench/tiling.js');
        const result = await runTilingBench({
          sites: flags.sites,
          size: flags.size,
          rounds: flags.rounds,
          concurrency: flags.concurrency ?? os.availableParallelism(),
          log: (m) => out.info(m),
        });
        out.result(result, formatTilingBench(result));
      }),
    );
  return withGlobals(cmd, ['co2sat bench tiling', 'co2sat bench tiling --sites 1000 --json']);
}

interface ReportBenchFlags {
  sites: number;
  windows: number;
  revisitDays: number;
  rounds: number;
  chromium: string;
}

// The same shape as the other bench subcommands: flags, then bench/ by import().
function reportBenchCommand(): Command {
  const cmd = new Command('report')
    .description(
      'Load time of report.html in headless Chromium for a large synthetic run (default 2,000 sites × 12 month ' +
        'windows, an overpass every 5 days): navigation start to the page script done and to the first painted ' +
        'frames, then moving the window slider and opening one plant\'s charts. Needs Chromium and puppeteer-core ' +
        '(a dev dependency: run from a source checkout).',
    )
    .option('--sites <n>', 'plants', positiveInt('--sites'), 2000)
    .option('--windows <n>', 'month windows from 2024-01', positiveInt('--windows'), 12)
    .option('--revisit-days <n>', 'days between overpasses', positiveInt('--revisit-days'), 5)
    .option('--rounds <n>', 'page loads; the fastest is reported as best', positiveInt('--rounds'), 3)
    .option('--chromium <path>', 'Chromium executable', '/usr/bin/chromium')
    .action(
      action(async (out, flags: ReportBenchFlags) => {
        const { runReportLoadBench, formatReportLoadBench } = await import('../../../bench/reportLoad.js');
        const result = await runReportLoadBench({ ...flags, log: (m) => out.info(m) });
        out.result(result, formatReportLoadBench(result));
      }),
    );
  return withGlobals(cmd, ['co2sat bench report', 'co2sat bench report --sites 500 --windows 24 --json']);
}

export async function benchCommand(): Promise<Command> {
  const cmd = new Command('bench').summary('measure tiling and training against GDAL and PyTorch, as ratios').description('Benchmarks against peers (PyTorch, GDAL), as ratios; see BENCHMARKS.md');
  cmd.addCommand(tilingBenchCommand());
  cmd.addCommand(trainBenchCommand());
  cmd.addCommand(reportBenchCommand());
  return cmd;
}
