import { describe, expect, it } from 'vitest';
import { joinDataset, type Sample } from '../../src/train/dataset.js';
import { applySplit, makeSplit } from '../../src/train/split.js';
import { rocAuc, regressionMetrics } from '../../src/train/metrics.js';
import type { ManifestRecord } from '../../src/records/manifest.js';

function samples(nSites: number, nDates: number): Sample[] {
  const out: Sample[] = [];
  for (let s = 0; s < nSites; s++) {
    for (let d = 0; d < nDates; d++) {
      const t = Date.UTC(2024, 0, 1 + d);
      out.push({
        record: { site_id: `S${s}`, datetime: new Date(t).toISOString() } as ManifestRecord,
        site: { site_id: `S${s}`, fuel: 'coal', capacity_mw: 500, lon: 0, lat: 0, name: null, technology: null },
        weather: null,
        label: null,
        time_ms: t,
      });
    }
  }
  return out;
}

describe('splits', () => {
  it.each([
    [37, 5, 3],
    [12, 3, 11],
  ])('grouped k-fold over %i plants (k = %i): the test folds partition the plants, validation never overlaps test (seed %i)', (nSites, k, seed) => {
    const xs = samples(nSites, 2);
    const folds = Array.from({ length: k }, (_, index) => makeSplit(xs, { by: 'site', seed, valFraction: 0.15, testFraction: 0.2, fold: { k, index } }));
    const tested = folds.flatMap((f) => f.test_sites);
    expect(tested.sort()).toEqual([...new Set(xs.map((s) => s.site.site_id))].sort());
    for (const f of folds) {
      expect(f.test_sites.length).toBeGreaterThanOrEqual(Math.floor(nSites / k));
      expect(f.test_sites.length).toBeLessThanOrEqual(Math.ceil(nSites / k));
      expect(f.val_sites.length).toBeGreaterThan(0);
      expect(f.val_sites.some((v) => f.test_sites.includes(v) || f.train_sites.includes(v))).toBe(false);
      expect(f.train_sites.length + f.val_sites.length + f.test_sites.length).toBe(nSites);
      expect(f.fold).toEqual({ k, index: folds.indexOf(f) });
    }
    // The folds do not depend on the seed (only validation does), so variants trained with
    // different seeds are still scored on the same plants.
    const other = makeSplit(xs, { by: 'site', seed: seed + 1, valFraction: 0.15, testFraction: 0.2, fold: { k, index: 1 } });
    expect(other.test_sites).toEqual(folds[1]!.test_sites);
    expect(() => makeSplit(xs, { by: 'site', seed, valFraction: 0.15, testFraction: 0.2, fold: { k, index: k } })).toThrow(/fold/);
  });

  it.each([
    [40, 7, 5, undefined],
    [23, 4, 3, 2],
  ])('a training-plant limit (learning curves) keeps validation and test plants and trains on a seeded subset (%i plants, limit %i, seed %i, fold %s)', (nSites, limit, seed, index) => {
    const xs = samples(nSites, 2);
    const base = { by: 'site' as const, seed, valFraction: 0.15, testFraction: 0.2, ...(index !== undefined ? { fold: { k: 3, index } } : {}) };
    const all = makeSplit(xs, base);
    const few = makeSplit(xs, { ...base, maxTrainSites: limit });
    expect(few.test_sites).toEqual(all.test_sites);
    expect(few.val_sites).toEqual(all.val_sites);
    expect(few.train_sites).toHaveLength(limit);
    for (const s of few.train_sites) expect(all.train_sites).toContain(s);
    // Not simply the alphabetically first plants: the split's seeded order picks them.
    expect(few.train_sites).not.toEqual(all.train_sites.slice(0, limit));
    // Nested: a larger limit keeps the smaller one's plants.
    const more = makeSplit(xs, { ...base, maxTrainSites: limit + 3 });
    for (const s of few.train_sites) expect(more.train_sites).toContain(s);
    expect(makeSplit(xs, { ...base, maxTrainSites: 10_000 }).train_sites).toEqual(all.train_sites);
    // The plants left out train nowhere: the training part holds the limited plants only.
    const parts = applySplit(xs, few);
    expect([...new Set(parts.train.map((x) => x.site.site_id))].sort()).toEqual(few.train_sites);
    expect(parts.train).toHaveLength(limit * 2);
    expect(parts.test).toHaveLength(few.test_sites.length * 2);
    expect(parts.val).toHaveLength(few.val_sites.length * 2);
    expect(() => makeSplit(xs, { ...base, maxTrainSites: 0 })).toThrow(/limit/);
  });

  it('by site: no plant in two parts, all plants used, same seed same split, other seed other split', () => {
    const xs = samples(40, 5);
    const a = makeSplit(xs, { by: 'site', seed: 1, valFraction: 0.15, testFraction: 0.2 });
    const parts = applySplit(xs, a);
    const sites = (p: Sample[]): Set<string> => new Set(p.map((s) => s.site.site_id));
    const [tr, va, te] = [sites(parts.train), sites(parts.val), sites(parts.test)];
    for (const s of te) expect(tr.has(s) || va.has(s)).toBe(false);
    for (const s of va) expect(tr.has(s)).toBe(false);
    expect(tr.size + va.size + te.size).toBe(40);
    expect(te.size).toBe(8);
    expect(makeSplit(xs, { by: 'site', seed: 1, valFraction: 0.15, testFraction: 0.2 })).toEqual(a);
    expect(makeSplit(xs, { by: 'site', seed: 2, valFraction: 0.15, testFraction: 0.2 }).test_sites).not.toEqual(a.test_sites);
  });

  it('by time: test holds the latest overpasses, every part is non-empty', () => {
    const xs = samples(3, 10);
    const parts = applySplit(xs, makeSplit(xs, { by: 'time', seed: 0, valFraction: 0.2, testFraction: 0.2 }));
    const maxTrain = Math.max(...parts.train.map((s) => s.time_ms));
    expect(Math.min(...parts.val.map((s) => s.time_ms))).toBeGreaterThan(maxTrain);
    expect(Math.min(...parts.test.map((s) => s.time_ms))).toBeGreaterThan(Math.max(...parts.val.map((s) => s.time_ms)));
  });
});

describe('join', () => {
  it('counts labels for unknown sites and labels without patches', () => {
    const rec = (site: string, dt: string, vf = 1): ManifestRecord => ({ scene_id: 'x', source: 'x', site_id: site, datetime: dt, path: `x/${site}.tif`, epsg: 32632, window: { xoff: 0, yoff: 0, width: 8, height: 8 }, bands: ['B02'], valid_fraction: vf, cloud_fraction: null, fingerprint: 'f' });
    const t1 = '2024-01-01T10:00:00Z';
    const t2 = '2024-01-02T10:00:00Z';
    const lab = (site: string, dt: string) => ({ site_id: site, datetime: dt, time_ms: Date.parse(dt), active: true, generation_mw: 1, co2_t_per_h: 1, lineNo: 2 });
    const { samples: s, report } = joinDataset(
      [rec('A', t1), rec('A', t2, 0.1), rec('Z', t1)],
      [lab('A', '2024-01-01T10:00:00.000Z'), lab('Q', t1), lab('A', '2024-03-01T00:00:00Z')],
      [],
      [{ site_id: 'A', fuel: 'gas', capacity_mw: 100, lon: 0, lat: 0, name: null, technology: null }],
    );
    expect(s).toHaveLength(1);
    expect(s[0]!.label).not.toBeNull();
    expect(report).toMatchObject({ patches: 3, droppedLowValid: 1, patchesUnknownSite: 1, labelsUnknownSite: 1, labelsWithoutPatch: 1, samplesWithoutWeather: 1 });
  });
});

describe('metrics', () => {
  it('AUC by ranks, with ties counted half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBeCloseTo(0.75, 10);
    expect(rocAuc([0.5, 0.5], [false, true])).toBe(0.5);
    expect(rocAuc([0.5, 0.7], [true, true])).toBeNull();
  });
  it('MAE, RMSE, R², % of capacity and 90 % coverage', () => {
    const m = regressionMetrics([1, 2, 3, 4], [1, 3, 3, 6], [0.5, 0.5, 0.5, 3], [10, 10, 10, 10])!;
    expect(m.mae).toBeCloseTo(0.75, 10);
    expect(m.rmse).toBeCloseTo(Math.sqrt(5 / 4), 10);
    expect(m.r2).toBeCloseTo(1 - 5 / 12.75, 10);
    expect(m.mae_pct_capacity).toBeCloseTo(7.5, 10);
    expect(m.coverage90).toBe(0.75);
  });
});
