/**
 * The world model behind a synthetic run, before a pixel exists: grid, plants drawn from a
 * fleet profile, dates,
 * what each plant does and what the air is like at every (site, date) sample, and the
 * plumes those imply. Everything is a pure function of the options and the seed.
 */
import { hashInts, hashString } from './rng.js';
import { defaultGrid, type SceneGrid } from './grid.js';
import { generatePlants, type Plant } from './plants.js';
import { acquisitions, type Acquisition } from './timeline.js';
import { operations, type Operation } from './dispatch.js';
import type { FleetProfile } from './fleet.js';
import { plumeVisibility, regionalWeather, siteWeather, type Weather } from './weather.js';
import { makePlume, rejectedHeatRatio, type PlumeSpec } from './plume.js';

export interface WorldSpec {
  readonly seed: number;
  readonly sites: number;
  readonly dates: number;
  /** Pixels a side at 10 m. */
  readonly size: number;
}

/** One plant at one acquisition: the unit the labels, weather and truth files have a row for. */
export interface Sample {
  readonly plant: Plant;
  readonly acq: Acquisition;
  readonly op: Operation;
  readonly weather: Weather;
  /** How readily the air shows condensed vapour, 0–1 (see `plumeVisibility`). */
  readonly visibility: number;
  /** One plume per emitting source; empty when the plant is off. */
  readonly plumes: readonly PlumeSpec[];
}

export interface World {
  readonly spec: WorldSpec;
  /** The fleet profile the plants were drawn from. */
  readonly fleet: FleetProfile;
  readonly grid: SceneGrid;
  readonly plants: readonly Plant[];
  readonly acquisitions: readonly Acquisition[];
  /** samples[dateIndex][plantIndex]. */
  readonly samples: readonly (readonly Sample[])[];
}

export function buildWorld(spec: WorldSpec, fleet: FleetProfile): World {
  const grid = defaultGrid(spec.size);
  const plants = generatePlants(spec.seed, spec.sites, grid, fleet);
  const acqs = acquisitions(spec.dates);
  const regional = regionalWeather(spec.seed, acqs);
  const ops = plants.map((p) => operations(spec.seed, p, acqs, fleet.seasonal_on_share.monthly));
  const samples = acqs.map((acq, d) =>
    plants.map((plant, i) => {
      const weather = siteWeather(spec.seed, plant, acq, regional[d]!);
      const visibility = plumeVisibility(weather);
      const op = ops[i]![d]!;
      const plumes: PlumeSpec[] = [];
      if (op.active) {
        const heat = rejectedHeatRatio(plant.netEfficiency);
        plant.sources.forEach((s, k) => {
          const unitMW = op.unitGenerationMW[s.unit] ?? 0;
          if (unitMW <= 0) return;
          const key = hashInts(spec.seed, hashString('plume-texture'), plant.index, acq.index, k);
          const p = makePlume(plant.technology, plant.x + s.dx, plant.y + s.dy, unitMW * heat, plant.plumeStrength, visibility, weather.windU, weather.windV, key);
          if (p) plumes.push(p);
        });
      }
      return { plant, acq, op, weather, visibility, plumes };
    }),
  );
  return { spec, fleet, grid, plants, acquisitions: acqs, samples };
}
