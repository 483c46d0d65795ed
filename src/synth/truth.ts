/**
 * Builds a world's `truth.json` document (the format is src/records/truth.ts's): per plant
 * its emission factor, efficiency and on/off persistence; per scene its cloud cover and swath
 * edge; per sample the plume's visibility, opacity and length, the cloud over the plant,
 * whether the state was observable at all — and the scores to judge a model against (noise
 * floor, naive brightness baseline, plant prior).
 */
import type { SceneGrid } from './grid.js';
import { geoTransform } from './grid.js';
import type { SkyPlan } from './clouds.js';
import type { SampleObservation } from './observe.js';
import { naiveBrightnessScores, noiseFloor, sitePriorScores, type ScoredSample } from './scores.js';
import type { TruthDocument, TruthSampleRecord } from '../records/truth.js';
import type { World } from './world.js';
import type { EmissionFactors } from '../model/physics.js';

const r = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export const DEFINITIONS: Record<string, string> = {
  wind: 'weather.csv wind_u and wind_v are m/s towards east and north (meteorological u, v); plumes are drawn along (u, v). Image rows grow southward, so +v points up in the image.',
  datetime: 'Acquisition time, ISO 8601 UTC: the scene name\'s sensing time and the tiling manifest\'s datetime, so labels and weather join on (site_id, datetime).',
  plume_visibility: 'How readily the air shows condensed vapour at the plant (0.15-1), a logistic in relative humidity and temperature: cold, humid air shows longer, denser plumes.',
  plume_opacity: 'Peak opacity of the plant\'s plumes before turbulent texture (0 when off).',
  cloud_over_plant: 'Mean cumulus opacity within 300 m of the site.',
  cloud_fraction_patch: 'Fraction of the 640 m window around the site flagged cloud, cirrus or shadow in SCL.',
  valid_fraction: 'Fraction of the 640 m window inside the swath (not nodata).',
  observable: 'The site is imaged (valid_fraction >= 0.5), not under cloud (cloud_over_plant < 0.5), and its plume is visible (opacity >= 0.08) or, when off, a plume at minimum stable load would have been.',
  noise_floor: 'Scores of an oracle that reads every observable sample exactly (generation from the plume; CO2 from the fuel-median emission factor, since a plant\'s own efficiency is invisible) and predicts the plant\'s prior (majority state, median generation) for the rest. No per-sample model can do better; temporal models could, by using persistence.',
  naive_brightness: 'Mean visible (B02-B04) reflectance within 300 m of the stack; activity by the best single threshold on it, capacity factor by least squares on it times the public capacity, both fitted in-sample (which flatters the baseline).',
  site_prior: 'Each plant\'s majority state and median generation, ignoring the images.',
};

export function truthDocument(
  world: World,
  layout: string,
  missing: number,
  plans: readonly SkyPlan[],
  sceneNames: readonly { productId: string; sceneId: string }[],
  observations: readonly (readonly SampleObservation[])[],
  brightness: readonly (readonly (number | null)[])[],
  factors: EmissionFactors,
): TruthDocument {
  const { spec, grid } = world;
  const samples: TruthSampleRecord[] = [];
  const scored: ScoredSample[] = [];
  world.samples.forEach((row, d) =>
    row.forEach((s, i) => {
      const o = observations[d]![i]!;
      const b = brightness[d]![i] ?? null;
      samples.push({
        site_id: s.plant.siteId,
        datetime: s.acq.datetime,
        active: s.op.active,
        capacity_factor: s.op.capacityFactor,
        generation_mw: r(s.op.generationMW, 3),
        co2_t_per_h: r(s.op.co2TPerH, 3),
        plume_visibility: r(s.visibility, 3),
        plume_opacity: r(o.plumeOpacity, 3),
        plume_length_m: r(o.plumeLengthM, 1),
        cloud_over_plant: r(o.cloudOverPlant, 3),
        cloud_fraction_patch: r(o.cloudFractionPatch, 3),
        valid_fraction: r(o.validFraction, 3),
        observable: o.observable,
        brightness_near_stack: b === null ? null : r(b, 4),
      });
      scored.push({
        siteId: s.plant.siteId,
        active: s.op.active,
        generationMW: s.op.generationMW,
        co2TPerH: s.op.co2TPerH,
        capacityMW: s.plant.capacityMW,
        fuelEfTPerMWh: factors[s.plant.fuel].median,
        observable: o.observable,
        brightness: b,
      });
    }),
  );
  const round = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? r(v, 4) : v])) as T;
  return {
    generator: { name: 'co2sat synth', seed: spec.seed, sites: spec.sites, dates: spec.dates, size: spec.size, layout, missing },
    grid: gridRecord(grid),
    definitions: DEFINITIONS,
    sites: world.plants.map((p) => ({
      site_id: p.siteId,
      name: p.name,
      fuel: p.fuel,
      technology: p.technology,
      capacity_mw: p.capacityMW,
      emission_factor_t_per_mwh: p.efTPerMWh,
      net_efficiency: p.netEfficiency,
      on_fraction: r(p.onFraction, 3),
      mean_on_days: r(p.meanOnDays, 1),
      base_capacity_factor: r(p.baseCF, 3),
      sources: p.sources.length,
      x: p.x,
      y: p.y,
    })),
    scenes: world.acquisitions.map((a, d) => ({
      product_id: sceneNames[d]!.productId,
      scene_id: sceneNames[d]!.sceneId,
      datetime: a.datetime,
      cloud_cover: r(plans[d]!.cover, 3),
      swath_edge: plans[d]!.edge !== null,
      cirrus: plans[d]!.cirrus !== null,
    })),
    samples,
    noise_floor: round(noiseFloor(scored)),
    baselines: { naive_brightness: round(naiveBrightnessScores(scored)), site_prior: round(sitePriorScores(scored)) },
  };
}

function gridRecord(grid: SceneGrid): TruthDocument['grid'] {
  return { tile_id: `T${grid.tileId}`, epsg: grid.epsg, geotransform_10m: geoTransform(grid, 10), size_10m: grid.size };
}
