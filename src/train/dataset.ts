/**
 * Joins the tiling manifest with labels and plant metadata on (site_id, time), and takes the
 * weather at each overpass by records/weather.ts's rule (the one predict uses).
 * Patches with too little valid data are dropped; labels that match no site or no patch
 * are counted (and reported by the commands), never silently lost. Each sample keeps every
 * label it has; missing ones stay null and are masked in the losses.
 */
import type { ManifestRecord } from '../records/manifest.js';
import type { LabelRow } from '../records/labels.js';
import type { ModelSite } from '../records/sites.js';
import { weatherAt, type WeatherAtTime, type WeatherRow } from '../records/weather.js';

export interface Sample {
  record: ManifestRecord;
  site: ModelSite;
  weather: WeatherAtTime | null;
  label: LabelRow | null;
  time_ms: number;
}

export interface JoinReport {
  patches: number;
  droppedLowValid: number;
  patchesUnknownSite: number;
  patchesWithoutLabel: number;
  labelsUnknownSite: number;
  labelsWithoutPatch: number;
  samplesWithoutWeather: number;
}

export interface JoinOptions {
  /** Patches with a smaller valid_fraction are dropped (default 0.5). */
  minValidFraction?: number;
  /** Weather is interpolated across gaps up to this long (default 2 h; see records/weather.ts). */
  maxGapHours?: number;
}

const key = (site: string, t: number): string => `${site}|${t}`;

export function joinDataset(
  manifest: readonly ManifestRecord[],
  labels: readonly LabelRow[],
  weather: readonly WeatherRow[],
  sites: readonly ModelSite[],
  options: JoinOptions = {},
): { samples: Sample[]; report: JoinReport } {
  const minValid = options.minValidFraction ?? 0.5;
  const siteById = new Map(sites.map((s) => [s.site_id, s]));
  const labelByKey = new Map(labels.map((l) => [key(l.site_id, l.time_ms), l]));
  const weatherOf = weatherAt(weather, options.maxGapHours);
  const report: JoinReport = {
    patches: manifest.length,
    droppedLowValid: 0,
    patchesUnknownSite: 0,
    patchesWithoutLabel: 0,
    labelsUnknownSite: labels.filter((l) => !siteById.has(l.site_id)).length,
    labelsWithoutPatch: 0,
    samplesWithoutWeather: 0,
  };
  const patchKeys = new Set<string>();
  const samples: Sample[] = [];
  for (const record of manifest) {
    const t = Date.parse(record.datetime);
    const k = key(record.site_id, t);
    patchKeys.add(k);
    const site = siteById.get(record.site_id);
    if (!site) {
      report.patchesUnknownSite++;
      continue;
    }
    if (record.valid_fraction < minValid) {
      report.droppedLowValid++;
      continue;
    }
    const label = labelByKey.get(k) ?? null;
    if (!label) report.patchesWithoutLabel++;
    const w = weatherOf(record.site_id, t);
    if (!w) report.samplesWithoutWeather++;
    samples.push({ record, site, weather: w, label, time_ms: t });
  }
  report.labelsWithoutPatch = labels.filter((l) => siteById.has(l.site_id) && !patchKeys.has(key(l.site_id, l.time_ms))).length;
  return { samples, report };
}

/** True when the sample has a label for at least one of the tasks. */
export function hasAnyLabel(s: Sample, tasks: readonly string[]): boolean {
  const l = s.label;
  if (!l) return false;
  return (
    (tasks.includes('activity') && l.active !== null) ||
    (tasks.includes('generation') && l.generation_mw !== null) ||
    (tasks.includes('co2') && l.co2_t_per_h !== null)
  );
}

/** One-line summary of a join for the CLI. */
export function describeJoin(r: JoinReport): string {
  const parts = [`${r.patches} patches`];
  if (r.droppedLowValid) parts.push(`${r.droppedLowValid} dropped (low valid_fraction)`);
  if (r.patchesUnknownSite) parts.push(`${r.patchesUnknownSite} for unknown sites`);
  if (r.patchesWithoutLabel) parts.push(`${r.patchesWithoutLabel} without labels`);
  if (r.labelsUnknownSite) parts.push(`${r.labelsUnknownSite} labels for unknown sites`);
  if (r.labelsWithoutPatch) parts.push(`${r.labelsWithoutPatch} labels without a patch`);
  if (r.samplesWithoutWeather) parts.push(`${r.samplesWithoutWeather} without weather rows around the overpass (imputed)`);
  return parts.join(', ');
}
