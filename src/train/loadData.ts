/**
 * Reads the four inputs the model commands share (`--tiles`, `--labels`, `--weather`,
 * `--sites`) and joins them. Every parse error is an InputError naming its file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, optionText } from '../errors.js';
import { readLabelsCsv } from '../model/data/labels.js';
import { readModelSites } from '../records/sites.js';
import { readWeatherCsv, type WeatherRow } from '../model/data/weather.js';
import { ManifestParseError, parseManifest, type ManifestRecord } from '../tiling/manifest.js';
import { joinDataset, type JoinReport, type Sample } from './dataset.js';

export interface DataPaths {
  tiles: string;
  labels: string;
  weather?: string;
  sites: string;
}

export function readManifestFile(tilesDir: string): { file: string; records: ManifestRecord[] } {
  const file = path.join(tilesDir, 'manifest.jsonl');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(file, `not found (run co2sat tile first, or point ${optionText('tiles')} at its output folder)`);
  }
  try {
    return { file, records: parseManifest(text) };
  } catch (e) {
    if (e instanceof ManifestParseError) throw new InputError(file, e.message);
    throw e;
  }
}

export function loadData(p: DataPaths, minValidFraction: number): { samples: Sample[]; report: JoinReport; manifestFile: string } {
  const { file, records } = readManifestFile(p.tiles);
  const labels = readLabelsCsv(p.labels);
  const weather: WeatherRow[] = p.weather ? readWeatherCsv(p.weather) : [];
  const sites = readModelSites(p.sites);
  const { samples, report } = joinDataset(records, labels, weather, sites, { minValidFraction });
  return { samples, report, manifestFile: file };
}
