import { describe, expect, it } from 'vitest';
import { fitCapacityBaseline, type CapacityBaseline } from '../../src/model/capacityBaseline.js';
import type { SamplePrediction } from '../../src/model/predictor.js';
import { fitSiteHistory, fleetPrior, smoothWithSiteHistory, type HistoryInput, type HistoryObservation } from '../../src/model/siteHistory.js';
import { createRng } from '../../src/train/rng.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1, 10, 30);

/**
 * Plants whose capacity factor is a fleet mean plus a plant offset (variance vSite) plus a
 * persistent spell (AR(1) over 5-day steps with correlation length L days, variance vTime).
 */
function simulate(seed: number, plants: number, dates: number, vSite: number, vTime: number, L: number): HistoryObservation[] {
  const rng = createRng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const rho = Math.exp(-5 / L);
  const out: HistoryObservation[] = [];
  for (let p = 0; p < plants; p++) {
    const fuel = p % 2 === 0 ? 'coal' : 'gas';
    const capacity = 300 + Math.round(900 * rng());
    const offset = Math.sqrt(vSite) * gauss();
    let spell = Math.sqrt(vTime) * gauss();
    for (let d = 0; d < dates; d++) {
      if (d > 0) spell = rho * spell + Math.sqrt(vTime * (1 - rho * rho)) * gauss();
      const cf = 0.45 + offset + spell;
      out.push({ site_id: `p${p}`, time_ms: T0 + 5 * d * DAY, fuel, capacity_mw: capacity, active: cf > 0.3, generation_mw: cf * capacity });
    }
  }
  return out;
}

function baselineOf(obs: readonly HistoryObservation[]): CapacityBaseline {
  return fitCapacityBaseline(
    obs.map((o) => ({ ...o, co2_t_per_h: o.generation_mw === null ? null : o.generation_mw * (o.fuel === 'coal' ? 1 : 0.4) })),
    {},
  );
}

const estimate = (generation: number, sd: number, pOn: number, perMWh: number): SamplePrediction => ({
  p_on: pOn,
  generation_mw: generation,
  generation_mw_sd: sd,
  generation_mw_half90: 1.645 * sd,
  co2_t_per_h: generation * perMWh,
  co2_t_per_h_sd: sd * perMWh,
  co2_t_per_h_half90: 1.645 * sd * perMWh,
});

describe('fitSiteHistory', () => {
  it.each([
    [1, 0.04, 0.03, 20],
    [2, 0.01, 0.05, 45],
  ])('recovers the plant and spell variances and the correlation length (seed %i)', (seed, vSite, vTime, L) => {
    const obs = simulate(seed, 120, 60, vSite, vTime, L);
    const h = fitSiteHistory(obs, baselineOf(obs));
    expect(h.generation.site_variance).toBeGreaterThan(vSite * 0.6);
    expect(h.generation.site_variance).toBeLessThan(vSite * 1.5 + 0.005);
    expect(h.generation.time_variance).toBeGreaterThan(vTime * 0.6);
    expect(h.generation.time_variance).toBeLessThan(vTime * 1.5);
    expect(h.generation.correlation_days).toBeGreaterThanOrEqual(L / 2);
    expect(h.generation.correlation_days).toBeLessThanOrEqual(L * 2);
    expect(h.pairs).toBeGreaterThan(100_000);
  });
});

describe('smoothWithSiteHistory', () => {
  const training = simulate(3, 100, 40, 0.04, 0.03, 20);
  const baseline = baselineOf(training);
  const history = fitSiteHistory(training, baseline);
  const V = history.generation.site_variance + history.generation.time_variance;
  /** What a network knows of a plant without its image: the fleet prior, as wide as the fitted kernel. */
  const fleetEstimate = (fuel: string, cap: number, perMWh: number): SamplePrediction => {
    const prior = fleetPrior(baseline, fuel);
    return estimate(prior.cf * cap, Math.sqrt(V) * cap, prior.p_on, perMWh);
  };

  it('gives back what one overpass said when the plant has no other overpass (the prior is not counted twice)', () => {
    for (const [cf, sdCf] of [
      [0.8, 0.05],
      [0.1, 0.1],
      [0.3, 0.2],
    ] as const) {
      const [out] = smoothWithSiteHistory([{ site_id: 'x', time_ms: T0, fuel: 'coal', capacity_mw: 1000, estimate: estimate(cf * 1000, sdCf * 1000, 0.9, 1), imageFree: fleetEstimate('coal', 1000, 1) }], history);
      expect(out!.generation_mw).toBeCloseTo(cf * 1000, 3);
      expect(out!.generation_mw_sd).toBeCloseTo(sdCf * 1000, 3);
      expect(out!.co2_t_per_h).toBeCloseTo(cf * 1000, 3);
      expect(out!.p_on).toBeCloseTo(0.9, 6);
    }
  });

  it('leaves a blind model alone: what it knows without the image is the same at every overpass and is not evidence', () => {
    const inputs: HistoryInput[] = Array.from({ length: 40 }, (_, d) => {
      // Sure of the plant's level from capacity and weather, with or without the image.
      const e = estimate((0.62 + 0.01 * Math.sin(d)) * 900, 0.08 * 900, 0.8, 0.4);
      return { site_id: 'b', time_ms: T0 + 5 * d * DAY, fuel: 'gas', capacity_mw: 900, estimate: e, imageFree: e };
    });
    const out = smoothWithSiteHistory(inputs, history);
    out.forEach((p, i) => {
      expect(p.generation_mw).toBeCloseTo(inputs[i]!.estimate.generation_mw, 6);
      expect(p.generation_mw_sd).toBeCloseTo(inputs[i]!.estimate.generation_mw_sd, 6);
      expect(p.p_on).toBeCloseTo(0.8, 6);
    });
  });

  it('lends a clear overpass’s reading to the cloudy ones around it, more to near ones than to far ones', () => {
    const cap = 800;
    const prior = fleetPrior(baseline, 'gas');
    // Day 0: clear, the plant runs at CF 0.9 (sure); days 5…150: the image adds nothing.
    const inputs: HistoryInput[] = Array.from({ length: 31 }, (_, d) => ({
      site_id: 'g',
      time_ms: T0 + 5 * d * DAY,
      fuel: 'gas',
      capacity_mw: cap,
      estimate: d === 0 ? estimate(0.9 * cap, 0.03 * cap, 0.98, 0.4) : fleetEstimate('gas', cap, 0.4),
      imageFree: fleetEstimate('gas', cap, 0.4),
    }));
    const out = smoothWithSiteHistory(inputs, history);
    expect(out[0]!.generation_mw).toBeGreaterThan(0.85 * cap);
    expect(out[1]!.generation_mw).toBeGreaterThan(out[10]!.generation_mw);
    expect(out[10]!.generation_mw).toBeGreaterThan(prior.cf * cap);
    expect(out[1]!.generation_mw_sd).toBeLessThan(out[30]!.generation_mw_sd);
    expect(out[1]!.p_on).toBeGreaterThan(prior.p_on);
    out.forEach((p) => {
      expect(p.co2_t_per_h).toBeCloseTo(p.generation_mw * 0.4, 6);
      expect(p.p_on).toBeGreaterThanOrEqual(0);
      expect(p.p_on).toBeLessThanOrEqual(1);
    });
  });

  it('cuts the error of exact readings at a few clear overpasses on plants it never saw', () => {
    const test = simulate(4, 40, 40, 0.04, 0.03, 20);
    const rng = createRng(5);
    const inputs: HistoryInput[] = test.map((o) => {
      const clear = rng() < 0.2;
      const free = fleetEstimate(o.fuel, o.capacity_mw, 1);
      return { site_id: o.site_id, time_ms: o.time_ms, fuel: o.fuel, capacity_mw: o.capacity_mw, estimate: clear ? estimate(o.generation_mw!, 0.03 * o.capacity_mw, 0.5, 1) : free, imageFree: free };
    });
    const out = smoothWithSiteHistory(inputs, history);
    const mae = (f: (i: number) => number): number => test.reduce((a, o, i) => a + Math.abs(f(i) - o.generation_mw!), 0) / test.length;
    const before = mae((i) => inputs[i]!.estimate.generation_mw);
    const after = mae((i) => out[i]!.generation_mw);
    expect(after).toBeLessThan(0.8 * before);
    // Its 90 % intervals are honest on this world.
    const covered = test.filter((o, i) => Math.abs(out[i]!.generation_mw - o.generation_mw!) <= out[i]!.generation_mw_half90).length / test.length;
    expect(covered).toBeGreaterThan(0.82);
    expect(covered).toBeLessThan(0.97);
  });
});
