/**
 * `co2sat report RUN_DIR`: the interactive report.html of a finished run (or of another
 * predictions + per-window GeoJSON pair), rebuilt without re-running anything, e.g. to add
 * labels or an online tile layer.
 */
import { Command, Option } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { action, numberIn, withGlobals } from '../command.js';
import { addReportOptions, reportExtras, type ReportFlags } from '../reportOptions.js';
import { UsageError } from '../../errors.js';

interface ReportCommandFlags extends ReportFlags {
  predictions?: string[];
  geojson?: string;
  out?: string;
  title?: string;
  minValidFraction: number;
  cloudyFraction: number;
}

/** RUN_DIR/predictions.jsonl, else the shards a sharded run left there. */
function defaultPredictions(runDir: string): string[] {
  const single = path.join(runDir, 'predictions.jsonl');
  if (existsSync(single)) return [single];
  const shards = existsSync(runDir) ? readdirSync(runDir).filter((f) => /^predictions\.shard-.*\.jsonl$/.test(f)).sort() : [];
  if (shards.length === 0) throw new UsageError(`${runDir}: no predictions.jsonl (or predictions.shard-*.jsonl); is it a co2sat run folder? Else pass --predictions`);
  return shards.map((f) => path.join(runDir, f));
}

export async function reportCommand(): Promise<Command> {
  const cmd = new Command('report')
    .summary("write a run's interactive report.html: map, window slider, plant table, time series")
    .description(
      'Write one self-contained HTML page for a run: a map of the plants (discs sized by CO2, ' +
        'area proportional to t/h, coloured by fuel) on an offline Natural Earth basemap, a ' +
        'window slider, fuel and country filters, a table sortable by CO2, generation and P(on), ' +
        "and for a clicked plant its generation, CO2 and P(on) per overpass (90% interval bars; " +
        'cloudy and invalid overpasses marked) and per window (90% band), with labels when given.\n\n' +
        'Data and libraries (Leaflet, uPlot) are inlined: the file opens from disk in every browser ' +
        'with no network, and can be mailed or archived as is. `co2sat run` and `co2sat aggregate` ' +
        'write it by default; this command rebuilds it, e.g. with --labels or --tiles-url.\n\n' +
        'Overpass marks follow aggregation: invalid = not used (valid fraction below ' +
        '--min-valid-fraction, fully cloudy or no estimate), cloudy = cloud fraction at least ' +
        '--cloudy-fraction; pass the values the run used.',
    )
    .argument('<run-dir>', 'a co2sat run folder (with predictions.jsonl and sites.geojson)')
    .option('-p, --predictions <files...>', 'predictions.jsonl file(s) (default: RUN_DIR/predictions.jsonl or its shards)')
    .option('--geojson <file>', 'per-site, per-window GeoJSON from run/aggregate (default: RUN_DIR/sites.geojson)')
    .option('-o, --out <file>', 'output HTML (default: RUN_DIR/report.html)')
    .option('--title <text>', 'page title (default: "co2sat report: <run folder name>")')
    .addOption(new Option('--min-valid-fraction <f>', 'overpasses with less data are marked invalid').argParser(numberIn('--min-valid-fraction', 0, 1)).default(0.5))
    .addOption(new Option('--cloudy-fraction <f>', 'cloud fraction from which an overpass is marked cloudy').argParser(numberIn('--cloudy-fraction', 0, 1)).default(0.5));
  addReportOptions(cmd);
  withGlobals(cmd, [
    'co2sat report runs/eu                      # → runs/eu/report.html; open it in a browser',
    'co2sat report runs/eval --labels world/labels.csv   # estimates beside the known truth',
    "co2sat report runs/eu --tiles-url 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' --tiles-attribution '© OpenStreetMap contributors'",
  ]);
  cmd.action(
    action(async (out, runDir: string, flags: ReportCommandFlags) => {
      const t0 = Date.now();
      const predictionFiles = flags.predictions ?? defaultPredictions(runDir);
      const geojsonFile = flags.geojson ?? path.join(runDir, 'sites.geojson');
      const outFile = flags.out ?? path.join(runDir, 'report.html');
      const { readFile } = await import('node:fs/promises');
      const { parseAggregatesGeoJSON } = await import('../../postprocess/parseAggregatesGeoJSON.js');
      const { readPredictionFiles } = await import('../../postprocess/readPredictionFiles.js');
      const { renderReport } = await import('../../postprocess/report/renderReport.js');
      const { writeFileAtomic } = await import('../../io/atomicWrite.js');
      const extras = await reportExtras(flags);
      let geojsonText: string;
      try {
        geojsonText = await readFile(geojsonFile, 'utf8');
      } catch (e) {
        throw new UsageError(`${geojsonFile}: cannot read the per-window GeoJSON (${(e as NodeJS.ErrnoException).code ?? String(e)}); run 'co2sat aggregate' first or pass --geojson`);
      }
      const { sites, aggregates } = parseAggregatesGeoJSON(geojsonText, geojsonFile);
      const predictions = await readPredictionFiles(predictionFiles);
      const html = renderReport({
        ...extras,
        title: flags.title ?? `co2sat report: ${path.basename(path.resolve(runDir))}`,
        predictions,
        sites,
        aggregates,
        minValidFraction: flags.minValidFraction,
        cloudyFraction: flags.cloudyFraction,
      });
      await writeFileAtomic(outFile, html);
      const windows = new Set(aggregates.map((a) => a.window_start)).size;
      out.result(
        { out: outFile, sites: sites.length, windows, overpasses: predictions.length, labels: extras.labels?.length ?? 0, bytes: Buffer.byteLength(html), seconds: (Date.now() - t0) / 1000 },
        `${outFile}: ${sites.length} sites × ${windows} windows, ${predictions.length} overpasses (${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB); open it in a browser`,
      );
    }),
  );
  return cmd;
}
