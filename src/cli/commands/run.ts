/**
 * `co2sat run`: tile → predict → aggregate over a scenes folder in one go, incrementally
 * (only new or changed scenes), safely (lock, atomic writes, resumable after a kill) and
 * optionally as one shard of many.
 */
import { Command } from 'commander';
import { addAggregationOptions, type AggregationFlags } from '../aggregationOptions.js';
import { addReportOptions, reportExtras, type ReportFlags } from '../reportOptions.js';
import { action, asFlags, requireOption, withGlobals } from '../command.js';
import { addBackendOptions, addTableOptions, tableOptionsOf, type TableFlags } from '../dataOptions.js';
import { ExitCode } from '../../errors.js';

interface RunFlags extends AggregationFlags, TableFlags, ReportFlags {
  /** false with --no-report. */
  report: boolean;
  sites?: string;
  model?: string;
  out?: string;
  weather?: string;
  window?: string;
  shard?: string;
  backend?: string;
  size?: number;
  bands?: string;
  crsProj4?: string;
  keepTiles?: boolean;
  force?: boolean;
  config?: string;
}

export async function runCommand(): Promise<Command> {
  const cmd = new Command('run')
    .summary('tile, predict and aggregate a scenes folder into runs/NAME/sites.geojson, incrementally')
    .description(
      'Tile every scene around every site, predict each patch and aggregate per site and time ' +
        'window, writing OUT/sites.geojson, OUT/predictions.jsonl, OUT/map.png (sites sized ' +
        'by CO2) and OUT/report.html (interactive map, table and time series; see co2sat report).\n\n' +
        'Incremental: OUT/state.json records each scene\'s fingerprint, the model id and config ' +
        'hashes; a rerun processes only new or changed scenes, drops removed ones, and ' +
        'recomputes only the windows they touch. A new model or tiling config reprocesses all ' +
        'scenes; a new --window only re-aggregates. The result always equals a fresh run.\n\n' +
        'Safe: a lock (OUT/run.lock, stale if its PID is gone) makes a second run on the same ' +
        'folder exit 2 at once; every file is written under a temporary name and renamed; after a ' +
        'crash or kill -9 a rerun finishes the job.\n\n' +
        'Scale out: --shard i/n processes the scenes whose SHA-256(id) mod n is i and writes ' +
        'OUT/predictions.shard-i-of-n.jsonl (no GeoJSON); merge with ' +
        '`co2sat aggregate --predictions OUT/predictions.shard-*.jsonl`.\n\n' +
        'Exit status: 0 all done, 2 bad usage/input or folder locked, 3 some scenes failed (named ' +
        'in the summary; the rest were written; the next run retries them).',
    )
    .argument('<scenes-dir>', 'folder of scenes (multiband GeoTIFFs or one folder of band files per scene), or a STAC items JSON file')
    .option('-s, --sites <file>', 'sites GeoJSON (Point features with site_id, fuel, capacity_mw)')
    .option('-m, --model <dir>', 'trained model folder (from co2sat train)')
    .option('-o, --out <dir>', 'output folder, e.g. runs/NAME')
    .option('--weather <file>', 'weather.csv covariates (missing weather is imputed by the model)')
    .option('-w, --window <spec>', 'time window: Nd (e.g. 30d), month, year or all (default: config aggregate.window)')
    .option('--shard <i/n>', 'process only shard i of n (0-based), e.g. $JOB_COMPLETION_INDEX/8')
    .option('--size <px>', 'patch size in pixels (default: config tile.size; must match the model)', (v) => Number(v))
    .option('--bands <set>', 'band set name or JSON file (default: config tile.bands)')
    .option('--crs-proj4 <definition>', "proj4 definition or WKT for scenes whose CRS neither the GeoKeys nor a STAC item's proj:epsg/proj:wkt2 give")
    .option('--keep-tiles', 'keep the patch GeoTIFFs in OUT/tiles (default: removed once predicted)')
    .option('--force', 'reprocess every scene (e.g. after weather.csv was corrected)')
    .option('--no-report', 'do not write OUT/report.html');
  addAggregationOptions(cmd);
  addTableOptions(cmd);
  addReportOptions(cmd);
  addBackendOptions(cmd, 'its tile and aggregate sections give defaults');
  withGlobals(cmd, [
    'co2sat run world/scenes --sites world/sites.geojson --model models/mtl --weather world/weather.csv --out runs/demo',
    'co2sat run /data/scenes -s sites.geojson -m models/mtl -o runs/eu --window month --json   # scheduled: only new scenes',
    'co2sat run /data/scenes -s sites.geojson -m models/mtl -o runs/eu --shard 2/8   # one of 8 workers',
  ]);
  cmd.action(
    action(async (out, scenesDir: string, flags: RunFlags) => {
      const sitesFile = requireOption(flags.sites, '--sites');
      const modelDir = requireOption(flags.model, '--model');
      const outDir = requireOption(flags.out, '--out');
      const { runScenes } = await import('../../../pipeline/runScenes.js');
      const extras = flags.report ? await reportExtras(flags) : {};
      const bar = out.progress('run', 0);
      let summary;
      try {
        summary = await runScenes({
          scenesDir,
          sitesFile,
          modelDir,
          outDir,
          weatherFile: flags.weather,
          ...tableOptionsOf(flags),
          window: flags.window,
          shard: flags.shard,
          backend: flags.backend,
          tileSize: flags.size,
          bands: flags.bands,
          ...(flags.crsProj4 !== undefined ? { crsProj4: flags.crsProj4 } : {}),
          keepTiles: flags.keepTiles === true,
          force: flags.force === true,
          minValidFraction: flags.minValidFraction,
          cloudyFraction: flags.cloudyFraction,
          uncertainty: flags.uncertainty,
          combine: flags.combine,
          flatGeobuf: flags.format?.includes('fgb') === true,
          configFile: flags.config,
          report: flags.report,
          reportExtras: extras,
          log: (m) => out.debug(m),
          warn: (m) => out.warn(m),
          onScene: (done, total, id) => {
            bar.setTotal(total);
            bar.tick(1, id);
          },
        });
      } finally {
        bar.finish();
      }
      const s = summary;
      const exit = runExitCode(s);
      const lines = [
        `${s.out}: scenes ${s.scenes.total} (new ${s.scenes.new}, changed ${s.scenes.changed}, skipped ${s.scenes.skipped}, failed ${s.scenes.failed}, removed ${s.scenes.removed})`,
        `patches predicted ${s.patches.predicted}, in predictions ${s.patches.total}; sites ${s.sites}` +
          (s.windows ? `; windows ${s.windows.total} (recomputed ${s.windows.recomputed}, reused ${s.windows.reused})` : ''),
        `model ${s.model_id} on ${s.backend}; ${s.seconds.toFixed(1)} s`,
        s.outputs.geojson
          ? `wrote ${s.outputs.geojson}, ${s.outputs.predictions}, ${s.outputs.map}${s.outputs.report ? `, ${s.outputs.report}` : ''}`
          : `wrote ${s.outputs.predictions}; merge shards with: co2sat aggregate --predictions ${s.out}/predictions.shard-*.jsonl --sites ${sitesFile} --out ${s.out}/sites.geojson`,
        ...s.failed.map((f) => `failed ${f.item}: ${asFlags(f.reason)}${f.recorded ? ' (recorded earlier; retried once its files change)' : ''}`),
        ...s.transient.map((f) => `transient failure ${f.item}: ${asFlags(f.reason)} (the next run retries it)`),
      ];
      if (s.unknown_sites.length > 0) out.warn(`${s.unknown_sites.length} site(s) in predictions but not in ${sitesFile}`);
      out.result({ ...s, exit_code: exit }, lines.join('\n'));
      // Partial success: the summary above is the report; the exit status tells schedulers.
      if (exit !== ExitCode.ok) process.exitCode = exit;
    }),
  );
  return cmd;
}

/**
 * The exit status a scheduler acts on: 75 when a transient failure outlasted the retries
 * (retry later), 2 when every scene failed (nothing useful was done), 3 when some failed for
 * good (recorded; done otherwise), else 0.
 */
export function runExitCode(s: { scenes: { total: number }; failed: readonly unknown[]; transient: readonly unknown[] }): number {
  if (s.transient.length > 0) return ExitCode.tempfail;
  if (s.failed.length > 0 && s.failed.length === s.scenes.total) return ExitCode.usage;
  if (s.failed.length > 0) return ExitCode.partial;
  return ExitCode.ok;
}
