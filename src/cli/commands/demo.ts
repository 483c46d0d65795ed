/**
 * `co2sat demo`: the embedded default behind the README's first command. It runs, in
 * process, the very commands a user would type (printed before each step), on a small
 * synthetic world made on the fly, so the demo exercises the real CLI paths and doubles as
 * a worked example: synth → tile → train → evaluate → run.
 */
import { Command, Option } from 'commander';
import path from 'node:path';
import { action, positiveInt, withGlobals } from '../command.js';
import type { Output } from '../output.js';
import { ExitCode, PartialFailure, TransientError, UsageError } from '../../errors.js';

interface DemoFlags {
  out: string;
  sites: number;
  dates: number;
  size: number;
  seed: number;
  epochs: number;
  backend?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export interface DemoPaths {
  world: string;
  scenes: string;
  sites: string;
  labels: string;
  weather: string;
  preview: string;
  tiles: string;
  model: string;
  run: string;
  geojson: string;
  map: string;
}

/** Where each stage of the demo reads and writes, under one output folder. */
export function demoPaths(out: string): DemoPaths {
  const world = path.join(out, 'world');
  const run = path.join(out, 'runs', 'demo');
  return {
    world,
    scenes: path.join(world, 'scenes'),
    sites: path.join(world, 'sites.geojson'),
    labels: path.join(world, 'labels.csv'),
    weather: path.join(world, 'weather.csv'),
    preview: path.join(world, 'preview.png'),
    tiles: path.join(out, 'tiles'),
    model: path.join(out, 'models', 'demo'),
    run,
    geojson: path.join(run, 'sites.geojson'),
    map: path.join(run, 'map.png'),
  };
}

/** The demo as the list of co2sat command lines it runs, in order. */
export function demoSteps(f: DemoFlags): string[][] {
  const p = demoPaths(f.out);
  const backend = f.backend ? ['--backend', f.backend] : [];
  return [
    ['synth', '--out', p.world, '--sites', String(f.sites), '--dates', String(f.dates), '--size', String(f.size), '--seed', String(f.seed), '--preview'],
    ['tile', p.scenes, '--sites', p.sites, '--out', p.tiles],
    ['train', '--tiles', p.tiles, '--labels', p.labels, '--weather', p.weather, '--sites', p.sites, '--out', p.model, '--epochs', String(f.epochs), '--seed', String(f.seed), ...backend],
    ['evaluate', '--model', p.model, '--tiles', p.tiles, '--labels', p.labels, '--weather', p.weather, '--sites', p.sites, '--split', 'test', ...backend],
    ['run', p.scenes, '--sites', p.sites, '--model', p.model, '--weather', p.weather, '--out', p.run, '--window', '30d', ...backend],
  ];
}

async function runStep(out: Output, argv: string[], passthrough: string[]): Promise<void> {
  out.info(`\n$ co2sat ${argv.join(' ')}`);
  // Imported here, not at the top: index.ts imports this module to register it.
  const { buildProgram } = await import('../index.js');
  const program = await buildProgram();
  const before = process.exitCode;
  process.exitCode = 0;
  await program.parseAsync(['node', 'co2sat', ...argv, ...passthrough]);
  const code = process.exitCode ?? 0;
  process.exitCode = before;
  if (code === 0) return;
  // The step printed its own error; the demo exits with the step's code so a script can act on it.
  const message = `demo step 'co2sat ${argv[0]}' failed (exit ${code}); see the message above`;
  if (code === ExitCode.usage) throw new UsageError(message);
  if (code === ExitCode.tempfail) throw new TransientError(message);
  if (code === ExitCode.partial) throw new PartialFailure(message, []);
  throw new Error(message);
}

export async function demoCommand(): Promise<Command> {
  const cmd = new Command('demo')
    .summary('generate a small synthetic world, then tile, train, evaluate and run on it')
    .description(
      'The embedded end-to-end default: makes a small synthetic Sentinel-2 world (known truth),\n' +
        'tiles it, trains the physics-guided multi-task model, evaluates it on held-out plants\n' +
        'and runs the pipeline into a GeoJSON of per-site, 30-day generation and CO2 with a map.\n' +
        'Each step is printed as the co2sat command it runs, so the demo is also a recipe.\n' +
        'A few minutes on 2 CPU cores; everything goes under --out.',
    )
    .option('-o, --out <dir>', 'output folder for the world, tiles, model and run', 'demo')
    .addOption(new Option('--sites <n>', 'number of plants').argParser(positiveInt('--sites')).default(12))
    .addOption(new Option('--dates <n>', 'number of acquisition dates').argParser(positiveInt('--dates')).default(36))
    .addOption(new Option('--size <px>', 'scene size in 10 m pixels').argParser(positiveInt('--size')).default(768))
    .addOption(new Option('--seed <n>', 'seed of the world and the training').argParser(positiveInt('--seed')).default(42))
    .addOption(new Option('--epochs <n>', 'maximum training epochs').argParser(positiveInt('--epochs')).default(15))
    .option('--backend <name>', 'auto, tensorflow-gpu, tensorflow, wasm or cpu (default: auto)');
  withGlobals(cmd, ['co2sat demo', 'co2sat demo --out /tmp/co2sat-demo --sites 12 --dates 60 --epochs 30', 'co2sat demo --quiet && ogrinfo -al -so demo/runs/demo/sites.geojson']);
  cmd.action(
    action(async (out, flags: DemoFlags) => {
      const started = Date.now();
      // Steps print their own progress; with --json or --quiet they stay quiet and the demo
      // prints one summary at the end.
      const passthrough = out.json || out.quiet ? ['--quiet'] : flags.verbose ? ['--verbose'] : [];
      for (const step of demoSteps(flags)) await runStep(out, step, passthrough);
      const p = demoPaths(flags.out);
      const seconds = (Date.now() - started) / 1000;
      out.result(
        { ok: true, seconds, paths: p },
        [
          '',
          `demo done in ${seconds.toFixed(0)} s:`,
          `  scene preview   ${p.preview}`,
          `  per-site GeoJSON ${p.geojson}   (open in QGIS, or: ogrinfo -al -so ${p.geojson})`,
          `  map of CO2      ${p.map}`,
          `  model           ${p.model}`,
        ].join('\n'),
      );
    }),
  );
  return cmd;
}
