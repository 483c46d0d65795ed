/**
 * Aggregation to files, shared by `run` and `aggregate`: site-window aggregates → GeoJSON
 * (and optionally FlatGeobuf, a map PNG and the per-overpass predictions as CSV and
 * GeoJSONSeq), each written atomically. With a cache file, only windows
 * whose predictions changed are recomputed: a window's digest hashes its prediction lines,
 * the sites and the aggregation settings, so a reused window is by construction the one a
 * fresh run would compute.
 */
import { promises as fs } from 'node:fs';
import { aggregatePredictions } from './aggregatePredictions.js';
import type { AggregateOptions, SiteWindowAggregate } from './aggregateSite.js';
import { formatFlatGeobuf } from './formatFlatGeobuf.js';
import { formatGeoJSON, SITE_FIELDS } from './formatGeoJSON.js';
import { formatPredictionsCsv, formatPredictionsGeojsonl, predictionTableRows } from '../records/predictionTables.js';
import { formatPredictionLine, type PredictionRecord } from '../records/predictions.js';
import { renderReport, type RenderReportOptions } from './report/renderReport.js';
import { renderSitesMap } from './renderSitesMap.js';
import type { Site } from '../records/sites.js';
import { timeWindowOf, windowKey } from './timeWindowOf.js';
import { toFeature } from './toFeature.js';
import { formatWindowSpec, type WindowSpec } from './windowSpec.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { configHash, contentHash } from '../io/configHash.js';

export interface WriteAggregatesOptions extends AggregateOptions {
  predictions: readonly PredictionRecord[];
  sites: readonly Site[];
  window: WindowSpec;
  /** Where the GeoJSON goes. */
  geojsonFile: string;
  /** The same features as FlatGeobuf, with the same typed fields (optional). */
  fgbFile?: string;
  /** A map PNG of the latest window, sized by CO₂ (optional). */
  mapFile?: string;
  /** The per-overpass predictions as GIS layers: CSV (+ .csvt) and GeoJSONSeq (optional). */
  predictionTables?: { csvFile: string; geojsonlFile: string };
  /** Where the interactive report.html goes (optional). */
  reportFile?: string;
  /** What the report shows beyond the predictions and aggregates: labels, an online tile layer, a title. */
  report?: ReportExtras;
  /** Aggregates of earlier runs, to reuse windows whose inputs did not change (optional). */
  cacheFile?: string;
  /** Model id for sites and windows without predictions. */
  modelId?: string | null;
}

export type ReportExtras = Pick<RenderReportOptions, 'labels' | 'title' | 'tilesUrl' | 'tilesAttribution'>;

export interface WriteAggregatesResult {
  features: number;
  windows: number;
  windowsRecomputed: number;
  windowsReused: number;
  unknownSites: string[];
}

interface Cache {
  version: 1;
  windows: Record<string, { digest: string; aggregates: SiteWindowAggregate[] }>;
}

async function readCache(file: string | undefined): Promise<Cache> {
  if (!file) return { version: 1, windows: {} };
  try {
    const c = JSON.parse(await fs.readFile(file, 'utf8')) as Cache;
    if (c.version === 1 && typeof c.windows === 'object' && c.windows !== null) return c;
  } catch {
    // missing or unreadable: recompute everything
  }
  return { version: 1, windows: {} };
}

/** Aggregates and writes the outputs; returns what was done. */
export async function writeAggregates(o: WriteAggregatesOptions): Promise<WriteAggregatesResult> {
  const settings = configHash({
    window: formatWindowSpec(o.window),
    minValidFraction: o.minValidFraction ?? null,
    cloudyFraction: o.cloudyFraction ?? null,
    uncertainty: o.uncertainty ?? null,
    combine: o.combine ?? null,
    modelId: o.modelId ?? null,
    sites: o.sites.map((s) => [s.site_id, s.lon, s.lat, s.name, s.fuel, s.capacity_mw]),
  });
  // Group prediction lines by window to digest each window's inputs.
  let lo = Infinity;
  let hi = -Infinity;
  const times = o.predictions.map((p) => {
    const t = Date.parse(p.datetime);
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
    return t;
  });
  const range: [number, number] | undefined = times.length > 0 ? [lo, hi] : undefined;
  const hashes = new Map<string, string[]>();
  o.predictions.forEach((p, i) => {
    const key = windowKey(timeWindowOf(times[i]!, o.window, range));
    const list = hashes.get(key) ?? [];
    list.push(formatPredictionLine(p));
    hashes.set(key, list);
  });
  const digests = new Map<string, string>();
  for (const [key, lines] of hashes) digests.set(key, contentHash(`${settings}\n${lines.sort().join('\n')}`));

  const cache = await readCache(o.cacheFile);
  const stale = new Set([...digests].filter(([key, d]) => cache.windows[key]?.digest !== d).map(([key]) => key));
  const fresh = aggregatePredictions(o.predictions, o.sites, o.window, { ...o, onlyWindows: stale, modelId: o.modelId ?? null });
  const byWindow = new Map<string, SiteWindowAggregate[]>();
  for (const a of fresh.aggregates) {
    const key = `${a.window_start}/${a.window_end}`;
    byWindow.set(key, [...(byWindow.get(key) ?? []), a]);
  }
  const all: SiteWindowAggregate[] = [];
  const nextCache: Cache = { version: 1, windows: {} };
  for (const { key } of fresh.windows) {
    const aggs = stale.has(key) ? (byWindow.get(key) ?? []) : cache.windows[key]!.aggregates;
    all.push(...aggs);
    nextCache.windows[key] = { digest: digests.get(key)!, aggregates: aggs };
  }

  const sitesById = new Map(o.sites.map((s) => [s.site_id, s]));
  const features = all.map((a) => toFeature(a, sitesById.get(a.site_id)!));
  await writeFileAtomic(o.geojsonFile, formatGeoJSON(features));
  if (o.fgbFile) await writeFileAtomic(o.fgbFile, formatFlatGeobuf(features, SITE_FIELDS));
  if (o.predictionTables) {
    const { rows } = predictionTableRows(o.predictions, o.sites);
    const { csv, csvt, prj } = formatPredictionsCsv(rows);
    await writeFileAtomic(o.predictionTables.csvFile, csv);
    await writeFileAtomic(`${o.predictionTables.csvFile}t`, csvt);
    await writeFileAtomic(o.predictionTables.csvFile.replace(/\.csv$/i, '.prj'), prj);
    await writeFileAtomic(o.predictionTables.geojsonlFile, formatPredictionsGeojsonl(rows));
  }
  if (o.mapFile) {
    const last = fresh.windows[fresh.windows.length - 1]?.key;
    const shown = all.filter((a) => `${a.window_start}/${a.window_end}` === last);
    const mapSites = (shown.length > 0 ? shown : o.sites.map((s) => ({ ...s, co2_t_per_h: null }))).map((a) => {
      const s = sitesById.get(a.site_id)!;
      return { lon: s.lon, lat: s.lat, fuel: s.fuel, co2_t_per_h: a.co2_t_per_h };
    });
    const [start, end] = (last ?? '').split('/');
    const title = last ? `co2sat: CO₂ t/h, ${formatWindowSpec(o.window)} window ${start!.slice(0, 10)} to ${end!.slice(0, 10)}` : 'co2sat: no observations';
    await writeFileAtomic(o.mapFile, renderSitesMap(mapSites, { title }));
  }
  if (o.reportFile) {
    const report = renderReport({
      ...o.report,
      predictions: o.predictions,
      sites: o.sites,
      aggregates: all,
      minValidFraction: o.minValidFraction,
      cloudyFraction: o.cloudyFraction,
    });
    await writeFileAtomic(o.reportFile, report);
  }
  if (o.cacheFile) await writeFileAtomic(o.cacheFile, `${JSON.stringify(nextCache)}\n`);
  return {
    features: all.length,
    windows: fresh.windows.length,
    windowsRecomputed: stale.size,
    windowsReused: fresh.windows.length - stale.size,
    unknownSites: fresh.unknownSites,
  };
}
