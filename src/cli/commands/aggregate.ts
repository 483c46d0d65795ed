/**
 * `co2sat aggregate`: per-patch predictions (one or many files, e.g. shards) → one GeoJSON
 * feature per site and time window, for QGIS or another GIS.
 */
import { Command } from 'commander';
import path from 'node:path';
import { addAggregationOptions, type AggregationFlags } from '../aggregationOptions.js';
import { action, requireOption, withGlobals } from '../command.js';
import { addReportOptions, reportExtras, type ReportFlags } from '../reportOptions.js';
import { UsageError } from '../../errors.js';

/** `sites.geojson` → `sites.fgb` (another name gets `.fgb` appended). */
function flatGeobufBeside(geojson: string): string {
  return /\.geojson$/i.test(geojson) ? geojson.replace(/\.geojson$/i, '.fgb') : `${geojson}.fgb`;
}

interface AggregateFlags extends AggregationFlags, ReportFlags {
  predictions?: string[];
  sites?: string;
  window?: string;
  out: string;
  map?: string;
  /** A file name, false for --no-report, undefined for the default beside --out. */
  report?: string | false;
  /** Also write predictions.csv (+ .csvt, .prj) and predictions.geojsonl beside --out. */
  tables?: boolean;
  config?: string;
}

export async function aggregateCommand(): Promise<Command> {
  const cmd = new Command('aggregate')
    .summary('combine per-patch predictions into per-site GeoJSON over time windows')
    .description(
      'Combine per-patch predictions into one GeoJSON feature per site and time window.\n\n' +
        'Per window: P(on) (mean weighted by clear fraction), counts of total, valid and cloudy ' +
        'observations, generation and CO2 as the time average of the overpasses, each weighted by ' +
        'its clear fraction 1-c (inverse variance with a cloudy patch\'s variance inflated by ' +
        '1/(1-c); --combine picks other rules), 90% intervals (mean +/- 1.645 sd, clipped at 0), ' +
        'energy (MWh) and emissions (t) as mean x window hours. Several ' +
        '--predictions files (shards) merge order-independently into the same output as one run.\n\n' +
        'Windows: Nd = N-day bins aligned on 1970-01-01T00:00Z; month/year = UTC calendar; ' +
        'all = one window from the first to the day after the last observation.',
    )
    .option('-p, --predictions <files...>', 'predictions.jsonl files (from predict or run; shards)')
    .option('-s, --sites <file>', 'sites GeoJSON (Point features with site_id, fuel, capacity_mw)')
    .option('-w, --window <spec>', 'time window: Nd (e.g. 30d), month, year or all (default: config aggregate.window)')
    .option('-o, --out <file>', 'output GeoJSON', 'sites.geojson')
    .option('--map <png>', 'also draw a map PNG of the latest window, discs sized by CO2')
    .option('--report <file>', 'the interactive report (see co2sat report --help; default: report.html beside --out)')
    .option('--no-report', 'do not write the report')
    .option('--tables', 'also write the per-overpass predictions for GIS beside --out: predictions.csv (+ .csvt, .prj) and predictions.geojsonl, as run does (e.g. after merging shards)')
    .option('--config <file>', 'run config JSON (see configs/default.json)');
  addAggregationOptions(cmd);
  addReportOptions(cmd);
  // Every command's action opens alike (required flags, then the library by import()): the
  // CLI's convention, written out per command so --help loads no library code.
  withGlobals(cmd, [
    'co2sat aggregate --predictions predictions.jsonl --sites sites.geojson --window 30d --out sites.geojson',
    'co2sat aggregate -p runs/eu/predictions.shard-*.jsonl -s sites.geojson -w month -o runs/eu/sites.geojson --map runs/eu/map.png   # + runs/eu/report.html',
    'co2sat aggregate -p eval/predictions.jsonl -s sites.geojson -o eval/sites.geojson --labels labels.csv   # report with the labels',
    'ogr2ogr -f GPKG sites.gpkg sites.geojson   # into a GeoPackage',
  ]);
  cmd.action(
    action(async (out, flags: AggregateFlags) => {
      const t0 = Date.now();
      const files = requireOption(flags.predictions, '--predictions');
      const sitesFile = requireOption(flags.sites, '--sites');
      const { loadConfig } = await import('../../records/runConfig.js');
      const { parseWindowSpec, WindowSpecError } = await import('../../postprocess/windowSpec.js');
      const { readPredictionFiles } = await import('../../postprocess/readPredictionFiles.js');
      const { readModelSites } = await import('../../records/sites.js');
      const { writeAggregates } = await import('../../postprocess/writeAggregates.js');
      const config = loadConfig(flags.config);
      let window;
      try {
        window = parseWindowSpec(flags.window ?? config.aggregate.window);
      } catch (err) {
        if (err instanceof WindowSpecError) throw new UsageError(`--window: ${err.message}`);
        throw err;
      }
      const sites = readModelSites(sitesFile);
      const predictions = await readPredictionFiles(files);
      const reportFile = flags.report === false ? undefined : (flags.report ?? path.join(path.dirname(flags.out), 'report.html'));
      const extras = reportFile ? await reportExtras(flags) : {};
      const dir = path.dirname(flags.out);
      const tables = flags.tables ? { csvFile: path.join(dir, 'predictions.csv'), geojsonlFile: path.join(dir, 'predictions.geojsonl') } : null;
      const r = await writeAggregates({
        predictions,
        sites,
        window,
        geojsonFile: flags.out,
        ...(flags.format?.includes('fgb') ? { fgbFile: flatGeobufBeside(flags.out) } : {}),
        ...(tables ? { predictionTables: tables } : {}),
        mapFile: flags.map,
        reportFile,
        report: { title: `co2sat report: ${path.basename(flags.out)}`, ...extras },
        minValidFraction: flags.minValidFraction,
        cloudyFraction: flags.cloudyFraction,
        uncertainty: flags.uncertainty,
        combine: flags.combine,
      });
      if (r.unknownSites.length > 0) out.warn(`${r.unknownSites.length} site(s) in predictions but not in ${sitesFile}, left out: ${r.unknownSites.slice(0, 5).join(', ')}`);
      const summary = {
        out: flags.out,
        map: flags.map ?? null,
        fgb: flags.format?.includes('fgb') ? flatGeobufBeside(flags.out) : null,
        report: reportFile ?? null,
        predictions_csv: tables?.csvFile ?? null,
        predictions_geojsonl: tables?.geojsonlFile ?? null,
        prediction_files: files.length,
        patches: predictions.length,
        sites: sites.length,
        windows: r.windows,
        features: r.features,
        unknown_sites: r.unknownSites,
        seconds: (Date.now() - t0) / 1000,
      };
      out.result(
        summary,
        `${path.basename(flags.out)}: ${r.features} features (${sites.length} sites × ${r.windows} windows of ${flags.window ?? config.aggregate.window}) from ${predictions.length} patches in ${files.length} file(s)` +
          (flags.map ? `; map ${flags.map}` : '') +
          (reportFile ? `; report ${reportFile}` : ''),
      );
    }),
  );
  return cmd;
}
