/**
 * All sites × all windows: groups predictions by the window their datetime falls in and
 * by site, and aggregates each group with aggregateSite. Every site of the sites file gets
 * a record for every window that holds an observation, so a site that was never seen (or
 * only under clouds) still appears, with nulls and a reason.
 */
import { aggregateSite, type AggregateOptions, type SiteWindowAggregate } from './aggregateSite.js';
import type { PredictionRecord } from '../records/predictions.js';
import type { Site } from '../records/sites.js';
import { timeWindowOf, windowKey, type TimeWindow } from './timeWindowOf.js';
import { formatWindowSpec, type WindowSpec } from './windowSpec.js';

export interface AggregationResult {
  aggregates: SiteWindowAggregate[];
  /** Windows in time order, keyed as windowKey() does. */
  windows: { key: string; window: TimeWindow }[];
  /** Site ids found in predictions but not in the sites file (their records are left out). */
  unknownSites: string[];
}

/** [earliest, latest] of some times (a loop: spreading 10⁵ values into Math.min overflows the stack). */
function timeRange(times: readonly number[]): [number, number] | undefined {
  if (times.length === 0) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of times) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return [lo, hi];
}

/** The window of every prediction, by the spec's rule (`all` uses the predictions' range). */
export function windowsOfPredictions(predictions: readonly PredictionRecord[], spec: WindowSpec): Map<string, TimeWindow> {
  const out = new Map<string, TimeWindow>();
  const times = predictions.map((p) => Date.parse(p.datetime));
  const range = timeRange(times);
  for (const t of times) {
    const w = timeWindowOf(t, spec, range);
    out.set(windowKey(w), w);
  }
  return out;
}

/**
 * @param predictions merged predictions (see mergePredictions); not mutated
 * @param sites the sites, in output order
 * @param spec the window rule
 * @param options thresholds, plus `onlyWindows` to compute just some window keys (incremental runs)
 * @returns aggregates ordered by window start, then by the sites' order
 */
export function aggregatePredictions(
  predictions: readonly PredictionRecord[],
  sites: readonly Site[],
  spec: WindowSpec,
  options: AggregateOptions & { onlyWindows?: ReadonlySet<string>; modelId?: string | null } = {},
): AggregationResult {
  const windows = [...windowsOfPredictions(predictions, spec).entries()]
    .map(([key, window]) => ({ key, window }))
    .sort((a, b) => a.window.start - b.window.start);
  const siteIds = new Set(sites.map((s) => s.site_id));
  const unknown = new Set<string>();
  const times = predictions.map((p) => Date.parse(p.datetime));
  const range = timeRange(times);
  const groups = new Map<string, PredictionRecord[]>();
  predictions.forEach((p, i) => {
    if (!siteIds.has(p.site_id)) {
      unknown.add(p.site_id);
      return;
    }
    const key = `${windowKey(timeWindowOf(times[i]!, spec, range))}\u0000${p.site_id}`;
    const list = groups.get(key);
    if (list) list.push(p);
    else groups.set(key, [p]);
  });
  const modelId = options.modelId ?? predictions[0]?.model_id ?? null;
  const label = formatWindowSpec(spec);
  const aggregates: SiteWindowAggregate[] = [];
  for (const { key, window } of windows) {
    if (options.onlyWindows && !options.onlyWindows.has(key)) continue;
    for (const site of sites) {
      aggregates.push(aggregateSite(site, window, label, groups.get(`${key}\u0000${site.site_id}`) ?? [], modelId, options));
    }
  }
  return { aggregates, windows, unknownSites: [...unknown].sort() };
}
