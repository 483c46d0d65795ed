/**
 * Per-overpass labels from hourly (or finer) unit series: for every patch of a tiles manifest,
 * each unit of the patch's plant is interpolated linearly between its two samples around the
 * overpass — refused when they are more than `maxGapHours` apart or when the overpass lies
 * outside the series — and the units are summed into the plant. A plant is `active` when one
 * of its units generates above `activeThresholdMw`; its generation and CO₂ are known only
 * when every unit's are. CO₂ from generation × the plant's emission factor is made only when
 * asked (`co2FromEf`) and marked `derived`.
 */
import { optionText, OptionError } from '../errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { loadEmissionFactors, type EmissionFactors } from '../model/physics.js';
import { bracket, interpolate } from '../records/bracket.js';
import { readCsvText } from '../records/csv.js';
import { parseGenerationSeries, type SeriesFormat, type SeriesReadOptions, type SeriesSample } from '../records/generationSeries.js';
import { formatLabelsCsv, type LabelRecord } from '../records/labels.js';
import { manifestPath, readManifest, type ManifestRecord } from '../records/manifest.js';
import { readSitesFile, toModelSites, type ModelSite } from '../records/sites.js';
import { readUnitPlants } from '../records/unitPlants.js';

export interface BuildLabelsOptions {
  /** Longest gap between the samples around an overpass (default 2 h). */
  maxGapHours?: number;
  /** A unit above this output (MW) counts as running (default 1 MW). */
  activeThresholdMw?: number;
  /** unit_id → site_id; without it each series id (or the plant the source names) is a site id. */
  unitPlants?: ReadonlyMap<string, string>;
  /** CO₂ = generation × the fuel's median emission factor where the series has none. */
  co2FromEf?: { factors: EmissionFactors; sites: readonly ModelSite[] };
}

export interface BuildLabelsReport {
  overpasses: number;
  labelled: number;
  /** Overpasses whose plant has no series at all. */
  plantsWithoutSeries: string[];
  /** Overpasses refused because some unit's samples around it are too far apart. */
  refusedGap: number;
  /** Overpasses before the first or after the last sample of some unit. */
  outsideSeries: number;
  /** Series ids the mapping does not know (with a mapping only). */
  unitsWithoutPlant: string[];
  /** Labels whose CO₂ was derived from generation × emission factor. */
  co2Derived: number;
}

export function buildLabels(manifest: readonly ManifestRecord[], series: readonly SeriesSample[], o: BuildLabelsOptions = {}): { labels: LabelRecord[]; report: BuildLabelsReport } {
  const maxGapMs = (o.maxGapHours ?? 2) * 3_600_000;
  const threshold = o.activeThresholdMw ?? 1;
  const unitsOf = new Map<string, Map<string, SeriesSample[]>>();
  const unmapped = new Set<string>();
  for (const s of series) {
    const site = o.unitPlants ? o.unitPlants.get(s.unit_id) : (s.plant_id ?? s.unit_id);
    if (site === undefined) {
      unmapped.add(s.unit_id);
      continue;
    }
    const units = unitsOf.get(site) ?? new Map<string, SeriesSample[]>();
    unitsOf.set(site, units);
    const list = units.get(s.unit_id) ?? [];
    units.set(s.unit_id, list);
    list.push(s);
  }
  for (const units of unitsOf.values()) for (const list of units.values()) list.sort((a, b) => a.time_ms - b.time_ms);
  const efOf = new Map((o.co2FromEf?.sites ?? []).map((s) => [s.site_id, o.co2FromEf?.factors[s.fuel].median ?? null]));

  const report: BuildLabelsReport = { overpasses: 0, labelled: 0, plantsWithoutSeries: [], refusedGap: 0, outsideSeries: 0, unitsWithoutPlant: [...unmapped].sort(), co2Derived: 0 };
  const noSeries = new Set<string>();
  const seen = new Set<string>();
  const labels: LabelRecord[] = [];
  for (const rec of [...manifest].sort((a, b) => a.site_id.localeCompare(b.site_id) || Date.parse(a.datetime) - Date.parse(b.datetime))) {
    const key = `${rec.site_id}|${rec.datetime}`;
    if (seen.has(key)) continue; // one label per site and overpass, whatever the band sets
    seen.add(key);
    report.overpasses++;
    const units = unitsOf.get(rec.site_id);
    if (!units) {
      noSeries.add(rec.site_id);
      continue;
    }
    const t = Date.parse(rec.datetime);
    let gen: number | null = 0;
    let co2: number | null = 0;
    let anyOn = false;
    let allKnown = true;
    let refused: 'gap' | 'outside' | null = null;
    for (const samples of units.values()) {
      const at = bracket(samples, t, maxGapMs);
      if (at.kind === 'gap' || at.kind === 'outside') {
        refused ??= at.kind;
        break;
      }
      const g = interpolate(at, (s) => s.generation_mw);
      const c = interpolate(at, (s) => s.co2_t_per_h);
      if (g === null) allKnown = false;
      else if (g > threshold) anyOn = true;
      gen = g === null || gen === null ? null : gen + g;
      co2 = c === null || co2 === null ? null : co2 + c;
    }
    if (refused === 'gap') report.refusedGap++;
    if (refused === 'outside') report.outsideSeries++;
    if (refused !== null) continue;
    const active = anyOn ? true : allKnown ? false : null;
    let co2_source: LabelRecord['co2_source'] = co2 === null ? null : 'measured';
    if (co2 === null && gen !== null && o.co2FromEf) {
      const ef = efOf.get(rec.site_id);
      if (ef !== undefined && ef !== null) {
        co2 = gen * ef;
        co2_source = 'derived';
        report.co2Derived++;
      }
    }
    // Sources without CO₂ leave it unknown (a blank cell), not zero.
    labels.push({ site_id: rec.site_id, datetime: rec.datetime, active, generation_mw: gen, co2_t_per_h: co2, co2_source });
    report.labelled++;
  }
  report.plantsWithoutSeries = [...noSeries].sort();
  return { labels, report };
}

export interface LabelsBuildFiles extends BuildLabelsOptionsFromFiles {
  /** Tiles folder whose manifest gives the overpasses. */
  tiles: string;
  /** Series CSVs (ENTSO-E, CAMPD or generic). */
  series: readonly string[];
  /** unit_id,site_id CSV. */
  units?: string;
  /** Sites file: needed for `co2FromEf` (the plants' fuels), checked against otherwise. */
  sites?: string;
  /** labels.csv to write. */
  out: string;
}

interface BuildLabelsOptionsFromFiles extends Omit<BuildLabelsOptions, 'unitPlants' | 'co2FromEf'>, SeriesReadOptions {
  co2FromEf?: boolean;
}

export interface LabelsBuildResult extends BuildLabelsReport {
  out: string;
  formats: Record<string, SeriesFormat>;
  samples: number;
  /** Plants in the sites file the manifest never shows (with sites only). */
  sitesNotInManifest: number;
}

/** Reads the files, builds the labels and publishes labels.csv atomically. */
export async function buildLabelsFiles(o: LabelsBuildFiles): Promise<LabelsBuildResult> {
  const manifest = await readManifest(manifestPath(o.tiles));
  const formats: Record<string, SeriesFormat> = {};
  const samples: SeriesSample[] = [];
  for (const file of o.series) {
    const r = parseGenerationSeries(readCsvText(file), file, o);
    formats[file] = r.format;
    for (const s of r.samples) samples.push(s);
  }
  const unitPlants = o.units ? readUnitPlants(o.units) : undefined;
  const sites = o.sites ? toModelSites((await readSitesFile(o.sites)).sites, o.sites) : null;
  if (o.co2FromEf && sites === null) throw new OptionError('co2-from-ef', `needs ${optionText('sites')} for each plant's fuel`);
  const { labels, report } = buildLabels(manifest, samples, {
    ...(o.maxGapHours !== undefined ? { maxGapHours: o.maxGapHours } : {}),
    ...(o.activeThresholdMw !== undefined ? { activeThresholdMw: o.activeThresholdMw } : {}),
    ...(unitPlants ? { unitPlants } : {}),
    ...(o.co2FromEf && sites ? { co2FromEf: { factors: loadEmissionFactors(), sites } } : {}),
  });
  await writeFileAtomic(o.out, formatLabelsCsv(labels));
  const inManifest = new Set(manifest.map((r) => r.site_id));
  return { ...report, out: o.out, formats, samples: samples.length, sitesNotInManifest: sites ? sites.filter((s) => !inManifest.has(s.site_id)).length : 0 };
}
