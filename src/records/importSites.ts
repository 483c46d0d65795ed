/**
 * `sites import`: open plant lists (records/plantLists.ts) to co2sat sites. Units of a plant
 * that are in service and burn a fuel co2sat models are summed into the plant's capacity; the
 * plant's fuel is the one with most of that capacity. Every row that does not become (part
 * of) a site is reported with the reason, so nothing disappears silently.
 */
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { readCsvText } from './csv.js';
import { mapFuel, parsePlantList, type PlantListFormat, type SourcePlant } from './plantLists.js';
import { formatSitesGeoJson, FUELS, siteIdProblem, type Fuel, type Site } from './sites.js';

export interface ImportFilters {
  /** Country codes or names (case-insensitive); all when absent. */
  countries?: readonly string[];
  fuels?: readonly Fuel[];
  /** Plants below this capacity (MW, after summing units) are left out. */
  minCapacityMw?: number;
  /** [west, south, east, north] in degrees. */
  bbox?: readonly [number, number, number, number];
}

export interface SkippedRow {
  line: number;
  plant_id: string;
  name: string;
  /** Why the row is not (part of) a site. */
  reason: string;
}

export interface ImportResult {
  sites: Site[];
  skipped: SkippedRow[];
  /** Source fuel names that could not be mapped, with their row counts. */
  unmappedFuels: Record<string, number>;
  /** Plants whose units burn more than one co2sat fuel (imported with the dominant one). */
  mixedFuelPlants: string[];
}

const SOURCE_NAME: Record<PlantListFormat, string> = { gppd: 'GPPD', jrc: 'JRC-PPDB-OPEN' };
const ID_PROPERTY: Record<PlantListFormat, string> = { gppd: 'gppd_idnr', jrc: 'eic_p' };
const IN_SERVICE = new Set(['COMMISSIONED', 'OPERATING', 'OPERATIONAL']);

export function importSites(format: PlantListFormat, plants: readonly SourcePlant[], filters: ImportFilters = {}): ImportResult {
  const skipped: SkippedRow[] = [];
  const unmappedFuels: Record<string, number> = {};
  const mixedFuelPlants: string[] = [];
  const sites: Site[] = [];
  const countries = filters.countries?.map((c) => c.toLowerCase());
  for (const plant of plants) {
    const byFuel = new Map<Fuel, number>();
    let unitsUsed = 0;
    for (const u of plant.units) {
      const skip = (reason: string) => skipped.push({ line: u.lineNo, plant_id: plant.plant_id, name: plant.name, reason });
      if (u.status !== null && !IN_SERVICE.has(u.status.toUpperCase())) {
        skip(`unit ${u.unit_id ?? '?'} is ${u.status}, not in service`);
        continue;
      }
      const fuel = mapFuel(format, u.source_fuel);
      if (fuel === 'out-of-scope') {
        skip(`not a fossil fuel co2sat models: ${u.source_fuel}`);
        continue;
      }
      if (fuel === null) {
        unmappedFuels[u.source_fuel] = (unmappedFuels[u.source_fuel] ?? 0) + 1;
        skip(`fuel '${u.source_fuel}' cannot be mapped to ${FUELS.join('|')}`);
        continue;
      }
      byFuel.set(fuel, (byFuel.get(fuel) ?? 0) + u.capacity_mw);
      unitsUsed++;
    }
    if (byFuel.size === 0) continue; // every unit already reported
    const [fuel] = [...byFuel.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (fuel === undefined) continue;
    if (byFuel.size > 1) mixedFuelPlants.push(plant.plant_id);
    const capacity = Math.round([...byFuel.values()].reduce((a, b) => a + b, 0) * 1000) / 1000;
    const usedOnly = (reason: string) => {
      // Units already skipped keep their own reason; the rest share the plant's.
      const reported = new Set(skipped.filter((s) => s.plant_id === plant.plant_id).map((s) => s.line));
      for (const u of plant.units) if (!reported.has(u.lineNo)) skipped.push({ line: u.lineNo, plant_id: plant.plant_id, name: plant.name, reason });
    };
    if (countries && !countries.includes(plant.country.toLowerCase()) && !plant.countryAliases.some((a) => countries.includes(a.toLowerCase()))) {
      usedOnly(`country ${plant.country} not selected`);
      continue;
    }
    if (filters.fuels && !filters.fuels.includes(fuel)) {
      usedOnly(`fuel ${fuel} not selected`);
      continue;
    }
    if (filters.minCapacityMw !== undefined && capacity < filters.minCapacityMw) {
      usedOnly(`capacity ${capacity} MW below the minimum ${filters.minCapacityMw} MW`);
      continue;
    }
    const b = filters.bbox;
    if (b && !(plant.lon >= b[0] && plant.lon <= b[2] && plant.lat >= b[1] && plant.lat <= b[3])) {
      usedOnly('outside the bounding box');
      continue;
    }
    if (capacity <= 0) {
      usedOnly('no capacity given');
      continue;
    }
    const idProblem = siteIdProblem(plant.plant_id);
    if (idProblem) {
      usedOnly(`id ${idProblem}, so it cannot be a site_id`);
      continue;
    }
    sites.push({
      site_id: plant.plant_id,
      lon: plant.lon,
      lat: plant.lat,
      name: plant.name,
      fuel,
      technology: null,
      capacity_mw: capacity,
      extra: { source: SOURCE_NAME[format], [ID_PROPERTY[format]]: plant.plant_id, country: plant.country, units: unitsUsed },
    });
  }
  skipped.sort((a, b) => a.line - b.line);
  return { sites, skipped, unmappedFuels, mixedFuelPlants };
}

export interface ImportSitesFileOptions extends ImportFilters {
  format?: PlantListFormat;
  out: string;
}

/** Reads a plant list, imports it and publishes the sites file atomically. */
export async function importSitesFile(file: string, o: ImportSitesFileOptions): Promise<ImportResult & { format: PlantListFormat; out: string; rows: number }> {
  const { format, plants } = parsePlantList(readCsvText(file), file, o.format);
  const r = importSites(format, plants, o);
  if (r.sites.length === 0) throw new InputError(file, `no plant passes the filters (${r.skipped.length} rows skipped; see --json for each row and why)`);
  await writeFileAtomic(o.out, formatSitesGeoJson(r.sites));
  return { ...r, format, out: o.out, rows: plants.reduce((n, p) => n + p.units.length, 0) };
}
