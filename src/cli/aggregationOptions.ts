/**
 * The aggregation flags shared by `co2sat aggregate` and `co2sat run`, defined once so the
 * two commands cannot drift apart in names, choices or defaults.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { numberIn } from './command.js';

export interface AggregationFlags {
  minValidFraction?: number;
  cloudyFraction?: number;
  uncertainty?: 'scaled' | 'independent';
  combine?: 'ivw' | 'random' | 'mean';
  format?: readonly OutputFormat[];
}

export type OutputFormat = 'geojson' | 'fgb';

/** `--format geojson,fgb`: GeoJSON is always written; FlatGeobuf beside it on request. */
function parseFormats(value: string): OutputFormat[] {
  const list = value.split(',').map((s) => s.trim().toLowerCase());
  const bad = list.find((f) => f !== 'geojson' && f !== 'fgb');
  if (bad !== undefined) throw new InvalidArgumentError(`--format: unknown format '${bad}' (valid: geojson, fgb)`);
  return [...new Set(['geojson' as const, ...(list as OutputFormat[])])];
}

export function addAggregationOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <list>', 'aggregate outputs: geojson (always) and fgb (FlatGeobuf beside it, same typed fields)').argParser(parseFormats))
    .addOption(new Option('--min-valid-fraction <f>', 'patches with less data are not used').argParser(numberIn('--min-valid-fraction', 0, 1)).default(0.5))
    .addOption(new Option('--cloudy-fraction <f>', 'cloud fraction from which a patch counts as cloudy').argParser(numberIn('--cloudy-fraction', 0, 1)).default(0.5))
    .addOption(
      new Option(
        '--combine <rule>',
        "how a window combines its observations: 'mean' (time average, each overpass weighted by its clear fraction 1 - cloud_fraction, i.e. inverse variance with cloudy patches' variance inflated), 'random' (inverse-variance weights from the model's sds plus the between-overpass variance, DerSimonian-Laird) or 'ivw' (fixed-effect inverse variance of the model's sds; biased low because an 'off' patch's sd is small)",
      )
        .choices(['ivw', 'random', 'mean'])
        .default('mean'),
    )
    .addOption(
      new Option('--uncertainty <rule>', "window sd for --combine mean and ivw: 'scaled' never lets it fall below what the observed scatter implies (the scatter's standard error for mean, the Birge ratio for ivw); 'independent' uses the model's sds alone (random always accounts for the scatter through its between-overpass variance)")
        .choices(['scaled', 'independent'])
        .default('scaled'),
    );
}
