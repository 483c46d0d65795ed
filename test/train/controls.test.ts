import { describe, expect, it } from 'vitest';
import { DenseImage, imageValues } from '../../src/model/patchImage.js';
import { loadEmissionFactors } from '../../src/model/physics.js';
import { mulberry32 } from '../../src/random.js';
import { FUELS } from '../../src/records/sites.js';
import { noiseFloor, type ScoredSample } from '../../src/synth/scores.js';
import { capacityBaselinePredictions, fitBaselineOn } from '../../src/train/controls/capacityBaselineControl.js';
import { historyCeilingPredictions, imageCeilingPredictions, noiseFloorPredictions } from '../../src/train/controls/noiseFloorControl.js';
import { shuffleImagesWithinSites } from '../../src/train/controls/shuffleImages.js';
import { evaluationMetrics } from '../../src/train/metrics.js';

const efs = loadEmissionFactors();

describe('shuffleImagesWithinSites', () => {
  const rand = mulberry32(77);
  const samples = Array.from({ length: 60 }, (_, i) => ({
    site_id: `s${Math.floor(rand() * 9)}`,
    time_ms: i,
    image: new DenseImage(Float32Array.from([i, rand()]), 1, 2),
  }));
  samples.push({ site_id: 'lonely', time_ms: 99, image: new DenseImage(Float32Array.from([99, 0]), 1, 2) });

  it('moves every image to another overpass of the same site, keeping all other fields', () => {
    const out = shuffleImagesWithinSites(samples, 3);
    expect(out).toHaveLength(samples.length);
    for (const site of new Set(samples.map((s) => s.site_id))) {
      const before = samples.filter((s) => s.site_id === site).map((s) => s.image);
      const after = out.filter((s) => s.site_id === site).map((s) => s.image);
      // The same images, each exactly once, within the site.
      expect(new Set(after)).toEqual(new Set(before));
      expect(after).toHaveLength(before.length);
    }
    out.forEach((s, i) => {
      expect(s.time_ms).toBe(samples[i]!.time_ms);
      expect(s.site_id).toBe(samples[i]!.site_id);
      const siteSize = samples.filter((x) => x.site_id === s.site_id).length;
      if (siteSize > 1) expect(s.image).not.toBe(samples[i]!.image);
      else expect(s.image).toBe(samples[i]!.image);
    });
  });

  it('is seeded: the same seed gives the same permutation, another seed another', () => {
    const a = shuffleImagesWithinSites(samples, 11).map((s) => imageValues(s.image)[0]);
    const b = shuffleImagesWithinSites(samples, 11).map((s) => imageValues(s.image)[0]);
    const c = shuffleImagesWithinSites(samples, 12).map((s) => imageValues(s.image)[0]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe('noiseFloorPredictions', () => {
  it('scores exactly like synth’s noise floor on the same samples, and counts overpasses truth.json lacks', () => {
    const rand = mulberry32(5);
    const sites = Array.from({ length: 12 }, (_, i) => ({ site_id: `p${i}`, fuel: FUELS[i % FUELS.length]!, capacity_mw: 200 + 1000 * rand() }));
    const truthSamples = sites.flatMap((s) =>
      Array.from({ length: 15 }, (_, d) => {
        const active = rand() < 0.7;
        const gen = active ? s.capacity_mw * (0.2 + 0.7 * rand()) : 0;
        return { site_id: s.site_id, datetime: new Date(Date.UTC(2024, 0, 1 + 3 * d, 10, 30)).toISOString(), active, generation_mw: gen, co2_t_per_h: gen * (0.8 + 0.4 * rand()), observable: rand() < 0.6 };
      }),
    );
    const truth = { sites: sites.map((s) => ({ site_id: s.site_id, fuel: s.fuel })), samples: truthSamples } as unknown as Parameters<typeof noiseFloorPredictions>[0];
    const scored = truthSamples.map((t) => ({ site_id: t.site_id, time_ms: Date.parse(t.datetime) }));
    scored.push({ site_id: 'p0', time_ms: Date.UTC(2030, 0, 1) });
    const r = noiseFloorPredictions(truth, scored, efs);
    expect(r.unmatched).toBe(1);
    expect(r.predictions.at(-1)).toBeNull();
    const cap = new Map(sites.map((s) => [s.site_id, s]));
    const m = evaluationMetrics(
      r.predictions.slice(0, -1).map((p) => p!),
      truthSamples.map((t) => ({ active: t.active, generation_mw: t.generation_mw, co2_t_per_h: t.co2_t_per_h, fuel: cap.get(t.site_id)!.fuel, capacity_mw: cap.get(t.site_id)!.capacity_mw })),
      ['activity', 'generation', 'co2'],
    );
    const synth = noiseFloor(
      truthSamples.map((t): ScoredSample => ({
        siteId: t.site_id,
        active: t.active,
        generationMW: t.generation_mw,
        co2TPerH: t.co2_t_per_h,
        fuelEfTPerMWh: efs[cap.get(t.site_id)!.fuel].median,
        observable: t.observable,
        brightness: null,
      })),
    );
    expect(m.activity!.accuracy).toBeCloseTo(synth.activity_accuracy, 12);
    expect(m.generation!.mae).toBeCloseTo(synth.generation_mae_mw, 9);
    expect(m.co2!.mae).toBeCloseTo(synth.co2_mae_t_per_h, 9);
    expect(m.generation!.mae).toBeGreaterThan(0);
  });
});

describe('imageCeilingPredictions', () => {
  it('reads observable overpasses like the noise floor and gives the rest the fallback (the capacity baseline), never the plant’s own prior', () => {
    const rand = mulberry32(11);
    const sites = Array.from({ length: 6 }, (_, i) => ({ site_id: `q${i}`, fuel: FUELS[i % FUELS.length]!, capacity_mw: 300 + 900 * rand() }));
    const truthSamples = sites.flatMap((s) =>
      Array.from({ length: 10 }, (_, d) => {
        const active = rand() < 0.6;
        const gen = active ? s.capacity_mw * (0.3 + 0.6 * rand()) : 0;
        return { site_id: s.site_id, datetime: new Date(Date.UTC(2024, 2, 1 + 5 * d, 10, 30)).toISOString(), active, generation_mw: gen, co2_t_per_h: gen, observable: rand() < 0.3 };
      }),
    );
    const truth = { sites: sites.map((s) => ({ site_id: s.site_id, fuel: s.fuel })), samples: truthSamples } as unknown as Parameters<typeof noiseFloorPredictions>[0];
    const scored = truthSamples.map((t) => ({ site_id: t.site_id, time_ms: Date.parse(t.datetime) }));
    const fallback = truthSamples.map((_, i) => ({ p_on: 0.5, generation_mw: 100 + i, generation_mw_sd: 9, generation_mw_half90: 15, co2_t_per_h: 50 + i, co2_t_per_h_sd: 9, co2_t_per_h_half90: 15 }));
    const floor = noiseFloorPredictions(truth, scored, efs).predictions;
    const ceiling = imageCeilingPredictions(truth, scored, fallback, efs).predictions;
    expect(truthSamples.filter((t) => t.observable).length).toBeGreaterThan(5);
    truthSamples.forEach((t, i) => {
      if (t.observable) expect(ceiling[i]).toEqual(floor[i]);
      else expect(ceiling[i]).toEqual({ ...fallback[i]!, generation_mw_sd: 0, generation_mw_half90: 0, co2_t_per_h_sd: 0, co2_t_per_h_half90: 0 });
    });
  });
});

describe('historyCeilingPredictions', () => {
  const day = (d: number): string => new Date(Date.UTC(2024, 4, 1 + d, 10, 30)).toISOString();
  const fallback = (i: number) => ({ p_on: 0.4, generation_mw: 70 + i, generation_mw_sd: 8, generation_mw_half90: 13, co2_t_per_h: 30 + i, co2_t_per_h_sd: 8, co2_t_per_h_half90: 13 });

  it('copies the nearest observable overpass in time (the earlier on a tie), reads observable ones exactly, and gives a never-observable plant the fallback', () => {
    // Plant a: observable on days 0 (on, 400 MW) and 20 (off); plant b never observable.
    const rows: [string, number, boolean, number, boolean][] = [
      ['a', 0, true, 400, true],
      ['a', 5, true, 350, false],
      ['a', 10, false, 0, false],
      ['a', 15, false, 0, false],
      ['a', 20, false, 0, true],
      ['a', 25, true, 500, false],
      ['b', 0, true, 900, false],
      ['b', 5, false, 0, false],
    ];
    const truthSamples = rows.map(([site_id, d, active, generation_mw, observable]) => ({ site_id, datetime: day(d), active, generation_mw, co2_t_per_h: generation_mw * 0.9, observable }));
    const truth = { sites: [{ site_id: 'a', fuel: 'coal' }, { site_id: 'b', fuel: 'gas' }], samples: truthSamples } as unknown as Parameters<typeof historyCeilingPredictions>[0];
    const scored = truthSamples.map((t) => ({ site_id: t.site_id, time_ms: Date.parse(t.datetime) }));
    const fb = scored.map((_, i) => fallback(i));
    const got = historyCeilingPredictions(truth, scored, fb, efs).predictions;
    const coal = efs.coal.median;
    // Day 0 and 20: read exactly. Day 5 → day 0; day 10 ties days 0 and 20 → the earlier (on); day 15 and 25 → day 20 (off).
    expect(got.slice(0, 6).map((p) => [p!.p_on, p!.generation_mw])).toEqual([
      [1, 400],
      [1, 400],
      [1, 400],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(got[1]!.co2_t_per_h).toBeCloseTo(400 * coal, 9);
    for (const p of got.slice(0, 6)) expect([p!.generation_mw_sd, p!.generation_mw_half90, p!.co2_t_per_h_sd, p!.co2_t_per_h_half90]).toEqual([0, 0, 0, 0]);
    expect(got[6]).toEqual({ ...fb[6]!, generation_mw_sd: 0, generation_mw_half90: 0, co2_t_per_h_sd: 0, co2_t_per_h_half90: 0 });
    expect(got[7]).toEqual({ ...fb[7]!, generation_mw_sd: 0, generation_mw_half90: 0, co2_t_per_h_sd: 0, co2_t_per_h_half90: 0 });
  });

  it('on random plants, matches a brute-force nearest search and, on plants with on/off spells, scores below the image ceiling', () => {
    const rand = mulberry32(29);
    const sites = Array.from({ length: 10 }, (_, i) => ({ site_id: `r${i}`, fuel: FUELS[i % FUELS.length]!, capacity_mw: 200 + 800 * rand() }));
    const truthSamples = sites.flatMap((s) => {
      // On/off spells that last several overpasses, so the nearest observation is informative.
      let active = rand() < 0.5;
      const seesPlume = rand() < 0.7;
      return Array.from({ length: 24 }, (_, d) => {
        if (rand() < 0.15) active = !active;
        const gen = active ? s.capacity_mw * (0.4 + 0.4 * rand()) : 0;
        return { site_id: s.site_id, datetime: day(3 * d), active, generation_mw: gen, co2_t_per_h: gen * 0.7, observable: seesPlume && rand() < 0.35 };
      });
    });
    const truth = { sites: sites.map((s) => ({ site_id: s.site_id, fuel: s.fuel })), samples: truthSamples } as unknown as Parameters<typeof historyCeilingPredictions>[0];
    const scored = truthSamples.map((t) => ({ site_id: t.site_id, time_ms: Date.parse(t.datetime) }));
    const fb = scored.map((_, i) => fallback(i));
    const got = historyCeilingPredictions(truth, scored, fb, efs).predictions;
    let copied = 0;
    truthSamples.forEach((t, i) => {
      const t0 = Date.parse(t.datetime);
      const seen = truthSamples.filter((o) => o.site_id === t.site_id && o.observable);
      if (seen.length === 0) return expect(got[i]!.generation_mw).toBe(fb[i]!.generation_mw);
      const dist = (o: (typeof seen)[number]): number => Math.abs(Date.parse(o.datetime) - t0);
      const nearest = seen.reduce((a, o) => (dist(o) < dist(a) ? o : a));
      expect(got[i]!.generation_mw).toBe(nearest.generation_mw);
      expect(got[i]!.p_on).toBe(nearest.active ? 1 : 0);
      if (!t.observable) copied++;
    });
    expect(copied).toBeGreaterThan(50);
    const truths = truthSamples.map((t) => ({ active: t.active, generation_mw: t.generation_mw, co2_t_per_h: t.co2_t_per_h, fuel: sites.find((s) => s.site_id === t.site_id)!.fuel, capacity_mw: 500 }));
    const mae = (ps: readonly (import('../../src/model/predictor.js').SamplePrediction | null)[]): number => evaluationMetrics(ps.map((p) => p!), truths, ['generation']).generation!.mae;
    expect(mae(got)).toBeLessThan(mae(imageCeilingPredictions(truth, scored, fb, efs).predictions));
  });
});

describe('capacityBaselinePredictions', () => {
  it('gives every overpass of a plant the same prediction, in the model’s shape', () => {
    const truth = (fuel: 'coal' | 'gas', cap: number, gen: number) => ({ active: gen > 0, generation_mw: gen, co2_t_per_h: gen * (fuel === 'coal' ? 1 : 0.4), fuel, capacity_mw: cap });
    const b = fitBaselineOn([
      { site_id: 'a', truth: truth('coal', 1000, 700) },
      { site_id: 'a', truth: truth('coal', 1000, 0) },
      { site_id: 'b', truth: truth('gas', 500, 250) },
    ]);
    const [p, q] = capacityBaselinePredictions(b, [
      { site_id: 'c', truth: truth('coal', 2000, 100) },
      { site_id: 'c', truth: truth('coal', 2000, 1900) },
    ]);
    expect(p).toEqual(q);
    expect(p!.generation_mw).toBeCloseTo(0.7 * 0.5 * 2000, 9);
    expect(p!.co2_t_per_h).toBeCloseTo(p!.generation_mw, 9);
    expect(p!.generation_mw_sd * 1.6448536269514722).toBeCloseTo(p!.generation_mw_half90, 6);
  });
});
