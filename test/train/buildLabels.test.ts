/** Per-overpass labels from unit series: interpolation, unit sums, gaps, activity and derived CO₂. */
import { describe, expect, it } from 'vitest';
import { loadEmissionFactors } from '../../src/model/physics.js';
import type { SeriesSample } from '../../src/records/generationSeries.js';
import type { ManifestRecord } from '../../src/records/manifest.js';
import type { ModelSite } from '../../src/records/sites.js';
import { buildLabels } from '../../src/train/buildLabels.js';
import { overpassRecord } from '../helpers/overpass.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 4, 17, 0, 0, 0);
const overpass = (site: string, iso: string): ManifestRecord => overpassRecord(site, iso);
/** Hourly samples of one unit from T0: values[i] at T0 + i h. */
const hourly = (unit: string, gen: (number | null)[], co2?: (number | null)[]): SeriesSample[] =>
  gen.map((g, i) => ({ unit_id: unit, time_ms: T0 + i * H, generation_mw: g, co2_t_per_h: co2?.[i] ?? null, file: 'f.csv', lineNo: i + 2 }));

describe('buildLabels', () => {
  const units = new Map([
    ['U1', 'PLANT_A'],
    ['U2', 'PLANT_A'],
    ['U3', 'PLANT_B'],
  ]);
  const series = [
    ...hourly('U1', [100, 200, 300, 300, 0], [90, 180, 270, 270, 0]),
    ...hourly('U2', [0, 0, 50, 150, 150], [0, 0, 45, 135, 135]),
    ...hourly('U3', [0, 0, 0, 0, 0]),
    ...hourly('STRAY', [5, 5]),
  ];
  it('interpolates each unit at the overpass and sums units into the plant', () => {
    const { labels, report } = buildLabels([overpass('PLANT_A', '2024-05-17T01:15:00Z'), overpass('PLANT_A', '2024-05-17T02:30:00.000Z')], series, { unitPlants: units });
    expect(labels).toHaveLength(2);
    // 01:15: U1 200 + 0.25 × 100 = 225, U2 0 + 0.25 × 50 = 12.5
    expect(labels[0]?.generation_mw).toBeCloseTo(237.5, 9);
    expect(labels[0]?.co2_t_per_h).toBeCloseTo(202.5 + 11.25, 9);
    expect(labels[0]?.co2_source).toBe('measured');
    expect(labels[0]?.active).toBe(true);
    // 02:30: U1 300, U2 100
    expect(labels[1]?.generation_mw).toBeCloseTo(400, 9);
    expect(report.unitsWithoutPlant).toEqual(['STRAY']);
  });
  it('a plant is off only when every unit is known and at or below the threshold', () => {
    const { labels } = buildLabels([overpass('PLANT_B', '2024-05-17T02:00:00Z')], series, { unitPlants: units, activeThresholdMw: 1 });
    expect(labels[0]).toMatchObject({ active: false, generation_mw: 0, co2_t_per_h: null, co2_source: null });
    const partial = buildLabels([overpass('PLANT_A', '2024-05-17T00:30:00Z')], [...hourly('U1', [null, null]), ...hourly('U2', [0, 0])], { unitPlants: units });
    expect(partial.labels[0]).toMatchObject({ active: null, generation_mw: null });
    const oneOn = buildLabels([overpass('PLANT_A', '2024-05-17T00:30:00Z')], [...hourly('U1', [null, null]), ...hourly('U2', [40, 60])], { unitPlants: units });
    expect(oneOn.labels[0]).toMatchObject({ active: true, generation_mw: null });
  });
  it('refuses an overpass across a gap longer than the limit, or outside the series', () => {
    const gappy = [...hourly('U3', [10]), { ...hourly('U3', [30])[0], time_ms: T0 + 3 * H } as SeriesSample];
    const at = [overpass('PLANT_B', '2024-05-17T01:00:00Z')];
    const strict = buildLabels(at, gappy, { unitPlants: units });
    expect(strict.labels).toHaveLength(0);
    expect(strict.report.refusedGap).toBe(1);
    const loose = buildLabels(at, gappy, { unitPlants: units, maxGapHours: 3 });
    expect(loose.labels[0]?.generation_mw).toBeCloseTo(10 + 20 / 3, 9);
    const late = buildLabels([overpass('PLANT_B', '2024-05-18T00:00:00Z')], series, { unitPlants: units });
    expect(late.report).toMatchObject({ labelled: 0, outsideSeries: 1 });
    const nowhere = buildLabels([overpass('PLANT_Z', '2024-05-17T01:00:00Z')], series, { unitPlants: units });
    expect(nowhere.report.plantsWithoutSeries).toEqual(['PLANT_Z']);
  });
  it('derives CO₂ from the fuel emission factor only when asked, and says so', () => {
    const site: ModelSite = { site_id: 'PLANT_B', lon: 8, lat: 50, name: null, technology: null, fuel: 'lignite', capacity_mw: 500 };
    const gen = hourly('PLANT_B', [400, 420]);
    const at = [overpass('PLANT_B', '2024-05-17T00:30:00Z')];
    expect(buildLabels(at, gen).labels[0]).toMatchObject({ generation_mw: 410, co2_t_per_h: null, co2_source: null });
    const factors = loadEmissionFactors();
    const { labels, report } = buildLabels(at, gen, { co2FromEf: { factors, sites: [site] } });
    expect(labels[0]?.co2_t_per_h).toBeCloseTo(410 * factors.lignite.median, 9);
    expect(labels[0]?.co2_source).toBe('derived');
    expect(report.co2Derived).toBe(1);
  });
  it('one label per site and overpass even when several band sets tiled it', () => {
    const twice = [overpass('PLANT_B', '2024-05-17T01:00:00Z'), { ...overpass('PLANT_B', '2024-05-17T01:00:00Z'), scene_id: 'other' }];
    expect(buildLabels(twice, series, { unitPlants: units }).labels).toHaveLength(1);
  });
});
