/**
 * Reads the four inputs the model commands share (`--tiles`, `--labels`, `--weather`,
 * `--sites`) and joins them. Every parse error is an InputError naming its file.
 */
import { readLabelsCsv } from '../model/data/labels.js';
import { readModelSites } from '../records/sites.js';
import { readWeatherCsv, type WeatherRow } from '../model/data/weather.js';
import { manifestPath, readManifestSync } from '../records/manifest.js';
import { joinDataset, type JoinReport, type Sample } from './dataset.js';

export interface DataPaths {
  tiles: string;
  labels: string;
  weather?: string;
  sites: string;
}

export function loadData(p: DataPaths, minValidFraction: number): { samples: Sample[]; report: JoinReport; manifestFile: string } {
  const file = manifestPath(p.tiles);
  const records = readManifestSync(file);
  const labels = readLabelsCsv(p.labels);
  const weather: WeatherRow[] = p.weather ? readWeatherCsv(p.weather) : [];
  const sites = readModelSites(p.sites);
  const { samples, report } = joinDataset(records, labels, weather, sites, { minValidFraction });
  return { samples, report, manifestFile: file };
}
