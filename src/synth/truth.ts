/**
 * Builds a world's `truth.json` document (the format is src/records/truth.ts's): per plant
 * its emission factor, efficiency and on/off persistence; per scene its cloud cover and swath
 * edge; per sample the plume's visibility, opacity and length, the cloud over the plant,
 * whether the state was observable at all — and the scores to judge a model against (noise
 * floor, naive brightness baseline, plant prior, capacity-aware baseline).
 */
import type { SceneGrid } from './grid.js';
import { geoTransform } from './grid.js';
import type { SkyPlan } from './clouds.js';
import type { SampleObservation } from './observe.js';
import { capacityAwareScores, naiveBrightnessScores, noiseFloor, sitePriorScores, type ScoredSample } from './scores.js';
import type { MissingMasks } from './tables.js';
import type { BaselineObservation } from '../model/capacityBaseline.js';
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
  capacity_aware: 'No image either: generation = the fuel\'s mean capacity factor while on x capacity x the plant\'s on-share, CO2 = that x the fuel\'s CO2 per MWh, activity on where the on-share is at least 0.5 (src/model/capacityBaseline.ts), fitted on labels.csv as written (blank cells left out) and scored on every sample: in-sample, like the other baselines. A model must beat it to show skill from pixels.',
  dispatch: 'Fleet role of the plant\'s units: baseload, mid_merit or peaker, with the on/off spells of configs/fleets/<fleet>.json; the plant is on when its lead unit is, the other units run only with it.',
  emission_factor_t_per_mwh: 'Per site: at the plant\'s typical load. Per sample: that overpass\'s, raised at part load and with a few percent of noise (co2_t_per_h / generation_mw).',
  on_fraction: 'Share of the world\'s overpasses the plant is on.',
  base_capacity_factor: 'Mean capacity factor of the plant over the overpasses it is on.',
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
  masks: MissingMasks,
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
        emission_factor_t_per_mwh: r(s.op.efTPerMWh, 4),
        units_on: s.op.unitGenerationMW.filter((g) => g > 0).length,
      });
      scored.push({
        siteId: s.plant.siteId,
        fuel: s.plant.fuel,
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
  // Labels in the order tables.ts writes them (scene by scene), with its blank cells.
  const training: BaselineObservation[] = world.samples.flat().map((s, k) => ({
    site_id: s.plant.siteId,
    fuel: s.plant.fuel,
    capacity_mw: s.plant.capacityMW,
    active: masks.active[k] ? null : s.op.active,
    generation_mw: masks.generation[k] ? null : s.op.generationMW,
    co2_t_per_h: masks.co2[k] ? null : s.op.co2TPerH,
  }));
  const fuelMedians = Object.fromEntries(Object.entries(factors).map(([fuel, f]) => [fuel, f.median]));
  const onStats = (siteIndex: number) => {
    const ops = world.samples.map((row) => row[siteIndex]!.op);
    const on = ops.filter((o) => o.active);
    return { share: on.length / Math.max(1, ops.length), cfOn: on.length > 0 ? on.reduce((a, o) => a + o.capacityFactor, 0) / on.length : 0 };
  };
  const round = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? r(v, 4) : v])) as T;
  return {
    generator: { name: 'co2sat synth', seed: spec.seed, sites: spec.sites, dates: spec.dates, size: spec.size, layout, missing, fleet: world.fleet.name },
    grid: gridRecord(grid),
    definitions: DEFINITIONS,
    sites: world.plants.map((p) => {
      const on = onStats(p.index);
      return {
        site_id: p.siteId,
        name: p.name,
        fuel: p.fuel,
        technology: p.technology,
        capacity_mw: p.capacityMW,
        emission_factor_t_per_mwh: p.efTPerMWh,
        net_efficiency: p.netEfficiency,
        on_fraction: r(on.share, 3),
        mean_on_days: r(p.units[0]?.onDays ?? 0, 1),
        base_capacity_factor: r(on.cfOn, 3),
        sources: p.sources.length,
        x: p.x,
        y: p.y,
        dispatch: p.dispatch,
        peaking_unit: p.peakingUnit,
        units: p.units.length,
        unit_min_load: p.minLoad,
        mean_off_days: r(p.units[0]?.offDays ?? 0, 1),
        plume_strength: p.plumeStrength,
      };
    }),
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
    baselines: {
      naive_brightness: round(naiveBrightnessScores(scored)),
      site_prior: round(sitePriorScores(scored)),
      capacity_aware: round(capacityAwareScores(scored, training, fuelMedians)),
    },
  };
}

function gridRecord(grid: SceneGrid): TruthDocument['grid'] {
  return { tile_id: `T${grid.tileId}`, epsg: grid.epsg, geotransform_10m: geoTransform(grid, 10), size_10m: grid.size };
}
