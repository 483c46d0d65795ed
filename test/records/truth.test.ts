/** truth.json: the writer's output is what the reader accepts; a foreign file is named and refused. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTruth, parseTruth, readTruth, type TruthDocument } from '../../src/records/truth.js';

const doc: TruthDocument = {
  generator: { name: 'co2sat-synth', seed: 7, sites: 2, dates: 2, size: 64, layout: 'per-band', missing: 0.1, fleet: 'eu' },
  grid: { tile_id: '32ULB', epsg: 32632, geotransform_10m: [600000, 10, 0, 5700000, 0, -10], size_10m: 1024 },
  definitions: { wind: 'm/s' },
  sites: [
    { site_id: 'P001', name: 'Alpha', fuel: 'coal', technology: 'cooling_tower', capacity_mw: 812, emission_factor_t_per_mwh: 0.98, net_efficiency: 0.39, on_fraction: 0.8, mean_on_days: 71.5, base_capacity_factor: 0.55, sources: 2, x: 601234, y: 5698765, dispatch: 'baseload', peaking_unit: false, units: 2, unit_min_load: 0.4, mean_off_days: 21.3, plume_strength: 1 },
    { site_id: 'P002', name: 'Beta', fuel: 'gas', technology: 'stack', capacity_mw: 415, emission_factor_t_per_mwh: 0.37, net_efficiency: 0.55, on_fraction: 0.2, mean_on_days: 9, base_capacity_factor: 0.13, sources: 1, x: 604321, y: 5695432 },
  ],
  scenes: [{ product_id: 'S2A_X', scene_id: 'T32ULB_20240517T102559', datetime: '2024-05-17T10:25:59Z', cloud_cover: 0.3, swath_edge: false, cirrus: true }],
  samples: [
    { site_id: 'P001', datetime: '2024-05-17T10:25:59Z', active: true, capacity_factor: 0.61, generation_mw: 495.3, co2_t_per_h: 485.4, plume_visibility: 0.7, plume_opacity: 0.4, plume_length_m: 900, cloud_over_plant: 0, cloud_fraction_patch: 0.1, valid_fraction: 1, observable: true, brightness_near_stack: 0.21, emission_factor_t_per_mwh: 0.98, units_on: 1 },
    { site_id: 'P002', datetime: '2024-05-17T10:25:59Z', active: false, capacity_factor: 0, generation_mw: 0, co2_t_per_h: 0, plume_visibility: 0.3, plume_opacity: 0, plume_length_m: 0, cloud_over_plant: 0.6, cloud_fraction_patch: 0.7, valid_fraction: 0.9, observable: false, brightness_near_stack: null },
  ],
  noise_floor: { activity_accuracy: 0.93, generation_mae_mw: 61.2, co2_mae_t_per_h: 70.4, observable_fraction: 0.62 },
  baselines: { naive_brightness: { activity_accuracy: 0.7, generation_mae_mw: 190, co2_mae_t_per_h: 201 }, site_prior: { activity_accuracy: 0.8, generation_mae_mw: 150, co2_mae_t_per_h: 160 }, capacity_aware: { activity_accuracy: 0.78, generation_mae_mw: 170, co2_mae_t_per_h: 165 } },
};

describe('truth.json', () => {
  it('reads back what it writes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-truth-'));
    const file = path.join(dir, 'truth.json');
    writeFileSync(file, formatTruth(doc));
    expect(readTruth(file)).toEqual(doc);
  });
  it('names the file and what is missing', () => {
    expect(() => parseTruth('{"sites": []}', 't.json')).toThrow("t.json: not a co2sat truth.json: missing 'samples'");
    const bad = { ...doc, samples: [{ ...doc.samples[0], active: 'yes' }] };
    expect(() => parseTruth(JSON.stringify(bad), 't.json')).toThrow('t.json: not a co2sat truth.json: samples[0] needs site_id, datetime, active, generation_mw and co2_t_per_h');
    expect(() => parseTruth('[1,', 't.json')).toThrow(/t\.json: not a co2sat truth\.json: not valid JSON/);
    expect(() => readTruth('/nonexistent/truth.json')).toThrow('/nonexistent/truth.json: cannot read truth.json: ENOENT');
  });
});
