/**
 * Issue "real labels", done-when: a synthetic world's labels and weather resampled to hourly
 * series (values on the hour, with noise) and passed through `labels build` and the weather
 * join give the same samples and, within the noise, the same evaluation as the world's exact
 * per-overpass files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { labelsCommand } from '../../src/cli/commands/labels.js';
import { formatWeatherCsv, parseWeatherCsv } from '../../src/records/weather.js';
import { parseLabelsCsv } from '../../src/records/labels.js';
import { generateWorld } from '../../src/synth/index.js';
import { tileScenes } from '../../src/tiling/tileScenes.js';
import { withDefaults } from '../../src/train/config.js';
import { evaluateModel } from '../../src/train/evaluate.js';
import { loadData } from '../../src/train/loadData.js';
import { train } from '../../src/train/trainer.js';
import { mulberry32 } from '../../src/random.js';
import { runCommand } from '../helpers/runCommand.js';

const H = 3_600_000;
let dir: string;
let world: string;
let exact: { tiles: string; labels: string; weather: string; sites: string };
let hourly: { tiles: string; labels: string; weather: string; sites: string };

/** Hourly values on the hour around every overpass: the overpass's value, with relative noise. */
function hourlyAround<T extends { site_id: string; datetime: string }>(rows: readonly T[], hoursEachSide: number): { row: T; hour: number }[] {
  const out: { row: T; hour: number }[] = [];
  const bySite = new Map<string, T[]>();
  for (const r of rows) bySite.set(r.site_id, [...(bySite.get(r.site_id) ?? []), r]);
  for (const list of bySite.values()) {
    const times = list.map((r) => Date.parse(r.datetime));
    const hours = new Set<number>();
    for (const t of times) for (let k = -hoursEachSide; k <= hoursEachSide; k++) hours.add(Math.floor(t / H) * H + k * H);
    for (const hour of [...hours].sort((a, b) => a - b)) {
      // The nearest overpass's value holds for the hours around it (plants change state over hours, not minutes).
      let best = 0;
      times.forEach((t, i) => {
        if (Math.abs(t - hour) < Math.abs((times[best] ?? Infinity) - hour)) best = i;
      });
      const row = list[best];
      if (row) out.push({ row, hour });
    }
  }
  return out;
}

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-hourly-'));
  world = path.join(dir, 'world');
  await generateWorld({ out: world, sites: 6, dates: 10, size: 256, seed: 17, missing: 0 });
  await tileScenes({ scenesDir: path.join(world, 'scenes'), sitesFile: path.join(world, 'sites.geojson'), outDir: path.join(world, 'tiles'), size: 16, concurrency: 1 });
  exact = { tiles: path.join(world, 'tiles'), labels: path.join(world, 'labels.csv'), weather: path.join(world, 'weather.csv'), sites: path.join(world, 'sites.geojson') };

  const rng = mulberry32(99);
  const noise = () => (rng() + rng() + rng() - 1.5) * 0.02; // ≈ ±1 % relative, zero stays zero
  const labels = parseLabelsCsv(readFileSync(exact.labels, 'utf8'), exact.labels);
  const series = ['site_id,datetime,generation_mw,co2_t_per_h'];
  for (const { row, hour } of hourlyAround(labels, 3)) {
    const g = row.generation_mw ?? 0;
    const c = row.co2_t_per_h ?? 0;
    series.push(`${row.site_id},${new Date(hour).toISOString()},${(g * (1 + noise())).toFixed(3)},${(c * (1 + noise())).toFixed(3)}`);
  }
  writeFileSync(path.join(dir, 'hourly-generation.csv'), `${series.join('\n')}\n`);
  const weather = parseWeatherCsv(readFileSync(exact.weather, 'utf8'), exact.weather);
  const hourlyWeather = hourlyAround(weather, 3).map(({ row, hour }) => ({
    site_id: row.site_id,
    datetime: new Date(hour).toISOString(),
    temperature_c: row.temperature_c === null ? null : row.temperature_c + noise() * 10,
    relative_humidity: row.relative_humidity === null ? null : Math.min(100, Math.max(0, row.relative_humidity + noise() * 20)),
    wind_u: row.wind_u === null ? null : row.wind_u + noise() * 5,
    wind_v: row.wind_v === null ? null : row.wind_v + noise() * 5,
  }));
  writeFileSync(path.join(dir, 'hourly-weather.csv'), formatWeatherCsv(hourlyWeather));
  const r = await runCommand(labelsCommand, ['build', '--tiles', exact.tiles, '--series', path.join(dir, 'hourly-generation.csv'), '--out', path.join(dir, 'labels-from-hourly.csv')]);
  if (r.code !== 0) throw new Error(r.stderr);
  hourly = { ...exact, labels: path.join(dir, 'labels-from-hourly.csv'), weather: path.join(dir, 'hourly-weather.csv') };
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('hourly series through labels build and the weather join', () => {
  it('give the same samples, labels and weather within the noise', () => {
    const a = loadData(exact, 0.5);
    const b = loadData(hourly, 0.5);
    const key = (s: { record: { site_id: string; datetime: string } }) => `${s.record.site_id}|${s.record.datetime}`;
    expect(b.samples.map(key)).toEqual(a.samples.map(key));
    expect(b.report.samplesWithoutWeather).toBe(a.report.samplesWithoutWeather);
    a.samples.forEach((s, i) => {
      const t = b.samples[i];
      expect(t?.label?.active).toBe(s.label?.active);
      const tol = (v: number) => 0.03 * Math.abs(v) + 1e-3;
      expect(Math.abs((t?.label?.generation_mw ?? NaN) - (s.label?.generation_mw ?? NaN))).toBeLessThanOrEqual(tol(s.label?.generation_mw ?? 0));
      expect(Math.abs((t?.label?.co2_t_per_h ?? NaN) - (s.label?.co2_t_per_h ?? NaN))).toBeLessThanOrEqual(tol(s.label?.co2_t_per_h ?? 0));
      expect(Math.abs((t?.weather?.temperature_c ?? NaN) - (s.weather?.temperature_c ?? NaN))).toBeLessThan(0.5);
      expect(Math.abs((t?.weather?.wind_u ?? NaN) - (s.weather?.wind_u ?? NaN))).toBeLessThan(0.25);
    });
  });

  it('score a model alike: same activity accuracy, generation and CO₂ errors within the noise', async () => {
    const data = loadData(exact, 0.5);
    const modelDir = path.join(dir, 'model');
    const config = withDefaults({ epochs: 2, batch_size: 8, seed: 1, val_fraction: 0.2, test_fraction: 0.2, architecture: { stem_width: 4, stage_widths: [4], blocks_per_stage: 1, hidden: 8 } });
    const r = await train({ samples: data.samples, tilesDir: exact.tiles, manifestFile: data.manifestFile }, config, modelDir, { backend: 'wasm' });
    r.net.dispose();
    const onExact = await evaluateModel(modelDir, exact);
    const onHourly = await evaluateModel(modelDir, hourly);
    expect(onExact.metrics.activity?.accuracy).toBeGreaterThan(0);
    expect(onExact.metrics.generation?.mae).toBeGreaterThan(0);
    expect(onHourly.metrics.activity?.accuracy).toBe(onExact.metrics.activity?.accuracy);
    const gen = (m: typeof onExact) => m.metrics.generation?.mae ?? NaN;
    // ±1 % noise on the labels moves an MAE by about 1 % of the plants' output.
    const meanCap = data.samples.reduce((a, s) => a + s.site.capacity_mw, 0) / data.samples.length;
    expect(Math.abs(gen(onHourly) - gen(onExact))).toBeLessThan(0.02 * meanCap);
    expect(Math.abs((onHourly.metrics.co2?.mae ?? NaN) - (onExact.metrics.co2?.mae ?? NaN))).toBeLessThan(0.02 * meanCap);
  }, 300_000);
});
