/**
 * Label physics and label files, read back from disk as the model would: CO2 = EF ×
 * generation, nothing when off, capacity factor in [0, 1], datetimes equal to the scenes'
 * acquisition times, and each task's missing fraction as asked, blanked independently.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmissionFactors } from '../../src/model/physics.js';
import { parseLabelsCsv, type LabelRow } from '../../src/records/labels.js';
import { parseWeatherCsv } from '../../src/records/weather.js';
import { missingMasks } from '../../src/synth/index.js';
import { makeWorld, type TestWorld } from './helpers.js';

interface SiteTruth {
  site_id: string;
  fuel: 'lignite' | 'coal' | 'gas' | 'oil';
  capacity_mw: number;
  emission_factor_t_per_mwh: number;
  net_efficiency: number;
  units: number;
  unit_min_load: number;
  peaking_unit: boolean;
}

describe('synth labels', () => {
  let w: TestWorld;
  let labels: LabelRow[];
  let sites: Map<string, SiteTruth>;
  beforeAll(async () => {
    w = await makeWorld({ sites: 5, dates: 24, size: 224, seed: 5, missing: 0 });
    labels = parseLabelsCsv(readFileSync(path.join(w.dir, 'labels.csv'), 'utf8'), 'labels.csv');
    sites = new Map((w.truth.sites as unknown as SiteTruth[]).map((s) => [s.site_id, s]));
  }, 60_000);
  afterAll(() => w?.cleanup());

  it('has one row per site and date, with datetimes equal to the scenes\' acquisition times', () => {
    expect(labels.length).toBe(5 * 24);
    const stamps = readdirSync(path.join(w.dir, 'scenes')).map((p) => p.split('_')[2]!);
    const iso = new Set(stamps.map((s) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`));
    expect(new Set(labels.map((l) => l.datetime))).toEqual(iso);
    const weather = parseWeatherCsv(readFileSync(path.join(w.dir, 'weather.csv'), 'utf8'), 'weather.csv');
    expect(weather.map((r) => `${r.site_id}@${r.datetime}`)).toEqual(labels.map((l) => `${l.site_id}@${l.datetime}`));
  });

  it('follows the physics: CO2 = the overpass\'s EF × generation, zero when off, CF in [0, 1]', () => {
    const factors = loadEmissionFactors();
    const truth = new Map(w.truth.samples.map((s) => [`${s.site_id}@${s.datetime}`, s]));
    for (const l of labels) {
      const s = sites.get(l.site_id)!;
      const gen = l.generation_mw!;
      const cf = gen / s.capacity_mw;
      expect(cf).toBeGreaterThanOrEqual(0);
      expect(cf).toBeLessThanOrEqual(1);
      const ef = truth.get(`${l.site_id}@${l.datetime}`)!.emission_factor_t_per_mwh!;
      // truth.json rounds the overpass's factor to 1e-4 t/MWh.
      expect(Math.abs(l.co2_t_per_h! - ef * gen)).toBeLessThan(0.002 + 6e-5 * gen);
      if (!l.active) {
        expect(gen).toBe(0);
        expect(l.co2_t_per_h).toBe(0);
      } else {
        // At least one unit at its minimum load; the factor within a part-load band of the plant's.
        expect(cf).toBeGreaterThanOrEqual(s.unit_min_load / s.units - 1e-3);
        expect(ef / s.emission_factor_t_per_mwh).toBeGreaterThan(0.85);
        expect(ef / s.emission_factor_t_per_mwh).toBeLessThan(1.2);
      }
    }
    // Plants' emission factors spread around their fuel's median within its observed range
    // (gas peaking units at 0.5–0.7 t/MWh).
    for (const s of sites.values()) {
      const f = factors[s.fuel];
      if (s.peaking_unit) {
        expect(s.emission_factor_t_per_mwh).toBeGreaterThanOrEqual(0.5);
        expect(s.emission_factor_t_per_mwh).toBeLessThanOrEqual(0.7);
      } else {
        expect(s.emission_factor_t_per_mwh).toBeGreaterThan(f.p10! * 0.85);
        expect(s.emission_factor_t_per_mwh).toBeLessThan(f.p90! * 1.3);
      }
      expect(s.net_efficiency).toBeGreaterThan(0.2);
      expect(s.net_efficiency).toBeLessThan(0.65);
    }
  });

  it('states in truth.json a noise floor that beats the naive brightness baseline and the plant prior', () => {
    const { noise_floor: floor, baselines } = w.truth;
    expect(floor.observable_fraction).toBeGreaterThan(0);
    expect(floor.observable_fraction).toBeLessThan(1);
    expect(baselines.capacity_aware).toBeDefined();
    for (const b of [baselines.naive_brightness, baselines.site_prior, baselines.capacity_aware!]) {
      expect(floor.activity_accuracy).toBeGreaterThanOrEqual(b.activity_accuracy);
      expect(floor.generation_mae_mw).toBeLessThan(b.generation_mae_mw);
      expect(floor.co2_mae_t_per_h).toBeLessThan(b.co2_mae_t_per_h);
    }
    // Per-sample truth: one record per label row, with the nuisances that make the floor.
    expect(w.truth.samples.length).toBe(labels.length);
    const s = w.truth.samples;
    expect(s.some((x) => x.cloud_over_plant > 0.5)).toBe(true);
    expect(s.filter((x) => !x.active).every((x) => x.plume_opacity === 0 && x.plume_length_m === 0)).toBe(true);
    expect(s.filter((x) => x.active).every((x) => x.plume_opacity > 0 && x.plume_visibility >= 0.15 && x.plume_visibility <= 1)).toBe(true);
    expect(Object.keys(w.truth.definitions)).toEqual(expect.arrayContaining(['noise_floor', 'observable', 'naive_brightness']));
  });

  it.each([0, 0.1, 0.3, 0.75])('blanks a %s fraction of each task, independently', (fraction) => {
    const n = 2000;
    const m = missingMasks(99, n, fraction);
    const count = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
    for (const mask of [m.active, m.generation, m.co2]) expect(count(mask)).toBe(Math.round(fraction * n));
    // Independence: the overlap of two tasks' blanks is binomial around fraction² · n.
    const both = m.active.reduce((s, v, i) => s + (v & m.generation[i]!), 0);
    const mean = fraction * fraction * n;
    const sd = Math.sqrt(n * fraction * fraction * (1 - fraction * fraction));
    expect(Math.abs(both - mean)).toBeLessThanOrEqual(4 * sd + 1e-9);
  });
});

describe('synth labels with --missing', () => {
  it('writes empty cells for missing labels, a given fraction per task, other cells intact', async () => {
    const w = await makeWorld({ sites: 3, dates: 12, size: 192, seed: 8, missing: 0.3 });
    try {
      const text = readFileSync(path.join(w.dir, 'labels.csv'), 'utf8');
      expect(text.split('\n')[0]).toBe('site_id,datetime,active,generation_mw,co2_t_per_h');
      const rows = parseLabelsCsv(text, 'labels.csv');
      const n = rows.length;
      for (const key of ['active', 'generation_mw', 'co2_t_per_h'] as const) {
        expect(rows.filter((r) => r[key] === null).length, key).toBe(Math.round(0.3 * n));
      }
      const bySample = new Map(w.truth.samples.map((s) => [`${s.site_id}@${s.datetime}`, s]));
      for (const r of rows) {
        const t = bySample.get(`${r.site_id}@${r.datetime}`)!;
        if (r.active !== null) expect(r.active).toBe(t.active);
        if (r.generation_mw !== null) expect(r.generation_mw).toBeCloseTo(t.generation_mw, 2);
      }
      expect(w.summary.missing_labels).toEqual({ active: Math.round(0.3 * n), generation_mw: Math.round(0.3 * n), co2_t_per_h: Math.round(0.3 * n) });
    } finally {
      w.cleanup();
    }
  }, 60_000);
});
