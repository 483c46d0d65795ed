/**
 * `co2sat labels build`: per-overpass labels (labels.csv) from hourly unit generation and
 * emissions series — ENTSO-E 16.1.A exports, US EPA CAMPD hourly emissions, or a generic CSV
 * with a column mapping — at the overpass times of a tiles folder.
 */
import { Command, Option } from 'commander';
import { action, numberIn, requireOption, withGlobals } from '../command.js';
import { tableOptionsOf, type TableFlags } from '../dataOptions.js';
import { DEFAULT_MAX_GAP_HOURS } from '../../records/weather.js';
import { UsageError } from '../../errors.js';

interface LabelsBuildFlags extends TableFlags {
  tiles?: string;
  series?: string[];
  format?: 'entsoe' | 'campd' | 'generic';
  columns?: string;
  units?: string;
  sites?: string;
  utcOffset?: number;
  activeThreshold?: number;
  co2FromEf?: boolean;
  out: string;
}

function buildCommand(): Command {
  const cmd = new Command('build')
    .summary('per-overpass labels from hourly generation/emissions series (ENTSO-E, CAMPD, generic CSV)')
    .description(
      'Write labels.csv for the overpasses of a tiles folder from time series of unit (or plant)\n' +
        'output. Each unit is interpolated linearly between its samples around the overpass,\n' +
        'refused when they are more than --max-gap hours apart or when the overpass lies outside\n' +
        'its series; units are summed into plants (--units unit_id,site_id mapping). A plant is\n' +
        'active when one of its units generates above --active-threshold MW; generation and\n' +
        'CO2 are known only when every unit is. Sources:\n' +
        '  entsoe   ENTSO-E Transparency "Actual Generation per Generation Unit" (16.1.A) CSV\n' +
        '           export: DateTime(UTC), ResolutionCode, GenerationUnitCode, ActualGeneration-\n' +
        '           Output[MW]; each value is its period mean, placed at the period middle\n' +
        '  campd    US EPA CAMPD hourly emissions CSV: Facility ID, Unit ID, Date, Hour (local\n' +
        '           standard time: give --utc-offset), Operating Time, Gross Load (MW), CO2 Mass\n' +
        '           (short tons); units are FACILITY/UNIT, plants the facility id\n' +
        '  generic  site_id (or unit_id), datetime (with a zone), generation_mw [, co2_t_per_h];\n' +
        '           other names with --columns\n' +
        'The format is detected from the header unless --format is given. CO2 is only derived\n' +
        'from generation x the fuel\'s emission factor with --co2-from-ef (needs --sites), and\n' +
        'such rows say co2_source=derived.',
    )
    .option('--tiles <dir>', 'tiles folder (its manifest.jsonl gives the overpasses)')
    .option('--series <files...>', 'series CSV files (one or many, e.g. a month per file)')
    .addOption(new Option('--format <kind>', 'series format (default: detected from the header)').choices(['entsoe', 'campd', 'generic']))
    .option('--columns <map>', 'generic format: unit_id=COL,datetime=COL,generation_mw=COL[,co2_t_per_h=COL]')
    .option('--units <file>', 'unit_id,site_id CSV mapping units to plants (default: series ids are site ids)')
    .option('--sites <file>', 'sites GeoJSON (needed by --co2-from-ef for each plant\'s fuel)')
    .option('--utc-offset <hours>', 'CAMPD: hours east of UTC of the local standard time (e.g. -5 for US Eastern)', numberIn('--utc-offset', -14, 14))
    .option('--active-threshold <mw>', 'a unit above this output counts as running (default 1)', numberIn('--active-threshold', 0, 1e5))
    .option('--co2-from-ef', 'derive missing CO2 as generation x the fuel median emission factor (marked derived)')
    .option('--assume-utc', 'read generic datetimes without a zone as UTC instead of refusing them')
    .option('--max-gap <hours>', `longest gap between the samples around an overpass (default ${DEFAULT_MAX_GAP_HOURS})`, numberIn('--max-gap', 0, 24 * 366))
    .option('-o, --out <file>', 'labels CSV to write', 'labels.csv');
  withGlobals(cmd, [
    'co2sat labels build --tiles tiles/ --series 2024_05_ActualGenerationOutputPerGenerationUnit_16.1.A_r3.csv --units units.csv --out labels.csv',
    'co2sat labels build --tiles tiles/ --series emissions-hourly-2024-wv.csv --utc-offset -5 --out labels.csv --json',
    'co2sat labels build --tiles tiles/ --series plant_hourly.csv --columns site_id=plant,datetime=time_utc,generation_mw=mw --co2-from-ef --sites sites.geojson',
  ]);
  cmd.action(
    action(async (out, flags: LabelsBuildFlags) => {
      const { buildLabelsFiles } = await import('../../train/buildLabels.js');
      const { parseSeriesColumns } = await import('../../records/generationSeries.js');
      let columns;
      try {
        columns = flags.columns ? parseSeriesColumns(flags.columns) : undefined;
      } catch (err) {
        throw new UsageError(`--columns: ${(err as Error).message}`);
      }
      const r = await buildLabelsFiles({
        tiles: requireOption(flags.tiles, '--tiles'),
        series: requireOption(flags.series, '--series'),
        out: flags.out,
        ...(flags.format ? { format: flags.format } : {}),
        ...(columns ? { columns } : {}),
        ...(flags.units ? { units: flags.units } : {}),
        ...(flags.sites ? { sites: flags.sites } : {}),
        ...(flags.utcOffset !== undefined ? { utcOffsetHours: flags.utcOffset } : {}),
        ...(flags.activeThreshold !== undefined ? { activeThresholdMw: flags.activeThreshold } : {}),
        ...(flags.co2FromEf ? { co2FromEf: true } : {}),
        ...tableOptionsOf(flags),
      });
      const list = (ids: readonly string[]) => `${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ` and ${ids.length - 8} more` : ''}`;
      if (r.unitsWithoutPlant.length > 0) out.warn(`${r.unitsWithoutPlant.length} units in the series have no plant in ${flags.units ?? 'the mapping'} (ignored): ${list(r.unitsWithoutPlant)}`);
      if (r.plantsWithoutSeries.length > 0) out.warn(`${r.plantsWithoutSeries.length} plants of the tiles have no series (no labels): ${list(r.plantsWithoutSeries)}`);
      if (r.refusedGap > 0) out.warn(`${r.refusedGap} overpasses refused: the samples around them are more than ${flags.maxGap ?? DEFAULT_MAX_GAP_HOURS} h apart (--max-gap)`);
      if (r.outsideSeries > 0) out.warn(`${r.outsideSeries} overpasses lie before the first or after the last sample of a unit`);
      const derived = r.co2Derived > 0 ? `, CO2 derived from emission factors for ${r.co2Derived}` : '';
      out.result(r, `${r.out}: ${r.labelled} of ${r.overpasses} overpasses labelled from ${r.samples} samples (${Object.values(r.formats).join(', ')})${derived}`);
    }),
  );
  return cmd;
}

export async function labelsCommand(): Promise<Command> {
  return new Command('labels').summary('build labels.csv from real hourly generation and emissions data').addCommand(buildCommand());
}
