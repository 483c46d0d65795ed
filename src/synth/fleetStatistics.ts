/**
 * A world's own fleet statistics, in the form of the "Real fleets" table of domain.md: fuel
 * mix, capacity and capacity-factor quantiles per fuel, the share of plants below CF 0.05,
 * emission factors, on/off persistence (transition rates between consecutive overpasses ≤ 5
 * days apart, within-plant autocorrelation, on shares), CF while on, cooling mix, and the
 * cloud climate. `co2sat synth --report` prints it; truth.json and `--json` carry it.
 */
import { FUELS, type Fuel } from '../records/sites.js';
import { COOLINGS, type Cooling } from './fleet.js';
import { skyPlan } from './clouds.js';
import type { World } from './world.js';
import { quantile } from '../statistics.js';

export interface Quartiles {
  p25: number;
  median: number;
  p75: number;
}

export interface FuelStatistics {
  plants: number;
  share: number;
  capacity_mw: Quartiles;
  /** Plant capacity factor: mean of CF over the overpasses (the annual CF's estimate). */
  capacity_factor: Quartiles;
  /** Share of plants with capacity factor below 0.05. */
  below_cf_0_05: number;
  /** Each plant's own emission factor (at its typical load), over all plants: the registry view. */
  emission_factor: Quartiles;
  /**
   * Per plant CO2 / generation over its overpasses (part load and noise included), over the
   * plants that ran at least once; for rarely running fuels (oil) a handful of plants.
   */
  emission_factor_realised: Quartiles & { plants: number };
  /** CF at overpasses when on. */
  cf_while_on: { p10: number; median: number };
  /** Per plant share of overpasses on. */
  on_share: { p10: number; median: number; p90: number };
  on_at_least_95pct: number;
  on_below_half: number;
  /** Between consecutive overpasses at most 5 days apart. */
  p_on_to_off: number;
  p_off_to_on: number;
  /** Lag-1 autocorrelation of each plant's on/off series about its own mean, pooled. */
  on_off_autocorrelation: number;
  /** On share of the fuel's plants at overpasses in Mar–May and in the other months (null without such dates). */
  on_share_spring: number | null;
  on_share_rest: number | null;
  cooling: Record<Cooling, number>;
  multi_unit: number;
}

export interface FleetStatistics {
  fleet: string;
  plants: number;
  overpasses: number;
  by_fuel: Record<Fuel, FuelStatistics | null>;
  /** CF while on, all plants. */
  cf_while_on_p10: number;
  /** Mean scene cloud cover, and per calendar month present (`Jan` …). */
  cloud_cover_mean: number;
  cloud_cover_by_month: Record<string, number>;
}


const quartiles = (v: readonly number[]): Quartiles => ({ p25: quantile(v, 0.25), median: quantile(v, 0.5), p75: quantile(v, 0.75) });
const share = (n: number, of: number) => (of > 0 ? n / of : Number.NaN);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MAX_GAP_MS = 5 * 86_400_000 + 60_000;

function fuelStatistics(world: World, fuel: Fuel): FuelStatistics | null {
  const plants = world.plants.filter((p) => p.fuel === fuel);
  if (plants.length === 0) return null;
  const times = world.acquisitions.map((a) => a.date.getTime());
  const months = world.acquisitions.map((a) => a.date.getUTCMonth());
  const cf: number[] = [];
  const ef: number[] = [];
  const onCF: number[] = [];
  const onShares: number[] = [];
  let onOff = 0, fromOn = 0, offOn = 0, fromOff = 0, cov = 0, varSum = 0;
  let springOn = 0, spring = 0, restOn = 0, rest = 0;
  for (const p of plants) {
    const ops = world.samples.map((row) => row[p.index]!.op);
    const x: number[] = ops.map((o) => (o.active ? 1 : 0));
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    onShares.push(m);
    cf.push(ops.reduce((s, o) => s + o.capacityFactor, 0) / ops.length);
    const gen = ops.reduce((s, o) => s + o.generationMW, 0);
    if (gen > 0) ef.push(ops.reduce((s, o) => s + o.co2TPerH, 0) / gen);
    ops.forEach((o, t) => {
      if (o.active) onCF.push(o.capacityFactor);
      const month = months[t]!;
      if (month >= 2 && month <= 4) [springOn, spring] = [springOn + x[t]!, spring + 1];
      else [restOn, rest] = [restOn + x[t]!, rest + 1];
      varSum += (x[t]! - m) ** 2;
      if (t === 0 || times[t]! - times[t - 1]! > MAX_GAP_MS) return;
      const prev = x[t - 1]!;
      cov += (prev - m) * (x[t]! - m);
      if (prev === 1) [fromOn, onOff] = [fromOn + 1, onOff + (x[t] === 0 ? 1 : 0)];
      else [fromOff, offOn] = [fromOff + 1, offOn + (x[t] === 1 ? 1 : 0)];
    });
  }
  const cooling = Object.fromEntries(COOLINGS.map((c) => [c, share(plants.filter((p) => p.technology === c).length, plants.length)])) as Record<Cooling, number>;
  return {
    plants: plants.length,
    share: share(plants.length, world.plants.length),
    capacity_mw: quartiles(plants.map((p) => p.capacityMW)),
    capacity_factor: quartiles(cf),
    below_cf_0_05: share(cf.filter((v) => v < 0.05).length, cf.length),
    emission_factor: quartiles(plants.map((p) => p.efTPerMWh)),
    emission_factor_realised: { ...quartiles(ef), plants: ef.length },
    cf_while_on: { p10: quantile(onCF, 0.1), median: quantile(onCF, 0.5) },
    on_share: { p10: quantile(onShares, 0.1), median: quantile(onShares, 0.5), p90: quantile(onShares, 0.9) },
    on_at_least_95pct: share(onShares.filter((v) => v >= 0.95).length, plants.length),
    on_below_half: share(onShares.filter((v) => v < 0.5).length, plants.length),
    p_on_to_off: share(onOff, fromOn),
    p_off_to_on: share(offOn, fromOff),
    on_off_autocorrelation: varSum > 0 ? cov / varSum : Number.NaN,
    on_share_spring: spring > 0 ? springOn / spring : null,
    on_share_rest: rest > 0 ? restOn / rest : null,
    cooling,
    multi_unit: share(plants.filter((p) => p.units.length > 1).length, plants.length),
  };
}

/** The world's fleet statistics (pure: from the world model, no pixels needed). */
export function fleetStatistics(world: World): FleetStatistics {
  const onCF = world.samples.flatMap((row) => row.filter((s) => s.op.active).map((s) => s.op.capacityFactor));
  const covers = world.acquisitions.map((a) => skyPlan(world.spec.seed, world.grid, a).cover);
  const byMonth: Record<string, number[]> = {};
  world.acquisitions.forEach((a, d) => (byMonth[MONTHS[a.date.getUTCMonth()] ?? '?'] ??= []).push(covers[d]!));
  return {
    fleet: world.fleet.name,
    plants: world.plants.length,
    overpasses: world.acquisitions.length,
    by_fuel: Object.fromEntries(FUELS.map((f) => [f, fuelStatistics(world, f)])) as Record<Fuel, FuelStatistics | null>,
    cf_while_on_p10: quantile(onCF, 0.1),
    cloud_cover_mean: covers.reduce((a, b) => a + b, 0) / Math.max(1, covers.length),
    cloud_cover_by_month: Object.fromEntries(Object.entries(byMonth).map(([m, v]) => [m, v.reduce((a, b) => a + b, 0) / v.length])),
  };
}
