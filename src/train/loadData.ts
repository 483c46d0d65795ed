/**
 * Reads the four inputs the model commands share (`--tiles`, `--labels`, `--weather`,
 * `--sites`) and joins them. Every parse error is an InputError naming its file.
 */
import { readLabelsCsv } from '../records/labels.js';
import { readModelSites } from '../records/sites.js';
import { readWeatherCsv, type WeatherRow } from '../records/weather.js';
import { manifestPath, readManifestSync } from '../records/manifest.js';
import { joinDataset, type JoinReport, type Sample } from './dataset.js';

export interface DataPaths {
  tiles: string;
  labels: string;
  weather?: string;
  sites: string;
  /** Read datetimes without a zone as UTC (otherwise they are refused). */
  assumeUtc?: boolean;
  /** The weather join's longest interpolation gap (records/weather.ts; default 2 h). */
  maxGapHours?: number;
}

export function loadData(p: DataPaths, minValidFraction: number): { samples: Sample[]; report: JoinReport; manifestFile: string } {
  const file = manifestPath(p.tiles);
  const records = readManifestSync(file);
  const timeOptions = { assumeUtc: p.assumeUtc ?? false };
  const labels = readLabelsCsv(p.labels, timeOptions);
  const weather: WeatherRow[] = p.weather ? readWeatherCsv(p.weather, timeOptions) : [];
  const sites = readModelSites(p.sites);
  const { samples, report } = joinDataset(records, labels, weather, sites, { minValidFraction, ...(p.maxGapHours !== undefined ? { maxGapHours: p.maxGapHours } : {}) });
  return { samples, report, manifestFile: file };
}
