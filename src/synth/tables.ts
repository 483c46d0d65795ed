/**
 * The tables of a synthetic world: `labels.csv` with each task's missing cells,
 * `weather.csv` and `sites.geojson`, one row per (site, acquisition) in scene order.
 */
import path from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { formatSitesGeoJson, type Site } from '../records/sites.js';
import { formatLabelsCsv, type LabelRecord } from '../records/labels.js';
import { formatWeatherCsv } from '../records/weather.js';
import { stream } from './rng.js';
import type { World } from './world.js';

export interface MissingMasks {
  active: Uint8Array;
  generation: Uint8Array;
  co2: Uint8Array;
}

/**
 * Blanks exactly round(fraction × n) cells of each task, chosen independently per task by a
 * seeded shuffle (real label sources cover the tasks unevenly).
 */
export function missingMasks(seed: number, n: number, fraction: number): MissingMasks {
  const pick = (task: string) => {
    const mask = new Uint8Array(n);
    const order = stream(seed, 'missing', n, [...task].reduce((h, c) => h * 31 + c.charCodeAt(0), 7) >>> 0).shuffled([...Array(n).keys()]);
    for (const i of order.slice(0, Math.round(fraction * n))) mask[i] = 1;
    return mask;
  };
  return { active: pick('active'), generation: pick('generation_mw'), co2: pick('co2_t_per_h') };
}

/** Writes labels.csv, weather.csv and sites.geojson into `dir`; returns the missing masks used. */
export async function writeTables(dir: string, world: World, seed: number, missing: number): Promise<MissingMasks> {
  const masks = missingMasks(seed, world.plants.length * world.acquisitions.length, missing);
  const samples = world.samples.flat();
  const labels: LabelRecord[] = samples.map((s, k) => ({
    site_id: s.plant.siteId,
    datetime: s.acq.datetime,
    active: masks.active[k] ? null : s.op.active,
    generation_mw: masks.generation[k] ? null : s.op.generationMW,
    co2_t_per_h: masks.co2[k] ? null : s.op.co2TPerH,
  }));
  await writeFileAtomic(path.join(dir, 'labels.csv'), formatLabelsCsv(labels));
  const weather = samples.map((s) => ({
    site_id: s.plant.siteId,
    datetime: s.acq.datetime,
    temperature_c: s.weather.temperatureC,
    relative_humidity: s.weather.relativeHumidity,
    wind_u: s.weather.windU,
    wind_v: s.weather.windV,
  }));
  await writeFileAtomic(path.join(dir, 'weather.csv'), formatWeatherCsv(weather));
  const sites: Site[] = world.plants.map((p) => ({
    site_id: p.siteId,
    lon: p.lon,
    lat: p.lat,
    name: p.name,
    fuel: p.fuel,
    technology: p.technology,
    capacity_mw: p.capacityMW,
  }));
  await writeFileAtomic(path.join(dir, 'sites.geojson'), formatSitesGeoJson(sites));
  return masks;
}
