/**
 * Builds the `co2sat` program. This file only registers commands; each lives in
 * `commands/<name>.ts` and exports a factory returning a commander `Command`.
 */
import { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { packageVersion } from '../io/packageFiles.js';

/**
 * One line per command, in pipeline order. Command modules keep their top-level imports
 * light (heavy stages such as tfjs are imported inside the action), so `--help` stays fast.
 */
const commandFactories: (() => Promise<Command>)[] = [
  () => import('./commands/synth.js').then((m) => m.synthCommand()),
  () => import('./commands/sites.js').then((m) => m.sitesCommand()),
  () => import('./commands/tile.js').then((m) => m.tileCommand()),
  () => import('./commands/labels.js').then((m) => m.labelsCommand()),
  () => import('./commands/train.js').then((m) => m.trainCommand()),
  () => import('./commands/evaluate.js').then((m) => m.evaluateCommand()),
  () => import('./commands/ablate.js').then((m) => m.ablateCommand()),
  () => import('./commands/predict.js').then((m) => m.predictCommand()),
  () => import('./commands/aggregate.js').then((m) => m.aggregateCommand()),
  () => import('./commands/run.js').then((m) => m.runCommand()),
  () => import('./commands/report.js').then((m) => m.reportCommand()),
  () => import('./commands/bench.js').then((m) => m.benchCommand()),
  () => import('./commands/demo.js').then((m) => m.demoCommand()),
];


export async function buildProgram(): Promise<Command> {
  const program = new Command('co2sat')
    .description(
      'Estimate whether power plants run, how much they generate (MW) and emit (t CO2/h)\n' +
        'from multispectral satellite imagery: tile scenes around plant sites, train and run\n' +
        'a physics-guided multi-task model, and aggregate to GeoJSON for GIS tools.',
    )
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(add --help for usage and examples)')
    .configureHelp({ helpWidth: Math.max(100, process.stdout.columns ?? 0) })
    .addHelpText(
      'after',
      `
Getting started:
  $ co2sat demo                      # synthetic world → tiles → model → per-site GeoJSON
  $ co2sat synth --out world --preview
  $ co2sat tile world/scenes --sites world/sites.geojson --out tiles
  $ co2sat train --tiles tiles --labels world/labels.csv --weather world/weather.csv \\
      --sites world/sites.geojson --out models/mtl
  $ co2sat run world/scenes --sites world/sites.geojson --model models/mtl --out runs/mtl

Exit codes (with --json every failure is also one JSON object on stdout):
  ${ExitCode.ok}   ok
  ${ExitCode.usage}   usage error or bad input, or every item failed: nothing useful was done (fix, don't retry)
  ${ExitCode.partial}   some items failed for good (named, and recorded by 'run'); the rest were done and written
  ${ExitCode.tempfail}  try again later: a live run holds the output folder's lease, or a transient failure persisted
  ${ExitCode.internal}   internal error (a bug: please report it with --verbose output)

Run 'co2sat <command> --help' for each command's options and examples.`,
    );
  for (const make of commandFactories) program.addCommand(await make());
  // Commands added with addCommand do not inherit exitOverride, and commander would exit 1
  // on a usage error inside a subcommand; make every level throw so main maps it to 2.
  const throwUsage = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.commands.forEach(throwUsage);
  };
  throwUsage(program);
  return program;
}
