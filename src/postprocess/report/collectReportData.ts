/**
 * The report's data model: everything the page shows, gathered from the run's per-patch
 * predictions, its sites and their per-window aggregates (and labels when known), laid out
 * in columns so a 2,000-site × 12-window report stays a few MB of JSON that the browser
 * parses in milliseconds.
 *
 * An overpass is marked the way aggregation counts it (aggregateSite.ts): 'invalid' when it
 * was not used in the window's estimate (valid_fraction < minValidFraction, cloud_fraction
 * = 1, or no estimate), else 'cloudy' when cloud_fraction ≥ cloudyFraction, else 'clear'.
 */
import type { LabelRow } from '../../records/labels.js';
import type { PredictionRecord } from '../../records/predictions.js';
import type { SiteWindowAggregate } from '../aggregateSite.js';
import type { Site } from '../../records/sites.js';

/** Overpass status codes in `SiteSeries.status`. */
export const OVERPASS_CLEAR = 0;
export const OVERPASS_CLOUDY = 1;
export const OVERPASS_INVALID = 2;

export interface ReportSite {
  id: string;
  name: string | null;
  fuel: string | null;
  /** Natural Earth country name, or null when the point lies in no country (sea, unknown). */
  country: string | null;
  capacity_mw: number | null;
  lon: number;
  lat: number;
}

/** Per-window values, indexed [window][site]; null where the window has no estimate. */
export interface WindowColumns {
  co2_t_per_h: (number | null)[][];
  co2_t_per_h_p05: (number | null)[][];
  co2_t_per_h_p95: (number | null)[][];
  generation_mw: (number | null)[][];
  generation_mw_p05: (number | null)[][];
  generation_mw_p95: (number | null)[][];
  p_on: (number | null)[][];
  n_obs: number[][];
  n_valid: number[][];
  n_cloudy: number[][];
}

/** One site's overpasses in time order, one entry per prediction line. */
export interface SiteSeries {
  /** Overpass times, seconds since 1970-01-01T00:00Z (uPlot's time unit). */
  t: number[];
  status: number[];
  p_on: (number | null)[];
  generation_mw: (number | null)[];
  generation_mw_p05: (number | null)[];
  generation_mw_p95: (number | null)[];
  co2_t_per_h: (number | null)[];
  co2_t_per_h_p05: (number | null)[];
  co2_t_per_h_p95: (number | null)[];
  /** Labels at the overpass (same time, same site); empty arrays when the report has no labels at all. */
  label_active: (number | null)[];
  label_generation_mw: (number | null)[];
  label_co2_t_per_h: (number | null)[];
}

export interface ReportData {
  title: string;
  /** The window rule (`30d`, `month` …). */
  window_rule: string;
  windows: { start: string; end: string }[];
  sites: ReportSite[];
  fuels: string[];
  countries: string[];
  agg: WindowColumns;
  series: SiteSeries[];
  has_labels: boolean;
  cloudy_fraction: number;
  min_valid_fraction: number;
  /** An online XYZ tile layer offered beside the offline basemap (off until switched on). */
  tiles_url: string | null;
  tiles_attribution: string | null;
}

export interface CollectReportOptions {
  predictions: readonly PredictionRecord[];
  sites: readonly Site[];
  aggregates: readonly SiteWindowAggregate[];
  /** Country of each site (same order as `sites`), e.g. from siteCountries.ts. */
  countries?: readonly (string | null)[];
  labels?: readonly LabelRow[];
  title?: string;
  minValidFraction?: number;
  cloudyFraction?: number;
  tilesUrl?: string | null;
  tilesAttribution?: string | null;
}

/** Rounds to `digits` decimals, keeping null; the report shows at most 3 significant places. */
function round(v: number | null, digits: number): number | null {
  if (v === null) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function emptySeries(): SiteSeries {
  return {
    t: [],
    status: [],
    p_on: [],
    generation_mw: [],
    generation_mw_p05: [],
    generation_mw_p95: [],
    co2_t_per_h: [],
    co2_t_per_h_p05: [],
    co2_t_per_h_p95: [],
    label_active: [],
    label_generation_mw: [],
    label_co2_t_per_h: [],
  };
}

/**
 * @returns the report's data; predictions and aggregates of sites not in `sites` are left out
 * @example collectReportData({ predictions, sites, aggregates }).series[0].t.length // site 0's overpasses
 */
export function collectReportData(o: CollectReportOptions): ReportData {
  const minValid = o.minValidFraction ?? 0.5;
  const cloudy = o.cloudyFraction ?? 0.5;
  const siteIndex = new Map(o.sites.map((s, i) => [s.site_id, i]));

  const windowKeys = [...new Set(o.aggregates.map((a) => `${a.window_start}/${a.window_end}`))].sort();
  const windowIndex = new Map(windowKeys.map((k, i) => [k, i]));
  const grid = <T>(fill: T): T[][] => windowKeys.map(() => o.sites.map(() => fill));
  const agg: WindowColumns = {
    co2_t_per_h: grid<number | null>(null),
    co2_t_per_h_p05: grid<number | null>(null),
    co2_t_per_h_p95: grid<number | null>(null),
    generation_mw: grid<number | null>(null),
    generation_mw_p05: grid<number | null>(null),
    generation_mw_p95: grid<number | null>(null),
    p_on: grid<number | null>(null),
    n_obs: grid(0),
    n_valid: grid(0),
    n_cloudy: grid(0),
  };
  for (const a of o.aggregates) {
    const s = siteIndex.get(a.site_id);
    const w = windowIndex.get(`${a.window_start}/${a.window_end}`);
    if (s === undefined || w === undefined) continue;
    const set = (col: (number | null)[][], v: number | null, digits: number): void => {
      col[w]![s] = round(v, digits);
    };
    set(agg.co2_t_per_h, a.co2_t_per_h, 2);
    set(agg.co2_t_per_h_p05, a.co2_t_per_h_p05, 2);
    set(agg.co2_t_per_h_p95, a.co2_t_per_h_p95, 2);
    set(agg.generation_mw, a.generation_mw, 1);
    set(agg.generation_mw_p05, a.generation_mw_p05, 1);
    set(agg.generation_mw_p95, a.generation_mw_p95, 1);
    set(agg.p_on, a.p_on, 3);
    agg.n_obs[w]![s] = a.n_obs;
    agg.n_valid[w]![s] = a.n_valid;
    agg.n_cloudy[w]![s] = a.n_cloudy;
  }

  const labelAt = new Map<string, LabelRow>();
  for (const l of o.labels ?? []) labelAt.set(`${l.site_id}\n${l.time_ms}`, l);

  const bySite: PredictionRecord[][] = o.sites.map(() => []);
  for (const p of o.predictions) {
    const s = siteIndex.get(p.site_id);
    if (s !== undefined) bySite[s]!.push(p);
  }
  let labelled = 0;
  const series = bySite.map((records) => {
    const out = emptySeries();
    const timed = records.map((p) => ({ p, ms: Date.parse(p.datetime) })).sort((a, b) => a.ms - b.ms);
    for (const { p, ms } of timed) {
      const hasEstimate = p.generation_mw !== null || p.co2_t_per_h !== null || p.p_on !== null;
      const invalid = p.valid_fraction < minValid || (p.cloud_fraction ?? 0) >= 1 || !hasEstimate;
      out.t.push(Math.round(ms / 1000));
      out.status.push(invalid ? OVERPASS_INVALID : (p.cloud_fraction ?? 0) >= cloudy ? OVERPASS_CLOUDY : OVERPASS_CLEAR);
      out.p_on.push(round(p.p_on, 3));
      out.generation_mw.push(round(p.generation_mw, 1));
      out.generation_mw_p05.push(round(p.generation_mw_p05, 1));
      out.generation_mw_p95.push(round(p.generation_mw_p95, 1));
      out.co2_t_per_h.push(round(p.co2_t_per_h, 2));
      out.co2_t_per_h_p05.push(round(p.co2_t_per_h_p05, 2));
      out.co2_t_per_h_p95.push(round(p.co2_t_per_h_p95, 2));
      const label = labelAt.get(`${p.site_id}\n${ms}`);
      if (label) labelled++;
      out.label_active.push(label?.active === undefined || label.active === null ? null : label.active ? 1 : 0);
      out.label_generation_mw.push(round(label?.generation_mw ?? null, 1));
      out.label_co2_t_per_h.push(round(label?.co2_t_per_h ?? null, 2));
    }
    return out;
  });

  // Without a single label the label columns carry nothing: drop them rather than ship nulls.
  if (labelled === 0) for (const s of series) s.label_active = s.label_generation_mw = s.label_co2_t_per_h = [];
  const sites: ReportSite[] = o.sites.map((s, i) => ({
    id: s.site_id,
    name: s.name,
    fuel: s.fuel,
    country: o.countries?.[i] ?? null,
    capacity_mw: s.capacity_mw,
    lon: s.lon,
    lat: s.lat,
  }));
  const distinct = (values: (string | null)[]): string[] => [...new Set(values.filter((v): v is string => v !== null))].sort();
  return {
    title: o.title ?? 'co2sat report',
    window_rule: o.aggregates[0]?.window ?? '',
    windows: windowKeys.map((k) => {
      const [start = '', end = ''] = k.split('/');
      return { start, end };
    }),
    sites,
    fuels: distinct(sites.map((s) => s.fuel)),
    countries: distinct(sites.map((s) => s.country)),
    agg,
    series,
    has_labels: labelled > 0,
    cloudy_fraction: cloudy,
    min_valid_fraction: minValid,
    tiles_url: o.tilesUrl ?? null,
    tiles_attribution: o.tilesAttribution ?? null,
  };
}
