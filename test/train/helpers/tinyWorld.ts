/**
 * A tiny seeded world for model tests: a few plants, a few overpasses, 16×16 patches with 3
 * bands in which a bright plume at the plant grows with generation and points downwind.
 * Labels follow the physics (generation = CF × capacity, CO2 = EF × generation) with some
 * labels blanked per task. Small enough to train on the cpu backend in seconds; the real
 * synthetic world (src/synth) is the one `co2sat ablate` uses.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeGeoTiff } from '../../../src/geo/writeGeoTiff.js';
import { FUELS, type Fuel } from '../../../src/records/sites.js';
import { formatManifestLine, type ManifestRecord } from '../../../src/records/manifest.js';
import { createRng } from '../../../src/train/rng.js';

export interface TinyWorld {
  dir: string;
  tiles: string;
  manifest: string;
  labels: string;
  weather: string;
  sites: string;
}

const EF: Record<Fuel, number> = { lignite: 1.18, coal: 1.0, gas: 0.39, oil: 0.82 };

export async function makeTinyWorld(dir: string, opts: { sites?: number; dates?: number; size?: number; seed?: number; bands?: string[] } = {}): Promise<TinyWorld> {
  const nSites = opts.sites ?? 12;
  const nDates = opts.dates ?? 10;
  const size = opts.size ?? 16;
  const bands = opts.bands ?? ['B02', 'B03', 'B04'];
  const rng = createRng(opts.seed ?? 1);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const tiles = path.join(dir, 'tiles');
  mkdirSync(tiles, { recursive: true });
  const features: unknown[] = [];
  const labelLines = ['site_id,datetime,active,generation_mw,co2_t_per_h'];
  const weatherLines = ['site_id,datetime,temperature_c,relative_humidity,wind_u,wind_v'];
  const manifest: string[] = [];
  const sites = Array.from({ length: nSites }, (_, i) => ({
    site_id: `P${String(i + 1).padStart(3, '0')}`,
    fuel: FUELS[i % FUELS.length]!,
    capacity_mw: Math.round(300 + 1200 * rng()),
  }));
  for (const s of sites) {
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [8 + rng(), 50 + rng()] }, properties: { ...s, name: s.site_id, technology: 'ndt' } });
  }
  for (let d = 0; d < nDates; d++) {
    const datetime = new Date(Date.UTC(2024, 0, 1 + d * 5, 10, 30)).toISOString().replace('.000Z', 'Z');
    const scene = `S2_${d}`;
    for (const s of sites) {
      const active = rng() < 0.75;
      const cf = active ? 0.3 + 0.65 * rng() : 0;
      const gen = cf * s.capacity_mw;
      const co2 = EF[s.fuel] * gen * (1 + 0.02 * gauss());
      const u = 4 * gauss();
      const v = 4 * gauss();
      const temp = 10 + 8 * gauss();
      const rh = Math.min(100, Math.max(5, 60 + 20 * gauss()));
      const data = bands.map(() => new Uint16Array(size * size));
      const c = (size - 1) / 2;
      const len = 1 + (6 * gen) / 1500;
      const norm = Math.hypot(u, v) || 1;
      for (let r = 0; r < size; r++) {
        for (let col = 0; col < size; col++) {
          // Plume along the wind from the centre: x east = col, y north = −row.
          const dx = col - c;
          const dy = -(r - c);
          const along = (dx * u + dy * v) / norm;
          const across = Math.abs((dx * v - dy * u) / norm);
          const plume = gen > 0 && along > -1 && along < len ? Math.exp(-across * across / 2) * (1.5 - along / (len + 1)) : 0;
          data.forEach((b, k) => (b[r * size + col] = Math.max(1, Math.round(1000 + 100 * k + 60 * gauss() + 2500 * plume))));
        }
      }
      const rel = `${scene}/${s.site_id}.tif`;
      await writeGeoTiff(path.join(tiles, rel), {
        width: size,
        height: size,
        dataType: 'uint16',
        bands: data,
        geoTransform: [500000, 10, 0, 5600000, 0, -10],
        epsg: 32632,
        nodata: 0,
        bandDescriptions: bands,
      });
      const rec: ManifestRecord = {
        scene_id: scene,
        source: `scenes/${scene}`,
        site_id: s.site_id,
        datetime,
        path: rel,
        epsg: 32632,
        window: { xoff: 0, yoff: 0, width: size, height: size },
        bands,
        valid_fraction: 1,
        cloud_fraction: 0,
        fingerprint: 'tiny',
      };
      manifest.push(formatManifestLine(rec));
      const blank = (x: string): string => (rng() < 0.1 ? '' : x);
      labelLines.push(`${s.site_id},${datetime},${blank(active ? '1' : '0')},${blank(gen.toFixed(2))},${blank(co2.toFixed(2))}`);
      weatherLines.push(`${s.site_id},${datetime},${temp.toFixed(1)},${rh.toFixed(1)},${u.toFixed(2)},${v.toFixed(2)}`);
    }
  }
  const w: TinyWorld = {
    dir,
    tiles,
    manifest: path.join(tiles, 'manifest.jsonl'),
    labels: path.join(dir, 'labels.csv'),
    weather: path.join(dir, 'weather.csv'),
    sites: path.join(dir, 'sites.geojson'),
  };
  writeFileSync(w.manifest, `${manifest.join('\n')}\n`);
  writeFileSync(w.labels, `${labelLines.join('\n')}\n`);
  writeFileSync(w.weather, `${weatherLines.join('\n')}\n`);
  writeFileSync(w.sites, JSON.stringify({ type: 'FeatureCollection', features }));
  return w;
}
