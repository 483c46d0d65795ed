/**
 * `co2sat synth`: writes a synthetic world of Sentinel-2 L2A scenes with known truth (see
 * src/synth/generateWorld.ts). The command only parses flags, calls `generateWorld` and
 * prints.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { action, numberIn, positiveInt, requireOption, withGlobals } from '../command.js';

interface SynthFlags {
  out?: string;
  sites: number;
  dates: number;
  size: number;
  seed: number;
  fleet: string;
  report?: boolean;
  layout: 'per-band' | 'multiband';
  missing: number;
  preview?: boolean | string;
}

/** Seeds may be 0, which positiveInt would refuse. */
function seedArg(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n > 4294967295) {
    throw new InvalidArgumentError(`--seed must be an integer in [0, 4294967295], got '${value}'`);
  }
  return n;
}

export async function synthCommand(): Promise<Command> {
  const cmd = new Command('synth')
    .summary('generate a synthetic world of Sentinel-2 scenes of power plants with known truth')
    .description(
      'Generate, deterministically from a seed, a synthetic world whose pixels follow the physics\n' +
        'the model should learn: plants with fuel, capacity, emission factor and an on/off Markov\n' +
        'chain; condensed-vapour plumes drawn downwind, longer and denser with generation and in\n' +
        'cold humid air; seasonal land cover, clouds and their shadows (flagged in SCL), sensor\n' +
        'noise and swath-edge nodata.\n\n' +
        'Writes into --out:\n' +
        '  scenes/        one Sentinel-2 L2A scene per date (5-day revisit), UTM 32N, UInt16\n' +
        '                 DN = reflectance x 10000 + 1000, 0 = nodata. per-band: a product folder\n' +
        '                 with one GeoTIFF per band at 10/20/60 m plus SCL (20 m); multiband:\n' +
        '                 one 12-band 10 m GeoTIFF per scene, its SCL in scl/.\n' +
        '  sites.geojson  plants (site_id, name, fuel, technology, capacity_mw), WGS84\n' +
        '  labels.csv     site_id,datetime,active,generation_mw,co2_t_per_h (empty = missing)\n' +
        '  weather.csv    site_id,datetime,temperature_c,relative_humidity,wind_u,wind_v\n' +
        '  truth.json     what a model cannot see, the noise floor and baseline scores\n\n' +
        '--report prints the world\'s fleet statistics in the form of the real-fleet tables (fuel\n' +
        'mix, capacity and CF quantiles, plants below CF 0.05, on/off persistence, cooling mix);\n' +
        'without --out it writes nothing and takes a second. --json always carries them.\n' +
        '--size 10980 writes full tiles with memory bounded by one band (per-band layout).\n' +
        'An existing --out is replaced only when it holds an earlier synthetic world.',
    )
    .option('-o, --out <dir>', 'output folder')
    .addOption(new Option('--sites <n>', 'number of plants').argParser(positiveInt('--sites')).default(20))
    .addOption(new Option('--dates <n>', 'number of acquisition dates (5-day revisit)').argParser(positiveInt('--dates')).default(60))
    .addOption(new Option('--size <px>', 'pixels a side at 10 m (10980 = a full tile; 128 minimum)').argParser(positiveInt('--size')).default(1024))
    .addOption(new Option('--seed <n>', 'random seed: the same seed writes identical bytes').argParser(seedArg).default(42))
    .addOption(new Option('--fleet <eu|us|file>', 'fleet profile: eu (EU plants >= 150 MW), us (eGRID), or a profile JSON file').default('eu'))
    .option('--report', 'print the world\'s fleet statistics (alone, without --out)')
    .addOption(new Option('--layout <layout>', 'per-band folders or one multiband GeoTIFF per scene').choices(['per-band', 'multiband']).default('per-band'))
    .addOption(new Option('--missing <fraction>', 'fraction of each task\'s labels left blank, independently per task').argParser(numberIn('--missing', 0, 0.999)).default(0.3))
    .option('--preview [png]', 'also write a true-colour PNG with site markers (default <out>/preview.png)');
  withGlobals(cmd, [
    'co2sat synth --out world',
    'co2sat synth --out world --sites 6 --dates 36 --size 512 --seed 7 --preview',
    'co2sat synth --out big --sites 20 --dates 2 --size 10980 --missing 0   # full tiles, for benchmarks',
    'co2sat synth --out world --layout multiband --json | jq .noise_floor',
    'co2sat synth --report --sites 200 --dates 60 --size 1536 --fleet us   # statistics only, no files',
  ]);
  cmd.action(
    action(async (out, flags: SynthFlags) => {
      const world = { sites: flags.sites, dates: flags.dates, size: flags.size, seed: flags.seed, fleet: flags.fleet };
      if (flags.report && flags.out === undefined) {
        const { describeWorld } = await import('../../synth/describeWorld.js');
        const { formatFleetReport } = await import('../../synth/fleetReport.js');
        const stats = describeWorld(world);
        out.result(stats, formatFleetReport(stats));
        return;
      }
      const dir = requireOption(flags.out, '--out');
      const { generateWorld } = await import('../../synth/generateWorld.js');
      const { formatFleetReport } = await import('../../synth/fleetReport.js');
      const bar = out.progress('synth', 0);
      const summary = await generateWorld({
        out: dir,
        ...world,
        layout: flags.layout,
        missing: flags.missing,
        preview: flags.preview,
        onProgress: (p) => {
          bar.setTotal(p.total);
          bar.tick(1, p.label);
          out.debug(`${p.label}: ${p.done}/${p.total} files written`);
        },
      });
      bar.finish();
      const f = summary.noise_floor;
      const nb = summary.baselines.naive_brightness;
      const cap = summary.baselines.capacity_aware;
      out.result(
        summary,
        [
          `wrote ${summary.scenes} scenes (${summary.files} files, ${(summary.bytes / 1e6).toFixed(1)} MB), ${summary.sites} sites, ${summary.samples} samples to ${summary.out} in ${summary.seconds.toFixed(1)} s`,
          `noise floor:      activity accuracy ${f.activity_accuracy.toFixed(3)}, generation MAE ${f.generation_mae_mw.toFixed(1)} MW, CO2 MAE ${f.co2_mae_t_per_h.toFixed(1)} t/h (${(f.observable_fraction * 100).toFixed(0)}% observable)`,
          `naive brightness: activity accuracy ${nb.activity_accuracy.toFixed(3)}, generation MAE ${nb.generation_mae_mw.toFixed(1)} MW, CO2 MAE ${nb.co2_mae_t_per_h.toFixed(1)} t/h`,
          ...(cap ? [`capacity-aware:   activity accuracy ${cap.activity_accuracy.toFixed(3)}, generation MAE ${cap.generation_mae_mw.toFixed(1)} MW, CO2 MAE ${cap.co2_mae_t_per_h.toFixed(1)} t/h`] : []),
          ...(flags.report ? ['', formatFleetReport(summary.fleet_statistics)] : []),
          ...(summary.preview ? [`preview: ${summary.preview}`] : []),
        ].join('\n'),
      );
    }),
  );
  return cmd;
}
