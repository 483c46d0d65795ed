/**
 * End to end on a synthetic world with the real parts: synth scenes → tiling → a tiny model
 * trained on them → `run` → sites.geojson, read back by OGR (live GDAL, or its recorded
 * answers): feature count, field names and types, coordinates within 1e-7 of the sites.
 * The run's per-patch predictions equal `predict` over separately tiled patches, a rerun
 * changes nothing, and two shards merged give the single run's GeoJSON.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { generateWorld } from '../../src/synth/generateWorld.js';
import { tileScenes } from '../../src/tiling/tileScenes.js';
import { withDefaults } from '../../src/train/config.js';
import { loadData } from '../../src/train/loadData.js';
import { train } from '../../src/train/trainer.js';
import { runScenes } from '../../pipeline/runScenes.js';
import { loadModelPredictor } from '../../src/predict/modelPredictor.js';
import { predictTiles } from '../../src/predict/predictTiles.js';
import { writeAggregates } from '../../src/postprocess/writeAggregates.js';
import { readModelSites } from '../../src/records/sites.js';
import { readWeatherCsv } from '../../src/records/weather.js';
import { SITE_FIELDS } from '../../src/postprocess/formatGeoJSON.js';
import { parsePredictions } from '../../src/records/predictions.js';
import { readPredictionFiles } from '../../src/postprocess/readPredictionFiles.js';
import { parseWindowSpec } from '../../src/postprocess/windowSpec.js';
import { ORACLE_NOTE, oracle } from '../helpers/oracle.js';
import { ogrDump, ogrToGpkg } from '../postprocess/ogr.js';

const SIZE = 32;
let dir: string;
let world: string;
let modelDir: string;
let tilesDir: string;

interface OgrView {
  driver: string;
  gpkg_driver: string;
  fields: [string, string][];
  gpkg_fields: [string, string][];
  count_is_sites_times_windows: boolean;
  gpkg_count_is_same: boolean;
  all_points: boolean;
  coordinates_within_1e7_of_sites: boolean;
  srs_epsg: string | null;
}

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-e2e-'));
  world = path.join(dir, 'world');
  await generateWorld({ out: world, sites: 4, dates: 8, size: 256, seed: 7 });
  tilesDir = path.join(dir, 'tiles');
  await tileScenes({ scenesDir: path.join(world, 'scenes'), sitesFile: path.join(world, 'sites.geojson'), outDir: tilesDir, size: SIZE, concurrency: 2 });
  const data = loadData({ tiles: tilesDir, labels: path.join(world, 'labels.csv'), weather: path.join(world, 'weather.csv'), sites: path.join(world, 'sites.geojson') }, 0.5);
  modelDir = path.join(dir, 'model');
  const config = withDefaults({ epochs: 2, batch_size: 8, seed: 1, val_fraction: 0.25, test_fraction: 0.25, architecture: { stem_width: 4, stage_widths: [4], blocks_per_stage: 1, hidden: 8 } });
  const r = await train({ samples: data.samples, tilesDir, manifestFile: data.manifestFile }, config, modelDir, { backend: 'wasm' });
  r.net.dispose();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const common = () => ({
  scenesDir: path.join(world, 'scenes'),
  sitesFile: path.join(world, 'sites.geojson'),
  weatherFile: path.join(world, 'weather.csv'),
  modelDir,
  window: '30d',
  backend: 'wasm',
  tileSize: SIZE,
});

describe('run on a synthetic world', () => {
  it(`writes GeoJSON that OGR reads with the declared fields at the sites' coordinates (${ORACLE_NOTE})`, async () => {
    const out = path.join(dir, 'run');
    const s = await runScenes({ ...common(), outDir: out });
    expect(s.scenes).toEqual({ total: 8, new: 8, changed: 0, skipped: 0, failed: 0, removed: 0 });
    expect(s.patches.total).toBeGreaterThan(0);
    expect(s.failed).toEqual([]);
    const geojson = path.join(out, 'sites.geojson');
    const sites = readModelSites(path.join(world, 'sites.geojson'));
    const expectedCount = sites.length * s.windows!.total;
    // OGR's answers reduced to world-independent facts, so the golden outlives changes to the
    // synthetic generator: field names and types, counts as expected, coordinates at the sites.
    const view = oracle<OgrView>('postprocess/e2e-run-sites', () => {
      const l = ogrDump(geojson);
      const g = ogrToGpkg(geojson, path.join(dir, 'sites.gpkg'));
      const byId = new Map(sites.map((x) => [x.site_id, x]));
      const err = l.features.map((f) => {
        const site = byId.get(f.values.site_id ?? '');
        return site ? Math.max(Math.abs(f.x - site.lon), Math.abs(f.y - site.lat)) : Infinity;
      });
      return {
        driver: l.driver,
        gpkg_driver: g.driver,
        fields: l.fields,
        gpkg_fields: g.fields,
        count_is_sites_times_windows: l.count === expectedCount,
        gpkg_count_is_same: g.count === l.count,
        all_points: l.features.every((f) => f.geom === 'POINT'),
        coordinates_within_1e7_of_sites: err.every((e) => e <= 1e-7 + 1e-12),
        srs_epsg: l.srs_epsg,
      };
    });
    const ogrType = { string: 'String', integer: 'Integer', real: 'Real', datetime: 'DateTime' } as const;
    expect(view).toEqual({
      driver: 'GeoJSON',
      gpkg_driver: 'GPKG',
      fields: SITE_FIELDS.map(([n, t]) => [n, ogrType[t]]),
      // ogr2ogr carries every field into the GeoPackage with the same name and type
      gpkg_fields: SITE_FIELDS.map(([n, t]) => [n, ogrType[t]]),
      count_is_sites_times_windows: true,
      gpkg_count_is_same: true,
      all_points: true,
      coordinates_within_1e7_of_sites: true,
      srs_epsg: '4326',
    });
    // Our own file, checked the same way without GDAL.
    const ours = JSON.parse(readFileSync(geojson, 'utf8')) as { features: { geometry: { coordinates: number[] }; properties: { site_id: string } }[] };
    expect(ours.features).toHaveLength(expectedCount);
    for (const f of ours.features) {
      const site = sites.find((x) => x.site_id === f.properties.site_id)!;
      expect(Math.abs(f.geometry.coordinates[0]! - site.lon)).toBeLessThanOrEqual(1e-7);
      expect(Math.abs(f.geometry.coordinates[1]! - site.lat)).toBeLessThanOrEqual(1e-7);
    }

    // A rerun has nothing to do and rewrites identical outputs.
    const before = readFileSync(geojson, 'utf8');
    const again = await runScenes({ ...common(), outDir: out });
    expect(again.scenes).toMatchObject({ new: 0, skipped: 8 });
    expect(readFileSync(geojson, 'utf8')).toBe(before);
  });

  it('predicts each patch exactly as `predict` does over separately tiled patches', async () => {
    const out = path.join(dir, 'run');
    const runPreds = parsePredictions(readFileSync(path.join(out, 'predictions.jsonl'), 'utf8'));
    const predictor = await loadModelPredictor(modelDir, {
      backend: 'wasm',
      sites: readModelSites(path.join(world, 'sites.geojson')),
      weather: readWeatherCsv(path.join(world, 'weather.csv')),
      sitesFile: 'sites',
    });
    try {
      const { records } = await predictTiles({ tilesDir, predictor, out: path.join(dir, 'predict.jsonl') });
      expect(runPreds.length).toBe(records.length);
      const key = (r: { scene_id: string; site_id: string }) => `${r.scene_id}/${r.site_id}`;
      const byKey = new Map(records.map((r) => [key(r), r]));
      for (const p of runPreds) expect(p).toEqual(byKey.get(key(p)));
    } finally {
      predictor.dispose();
    }
  });

  it('gives the single-run GeoJSON from shards 0/2 and 1/2 merged', async () => {
    const out = path.join(dir, 'sharded');
    let total = 0;
    for (const shard of ['1/2', '0/2']) {
      const s = await runScenes({ ...common(), outDir: out, shard });
      expect(s.outputs.geojson).toBeNull();
      total += s.scenes.total;
    }
    expect(total).toBe(8);
    const merged = await readPredictionFiles([0, 1].map((i) => path.join(out, `predictions.shard-${i}-of-2.jsonl`)));
    const sites = readModelSites(path.join(world, 'sites.geojson'));
    await writeAggregates({ predictions: merged, sites, window: parseWindowSpec('30d'), geojsonFile: path.join(out, 'sites.geojson') });
    expect(readFileSync(path.join(out, 'sites.geojson'), 'utf8')).toBe(readFileSync(path.join(dir, 'run', 'sites.geojson'), 'utf8'));
  });
});
