/**
 * The GeoJSON as GIS tools read it: OGR (live where GDAL is installed, goldens elsewhere)
 * must see a FeatureCollection of Points with the declared field types in every run, and
 * ogr2ogr must convert it to GeoPackage.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregatePredictions } from '../../src/postprocess/aggregatePredictions.js';
import { formatGeoJSON, SITE_FIELDS } from '../../src/postprocess/formatGeoJSON.js';
import { formatReal } from '../../src/records/fieldTypes.js';
import { makePredictionRecord } from '../../src/postprocess/prediction.js';
import type { Site } from '../../src/records/sites.js';
import { roundCoordinate, toFeature } from '../../src/postprocess/toFeature.js';
import { parseWindowSpec } from '../../src/postprocess/windowSpec.js';
import { ORACLE_NOTE, oracle } from '../helpers/oracle.js';
import { ogrDump, ogrToGpkg, type OgrLayer } from './ogr.js';

// Whole-number capacities and estimates on purpose: OGR must still see Real fields.
const SITES: Site[] = [
  { site_id: 'lippendorf', lon: 12.3712345678, lat: 51.1787654321, name: 'Lippendorf', fuel: 'lignite', capacity_mw: 1840, technology: null },
  { site_id: 'belchatow', lon: 19.3263, lat: 51.2655, name: 'Bełchatów "B"', fuel: 'lignite', capacity_mw: 5102 , technology: null },
  { site_id: 'ghost', lon: -0.0000001, lat: -33.9, name: null, fuel: null, capacity_mw: null , technology: null },
];

function world() {
  const preds = [
    ['s1', 'lippendorf', '2024-05-02T10:00:00Z', 1000, 100, 0],
    ['s2', 'lippendorf', '2024-05-12T10:00:00Z', 1200, 100, 0.5],
    ['s1', 'belchatow', '2024-05-02T10:00:00Z', 3000, 0, 0],
    ['s3', 'belchatow', '2024-06-20T10:00:00Z', 2000, 300, 1],
  ] as const;
  return preds.map(([scene, site, dt, gen, sd, cloud]) =>
    makePredictionRecord(
      { scene_id: scene, site_id: site, datetime: dt, valid_fraction: 1, cloud_fraction: cloud, fingerprint: scene },
      { p_on: 1, generation_mw: gen, generation_mw_sd: sd, co2_t_per_h: gen, co2_t_per_h_sd: sd },
      { id: 'model-geo', backend: 'wasm' },
    ),
  );
}

function writeWorld(): { file: string; text: string } {
  const { aggregates } = aggregatePredictions(world(), SITES, parseWindowSpec('month'));
  const byId = new Map(SITES.map((s) => [s.site_id, s]));
  const text = formatGeoJSON(aggregates.map((a) => toFeature(a, byId.get(a.site_id)!)));
  const dir = mkdtempSync(path.join(tmpdir(), 'co2sat-geojson-'));
  const file = path.join(dir, 'sites.geojson');
  writeFileSync(file, text);
  return { file, text };
}

describe('formatGeoJSON', () => {
  it('writes RFC 7946 text: no crs, lon/lat rounded to 7 decimals, reals with a decimal point', () => {
    const { text } = writeWorld();
    const fc = JSON.parse(text) as { type: string; crs?: unknown; features: { geometry: { coordinates: number[] }; properties: Record<string, unknown> }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.crs).toBeUndefined();
    expect(fc.features).toHaveLength(6);
    expect(fc.features[0]!.geometry.coordinates).toEqual([12.3712346, 51.1787654]);
    expect(Object.keys(fc.features[0]!.properties)).toEqual(SITE_FIELDS.map(([n]) => n));
    expect(text).toContain('"capacity_mw":1840.0');
    expect(text).toContain('"n_obs":2,');
    expect(formatReal(3)).toBe('3.0');
    expect(formatReal(-0)).toBe('0.0');
    expect(formatReal(1e-7)).toBe('0.0');
    expect(formatReal(0.1234567)).toBe('0.123457');
    expect(roundCoordinate(-0.00000004)).toBe(-0);
  });

  it(`reads in OGR with stable field types and exact coordinates (${ORACLE_NOTE})`, () => {
    const { file } = writeWorld();
    const layer = oracle<OgrLayer>('postprocess/sites-month', () => {
      const l = ogrDump(file);
      return { ...l, driver: l.driver };
    }, { inputs: { 'sites.geojson': file } });
    expect(layer.driver).toBe('GeoJSON');
    expect(layer.count).toBe(6);
    expect(layer.srs_epsg).toBe('4326');
    const types = Object.fromEntries(layer.fields);
    expect(layer.fields.map(([n]) => n)).toEqual(SITE_FIELDS.map(([n]) => n));
    for (const [name, type] of SITE_FIELDS) {
      expect([name, types[name]]).toEqual([name, { string: 'String', integer: 'Integer', real: 'Real', datetime: 'DateTime' }[type]]);
    }
    const months = ['2024/05/01 00:00:00+00', '2024/06/01 00:00:00+00'];
    layer.features.forEach((f, i) => {
      const site = SITES[i % 3]!;
      expect(f.geom).toBe('POINT');
      expect(Math.abs(f.x - site.lon)).toBeLessThan(1e-7);
      expect(Math.abs(f.y - site.lat)).toBeLessThan(1e-7);
      expect(f.values.site_id).toBe(site.site_id);
      expect(f.values.window_start).toBe(months[Math.floor(i / 3)]);
    });
    // The ghost site: never observed, present with nulls and a reason.
    expect(layer.features[2]!.values.generation_mw).toBeNull();
    expect(layer.features[2]!.values.reason).toBe('no observations in window');
    // Bełchatów in June was only seen under full cloud.
    expect(layer.features[4]!.values.reason).toMatch(/^no valid observations/);
    expect(layer.features[4]!.values.n_cloudy).toBe('1');
    expect(layer.features[1]!.values.name).toBe('Bełchatów "B"');
  });

  it(`converts to GeoPackage with ogr2ogr (${ORACLE_NOTE})`, () => {
    const { file } = writeWorld();
    const gpkg = oracle<OgrLayer>('postprocess/sites-month-gpkg', () => ogrToGpkg(file, `${file}.gpkg`), { inputs: { 'sites.geojson': file } });
    expect(gpkg.driver).toBe('GPKG');
    expect(gpkg.count).toBe(6);
    expect(gpkg.fields.find(([n]) => n === 'energy_mwh')?.[1]).toBe('Real');
    expect(gpkg.fields.find(([n]) => n === 'n_valid')?.[1]).toBe('Integer');
  });
});
