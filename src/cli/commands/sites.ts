/**
 * `co2sat sites import`: sites.geojson from an open plant list — the Global Power Plant
 * Database (WRI) or the JRC open power plants database — filtered by country, fuel, capacity
 * and bounding box, with every skipped row reported and why.
 */
import { Command, Option } from 'commander';
import { action, numberIn, withGlobals } from '../command.js';
import { UsageError } from '../../errors.js';
import { FUELS, isFuel, type Fuel } from '../../records/sites.js';

interface ImportFlags {
  format?: 'gppd' | 'jrc';
  country?: string;
  fuel?: string;
  minCapacity?: number;
  bbox?: string;
  out: string;
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function bboxOf(value: string): [number, number, number, number] {
  const v = value.split(',').map(Number);
  const [w, s, e, n] = v;
  if (v.length !== 4 || w === undefined || s === undefined || e === undefined || n === undefined || v.some((x) => !Number.isFinite(x)) || w > e || s > n || s < -90 || n > 90) {
    throw new UsageError(`--bbox must be WEST,SOUTH,EAST,NORTH in degrees, got '${value}'`);
  }
  return [w, s, e, n];
}

function importCommand(): Command {
  const cmd = new Command('import')
    .summary('sites.geojson from the Global Power Plant Database or the JRC open power plants database')
    .description(
      'Make a sites file from an open plant list. GPPD (global_power_plant_database.csv, one\n' +
        'row per plant; its Coal is hard coal and lignite alike) and the JRC open power plants\n' +
        'database (JRC_OPEN_UNITS.csv, one row per unit: units are grouped into plants by eic_p,\n' +
        'only units in service count, Fossil Hard coal and Fossil Brown coal/Lignite stay apart)\n' +
        'are detected from the header. Fuels map to lignite|coal|gas|oil; others are reported,\n' +
        'never guessed; non-fossil plants are skipped. A plant\'s capacity is the sum of its\n' +
        'mapped units, its fuel the one with most of them. Each site keeps the source id\n' +
        '(gppd_idnr or eic_p, also its site_id), country and source, so labels can be matched.',
    )
    .argument('<plant-list>', 'GPPD or JRC units CSV')
    .addOption(new Option('--format <kind>', 'plant list format (default: detected)').choices(['gppd', 'jrc']))
    .option('--country <list>', 'comma-separated countries: ISO3 codes (GPPD) or names (both)')
    .option('--fuel <list>', `comma-separated fuels: ${FUELS.join(',')}`)
    .option('--min-capacity <mw>', 'leave out plants below this capacity', numberIn('--min-capacity', 0, 1e6))
    .option('--bbox <w,s,e,n>', 'keep plants inside this lon/lat box')
    .option('-o, --out <file>', 'sites GeoJSON to write', 'sites.geojson');
  withGlobals(cmd, [
    'co2sat sites import global_power_plant_database.csv --country DEU,POL --fuel coal,gas --min-capacity 150 --out sites.geojson',
    'co2sat sites import JRC_OPEN_UNITS.csv --bbox 5.8,47.2,15.1,55.1 --fuel lignite,coal --json',
  ]);
  cmd.action(
    action(async (out, file: string, flags: ImportFlags) => {
      const fuels = flags.fuel ? list(flags.fuel) : undefined;
      const bad = fuels?.find((f) => !isFuel(f));
      if (bad !== undefined) throw new UsageError(`--fuel: unknown fuel '${bad}' (valid: ${FUELS.join(', ')})`);
      const { importSitesFile } = await import('../../records/importSites.js');
      const r = await importSitesFile(file, {
        out: flags.out,
        ...(flags.format ? { format: flags.format } : {}),
        ...(flags.country ? { countries: list(flags.country) } : {}),
        ...(fuels ? { fuels: fuels as Fuel[] } : {}),
        ...(flags.minCapacity !== undefined ? { minCapacityMw: flags.minCapacity } : {}),
        ...(flags.bbox ? { bbox: bboxOf(flags.bbox) } : {}),
      });
      const unmapped = Object.entries(r.unmappedFuels);
      if (unmapped.length > 0) out.warn(`${file}: fuels that cannot be mapped (rows skipped): ${unmapped.map(([f, n]) => `${f} (${n})`).join(', ')}`);
      if (r.mixedFuelPlants.length > 0) out.warn(`${r.mixedFuelPlants.length} plants burn several fuels and take the one with most capacity: ${r.mixedFuelPlants.slice(0, 5).join(', ')}`);
      const reasons = new Map<string, number>();
      for (const s of r.skipped) {
        const key = s.reason.replace(/^unit \S+ is (\S+),.*$/, 'unit $1, not in service').replace(/^capacity .* below .*$/, 'below the minimum capacity').replace(/^country .* not selected$/, 'country not selected').replace(/^fuel \w+ not selected$/, 'fuel not selected');
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
      for (const [reason, n] of [...reasons.entries()].sort((a, b) => b[1] - a[1])) out.info(`  skipped ${n} rows: ${reason}`);
      const byFuel = FUELS.map((f) => [f, r.sites.filter((s) => s.fuel === f).length] as const).filter(([, n]) => n > 0);
      out.result(
        { out: r.out, format: r.format, rows: r.rows, sites: r.sites.length, by_fuel: Object.fromEntries(byFuel), skipped: r.skipped, unmapped_fuels: r.unmappedFuels, mixed_fuel_plants: r.mixedFuelPlants },
        `${r.out}: ${r.sites.length} sites (${byFuel.map(([f, n]) => `${n} ${f}`).join(', ')}) from ${r.rows} ${r.format.toUpperCase()} rows; ${r.skipped.length} rows skipped (--json lists each and why)`,
      );
    }),
  );
  return cmd;
}

export async function sitesCommand(): Promise<Command> {
  return new Command('sites').summary('make sites.geojson from open plant lists (GPPD, JRC)').addCommand(importCommand());
}
