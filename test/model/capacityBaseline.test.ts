import { describe, expect, it } from 'vitest';
import { fitCapacityBaseline, predictCapacityBaseline, type BaselineObservation } from '../../src/model/capacityBaseline.js';
import { mulberry32 } from '../../src/random.js';

const obs = (site_id: string, fuel: string, capacity_mw: number, active: boolean | null, generation_mw: number | null, co2_t_per_h: number | null = null): BaselineObservation => ({
  site_id,
  fuel,
  capacity_mw,
  active,
  generation_mw,
  co2_t_per_h,
});

describe('fitCapacityBaseline', () => {
  it('learns cf-while-on per fuel, on-share per plant and fuel, CO2 intensity per fuel', () => {
    const b = fitCapacityBaseline([
      obs('a', 'coal', 1000, true, 800, 800),
      obs('a', 'coal', 1000, true, 600, 600),
      obs('a', 'coal', 1000, false, 0, 0),
      obs('b', 'coal', 500, true, 200, 200),
      obs('b', 'coal', 500, false, 0, 0),
      obs('c', 'gas', 400, true, 200, 80),
      obs('c', 'gas', 400, false, 0, 0),
      obs('c', 'gas', 400, false, 0, 0),
      obs('c', 'gas', 400, false, 0, 0),
    ]);
    expect(b.cf_on.coal).toBeCloseTo((0.8 + 0.6 + 0.4) / 3, 12);
    expect(b.cf_on.gas).toBeCloseTo(0.5, 12);
    expect(b.on_share).toEqual({ a: 2 / 3, b: 1 / 2, c: 1 / 4 });
    expect(b.on_share_fuel.coal).toBeCloseTo(3 / 5, 12);
    expect(b.on_share_fuel.gas).toBeCloseTo(1 / 4, 12);
    expect(b.co2_per_mwh.coal).toBeCloseTo(1, 12);
    expect(b.co2_per_mwh.gas).toBeCloseTo(0.4, 12);
    expect(b.n).toBe(9);

    // A training plant uses its own on-share.
    const a = predictCapacityBaseline(b, { site_id: 'a', fuel: 'coal', capacity_mw: 1000 });
    expect(a.p_on).toBeCloseTo(2 / 3, 12);
    expect(a.generation_mw).toBeCloseTo(0.6 * 1000 * (2 / 3), 9);
    expect(a.co2_t_per_h).toBeCloseTo(a.generation_mw * 1, 9);
    // A held-out plant falls back to its fuel's on-share.
    const d = predictCapacityBaseline(b, { site_id: 'd', fuel: 'gas', capacity_mw: 800 });
    expect(d.p_on).toBeCloseTo(0.25, 12);
    expect(d.generation_mw).toBeCloseTo(0.5 * 800 * 0.25, 9);
    expect(d.co2_t_per_h).toBeCloseTo(d.generation_mw * 0.4, 9);
    // A fuel never seen in training takes the pooled values.
    const e = predictCapacityBaseline(b, { site_id: 'e', fuel: 'lignite', capacity_mw: 100 });
    expect(e.p_on).toBeCloseTo(4 / 9, 12);
    expect(e.generation_mw).toBeCloseTo(((0.8 + 0.6 + 0.4 + 0.5) / 4) * (4 / 9) * 100, 9);
    expect(e.co2_t_per_h / e.generation_mw).toBeCloseTo((800 + 600 + 200 + 80) / (800 + 600 + 200 + 200), 9);
  });

  it('derives on/off from generation when the activity label is missing, and ignores rows with no usable label', () => {
    const b = fitCapacityBaseline([obs('a', 'gas', 100, null, 50), obs('a', 'gas', 100, null, 0), obs('a', 'gas', 100, null, null)]);
    expect(b.on_share.a).toBeCloseTo(0.5, 12);
    expect(b.cf_on.gas).toBeCloseTo(0.5, 12);
    expect(b.n).toBe(2);
  });

  it('uses the fallback factor for a fuel whose training rows carry no CO2', () => {
    const b = fitCapacityBaseline([obs('a', 'oil', 200, true, 100), obs('b', 'coal', 100, true, 50, 45)], { oil: 0.7, coal: 1.0 });
    expect(b.co2_per_mwh.oil).toBe(0.7);
    expect(b.co2_per_mwh.coal).toBeCloseTo(0.9, 12);
  });

  it('recovers the generating process of a random fleet and prices its spread into the 90% interval', () => {
    const rand = mulberry32(2024);
    const fuels = { coal: { cf: 0.7, on: 0.8 }, gas: { cf: 0.45, on: 0.4 } } as const;
    const plants = Array.from({ length: 80 }, (_, i) => {
      const fuel = i % 2 === 0 ? 'coal' : 'gas';
      return { site_id: `p${i}`, fuel, capacity_mw: 100 + Math.floor(rand() * 1500), ...fuels[fuel] };
    });
    const observe = (p: (typeof plants)[number]): BaselineObservation => {
      const on = rand() < p.on;
      const cf = on ? Math.min(1, Math.max(0.05, p.cf + (rand() - 0.5) * 0.3)) : 0;
      return obs(p.site_id, p.fuel, p.capacity_mw, on, cf * p.capacity_mw);
    };
    const train = plants.slice(0, 60).flatMap((p) => Array.from({ length: 40 }, () => observe(p)));
    const heldOut = plants.slice(60);
    const b = fitCapacityBaseline(train);
    expect(b.cf_on.coal).toBeCloseTo(0.7, 1);
    expect(b.cf_on.gas).toBeCloseTo(0.45, 1);
    expect(b.on_share_fuel.coal).toBeCloseTo(0.8, 1);
    expect(b.on_share_fuel.gas).toBeCloseTo(0.4, 1);
    // Held-out plants: the interval covers about 90% of fresh observations.
    const test = heldOut.flatMap((p) => Array.from({ length: 40 }, () => observe(p)));
    const covered = test.filter((o) => {
      const pred = predictCapacityBaseline(b, o);
      return Math.abs(o.generation_mw! - pred.generation_mw) <= pred.generation_mw_half90;
    }).length;
    expect(covered / test.length).toBeGreaterThan(0.85);
    expect(covered / test.length).toBeLessThan(0.95);
  });
});
