/**
 * report.html from a run's predictions, sites and window aggregates: the data model
 * (collectReportData.ts), the sites' countries (the sites file's `country`, else the Natural
 * Earth polygon holding the point), the offline basemap and the libraries,
 * assembled into one self-contained page that opens from file:// with no network.
 */
import { naturalEarthBasemap } from './basemap.js';
import { collectReportData, type CollectReportOptions } from './collectReportData.js';
import { reportAssets } from './reportAssets.js';
import { gzipJsonBase64, jsonForScript, reportHtml } from './reportTemplate.js';
import { siteCountries } from './siteCountries.js';

export type RenderReportOptions = Omit<CollectReportOptions, 'countries'>;

/**
 * @returns the page's HTML text
 * @example writeFileAtomic('report.html', renderReport({ predictions, sites, aggregates }))
 */
export function renderReport(o: RenderReportOptions): string {
  // A country the sites file names (`sites import` keeps the plant list's) wins over the map's.
  const mapped = siteCountries(o.sites);
  const countries = o.sites.map((s, i) => {
    const named = s.extra?.country;
    return typeof named === 'string' && named.trim() !== '' ? named.trim() : (mapped[i] ?? null);
  });
  const data = collectReportData({ ...o, countries });
  const { series, ...rest } = data;
  return reportHtml(data.title, jsonForScript(rest), series.map(gzipJsonBase64).join('\n'), gzipJsonBase64(naturalEarthBasemap()), reportAssets());
}
