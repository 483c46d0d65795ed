/**
 * Weather at each plant at overpass time, and what it does to plume visibility. A regional
 * state per date (seasonal temperature with synoptic anomalies that persist across
 * revisits, a prevailing westerly wind with day-to-day swings) plus a small per-site
 * perturbation, so nearby plants see similar, not identical, air.
 */
import { stream } from './rng.js';
import type { Acquisition } from './timeline.js';
import type { Plant } from './plants.js';

export interface Weather {
  readonly temperatureC: number;
  /** Relative humidity, percent. */
  readonly relativeHumidity: number;
  /** Wind towards east, m/s (meteorological u: +u blows towards the east). */
  readonly windU: number;
  /** Wind towards north, m/s. */
  readonly windV: number;
}

interface RegionalWeather {
  temperatureC: number;
  anomaly: number;
  humidityNoise: number;
  windU: number;
  windV: number;
}

/** The regional weather of every acquisition (AR(1) anomalies across dates). */
export function regionalWeather(seed: number, acqs: readonly Acquisition[]): RegionalWeather[] {
  const rng = stream(seed, 'regional-weather');
  let anomaly = 0;
  let wu = 0;
  let wv = 0;
  return acqs.map((a) => {
    anomaly = 0.5 * anomaly + rng.normal(0, 3.2);
    wu = 0.4 * wu + rng.normal(0, 3.2);
    wv = 0.4 * wv + rng.normal(0, 2.8);
    // Central-European late-morning climate: ~1 °C in January, ~21 °C in July.
    const seasonal = 11 - 10 * Math.cos((2 * Math.PI * (a.doy - 20)) / 365);
    return { temperatureC: seasonal + anomaly, anomaly, humidityNoise: rng.normal(0, 7), windU: 2.5 + wu, windV: 0.5 + wv };
  });
}

/** Weather at one plant, given the regional state. */
export function siteWeather(seed: number, plant: Plant, acq: Acquisition, regional: RegionalWeather): Weather {
  const fixed = stream(seed, 'site-climate', plant.index);
  const offsetC = fixed.normal(0, 0.8);
  const rng = stream(seed, 'site-weather', plant.index, acq.index);
  const t = regional.temperatureC + offsetC + rng.normal(0, 0.6);
  const rh = 76 - 0.55 * (t - 10) - 1.2 * regional.anomaly + regional.humidityNoise + rng.normal(0, 3);
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return {
    temperatureC: r1(t),
    relativeHumidity: r1(Math.min(100, Math.max(20, rh))),
    windU: r1(regional.windU + rng.normal(0, 0.6)),
    windV: r1(regional.windV + rng.normal(0, 0.6)),
  };
}

/**
 * How visible condensed water vapour is in this air, in (0, 1]: a plume condenses more and
 * lives longer when the air is cold and close to saturation. A logistic in humidity and
 * temperature with a floor (a hot, dry day still shows a short wisp at a big tower).
 */
export function plumeVisibility(w: Weather): number {
  const z = (w.relativeHumidity - 70) / 12 - (w.temperatureC - 10) / 7;
  return 0.15 + 0.85 / (1 + Math.exp(-z));
}
