/**
 * The capacity-aware baseline: what a model that never looks at an image can predict from a
 * plant's public record (fuel, capacity) and the training labels. A model must beat it clearly
 * to show that its skill comes from the pixels. Pure and tf-free: synth uses it for truth.json,
 * evaluate and ablate report it beside the model.
 *
 * Definition (everything is learnt from the TRAINING observations only):
 * - a training observation is "on" when its `active` label is true; when `active` is missing
 *   but generation is known, when generation > 0;
 * - `cf_on[fuel]`: the mean capacity factor (generation / capacity) over the fuel's training
 *   observations that are on and have a generation label and a capacity > 0;
 * - `on_share[plant]`: the share of the plant's training observations that are on (only plants
 *   present in training have one); `on_share_fuel[fuel]`: the share over all the fuel's
 *   training observations (observation-weighted, so plants with more overpasses count more);
 * - `co2_per_mwh[fuel]`: Σ CO₂ / Σ generation over the fuel's training observations with both
 *   labels and generation > 0, else the caller's fallback factor for the fuel;
 * - a fuel without training observations takes the pooled value over all fuels;
 * - prediction for a plant: on-share s = on_share[plant] if known, else on_share_fuel[fuel];
 *   p_on = s; generation = cf_on[fuel] × capacity × s; CO₂ = generation × co2_per_mwh[fuel];
 * - the 90 % half-width is capacity × q90 of |CF − cf_on[fuel] × s| over the training
 *   observations with a generation label (pooled), and CO₂'s is that times co2_per_mwh[fuel],
 *   so the baseline's interval coverage can be read like the model's.
 */
import { quantile as quantileOf } from '../statistics.js';

const quantile = (values: readonly number[], q: number): number => quantileOf(values, q, 0);

/** One labelled training observation of a plant (an overpass). */
export interface BaselineObservation {
  site_id: string;
  fuel: string;
  capacity_mw: number;
  active: boolean | null;
  generation_mw: number | null;
  co2_t_per_h: number | null;
}

/** A plant to predict for: only its public record. */
export interface BaselinePlant {
  site_id: string;
  fuel: string;
  capacity_mw: number;
}

export interface CapacityBaseline {
  /** Mean capacity factor while on, per fuel. */
  cf_on: Record<string, number>;
  /** Share of overpasses on, per training plant. */
  on_share: Record<string, number>;
  /** Share of overpasses on, per fuel. */
  on_share_fuel: Record<string, number>;
  /** t CO₂ per MWh, per fuel. */
  co2_per_mwh: Record<string, number>;
  /** Values for fuels absent from training. */
  pooled: { cf_on: number; on_share: number; co2_per_mwh: number };
  /** 90th percentile of |capacity-factor residual| over training observations. */
  cf_half90: number;
  /** Training observations used. */
  n: number;
}

export interface CapacityBaselinePrediction {
  p_on: number;
  generation_mw: number;
  generation_mw_half90: number;
  co2_t_per_h: number;
  co2_t_per_h_half90: number;
}

function isOn(o: BaselineObservation): boolean | null {
  if (o.active !== null) return o.active;
  if (o.generation_mw !== null) return o.generation_mw > 0;
  return null;
}

/** Running sums keyed by a name. */
class Sums {
  readonly num = new Map<string, number>();
  readonly den = new Map<string, number>();
  add(key: string, num: number, den: number): void {
    this.num.set(key, (this.num.get(key) ?? 0) + num);
    this.den.set(key, (this.den.get(key) ?? 0) + den);
  }
  ratios(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, d] of this.den) if (d > 0) out[k] = this.num.get(k)! / d;
    return out;
  }
  pooled(): number | null {
    const d = [...this.den.values()].reduce((a, b) => a + b, 0);
    return d > 0 ? [...this.num.values()].reduce((a, b) => a + b, 0) / d : null;
  }
}


/**
 * Learns the baseline from training observations.
 * @param training labelled observations of the training plants only
 * @param fallbackCo2PerMWh t CO₂/MWh per fuel for fuels whose training rows lack CO₂ labels
 *   (e.g. the median emission factors); without one such a fuel uses the pooled intensity
 */
export function fitCapacityBaseline(training: readonly BaselineObservation[], fallbackCo2PerMWh: Readonly<Record<string, number>> = {}): CapacityBaseline {
  const cfOn = new Sums();
  const onFuel = new Sums();
  const onSite = new Sums();
  const co2 = new Sums();
  let n = 0;
  for (const o of training) {
    const on = isOn(o);
    if (on === null && o.co2_t_per_h === null) continue;
    n++;
    if (on !== null) {
      onFuel.add(o.fuel, on ? 1 : 0, 1);
      onSite.add(o.site_id, on ? 1 : 0, 1);
      if (on && o.generation_mw !== null && o.capacity_mw > 0) cfOn.add(o.fuel, o.generation_mw / o.capacity_mw, 1);
    }
    if (o.generation_mw !== null && o.generation_mw > 0 && o.co2_t_per_h !== null) co2.add(o.fuel, o.co2_t_per_h, o.generation_mw);
  }
  const co2PerMWh = { ...fallbackCo2PerMWh, ...co2.ratios() };
  const known = Object.values(co2PerMWh);
  const base: CapacityBaseline = {
    cf_on: cfOn.ratios(),
    on_share: onSite.ratios(),
    on_share_fuel: onFuel.ratios(),
    co2_per_mwh: co2PerMWh,
    pooled: {
      cf_on: cfOn.pooled() ?? 0,
      on_share: onFuel.pooled() ?? 0,
      co2_per_mwh: co2.pooled() ?? (known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 0),
    },
    cf_half90: 0,
    n,
  };
  const residuals = training
    .filter((o) => o.generation_mw !== null && o.capacity_mw > 0)
    .map((o) => Math.abs(o.generation_mw! / o.capacity_mw - expectedCapacityFactor(base, o)));
  base.cf_half90 = quantile(residuals, 0.9);
  return base;
}

function onShareOf(b: CapacityBaseline, plant: BaselinePlant): number {
  return b.on_share[plant.site_id] ?? b.on_share_fuel[plant.fuel] ?? b.pooled.on_share;
}

function expectedCapacityFactor(b: CapacityBaseline, plant: BaselinePlant): number {
  return (b.cf_on[plant.fuel] ?? b.pooled.cf_on) * onShareOf(b, plant);
}

/** The baseline's prediction for a plant (the same for every overpass of it). */
export function predictCapacityBaseline(b: CapacityBaseline, plant: BaselinePlant): CapacityBaselinePrediction {
  const capacity = Math.max(plant.capacity_mw, 0);
  const intensity = b.co2_per_mwh[plant.fuel] ?? b.pooled.co2_per_mwh;
  const generation = expectedCapacityFactor(b, plant) * capacity;
  const genHalf = b.cf_half90 * capacity;
  return {
    p_on: onShareOf(b, plant),
    generation_mw: generation,
    generation_mw_half90: genHalf,
    co2_t_per_h: generation * intensity,
    co2_t_per_h_half90: genHalf * intensity,
  };
}
