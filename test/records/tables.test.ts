import { describe, expect, it } from 'vitest';
import { parseLabelsCsv } from '../../src/records/labels.js';
import { parseSites, toModelSites } from '../../src/records/sites.js';
import { parseWeatherCsv } from '../../src/records/weather.js';

const parseSitesGeoJson = (text: string, file: string) => toModelSites(parseSites(text, file), file);

const H = 'site_id,datetime,active,generation_mw,co2_t_per_h';

describe('labels.csv', () => {
  it('parses blanks as missing labels and joins on epoch time', () => {
    const rows = parseLabelsCsv(`${H}\nA,2024-05-17T10:25:59Z,1,,412.5\nB,2024-05-17T10:25:59+00:00,,0,\n`, 'labels.csv');
    expect(rows[0]).toMatchObject({ site_id: 'A', active: true, generation_mw: null, co2_t_per_h: 412.5, lineNo: 2 });
    expect(rows[1]).toMatchObject({ active: null, generation_mw: 0, co2_t_per_h: null });
    expect(rows[0]!.time_ms).toBe(rows[1]!.time_ms);
  });
  it.each([
    ['A,2024-05-17T10:25:59Z,1,-3,1', "labels.csv: line 2, column 'generation_mw': -3 is negative"],
    ['A,2024-05-17T10:25:59Z,1,NaN,1', "labels.csv: line 2, column 'generation_mw': 'NaN' is not a number"],
    ['A,2024-05-17T10:25:59Z,yes,1,1', "labels.csv: line 2, column 'active': 'yes' must be 1, 0, true, false or blank"],
    ['A,yesterday,1,1,1', "labels.csv: line 2, column 'datetime': 'yesterday' is not an ISO 8601 datetime"],
    ['A,2024-05-17T10:25:59Z,1,1', 'labels.csv: line 2: expected 5 fields, got 4'],
  ])('rejects %s', (line, message) => {
    expect(() => parseLabelsCsv(`${H}\n${line}\n`, 'labels.csv')).toThrow(message);
  });
  it('rejects a missing column and duplicates', () => {
    expect(() => parseLabelsCsv('site_id,datetime,active\n', 'l.csv')).toThrow("l.csv: missing column 'generation_mw'");
    expect(() => parseLabelsCsv(`${H}\nA,2024-01-01T00:00:00Z,1,1,1\nA,2024-01-01T00:00:00Z,1,1,1\n`, 'l.csv')).toThrow('l.csv: line 3: duplicate label');
  });
});

describe('weather.csv', () => {
  it('parses numbers and blanks, rejects impossible humidity', () => {
    const h = 'site_id,datetime,temperature_c,relative_humidity,wind_u,wind_v';
    const [w] = parseWeatherCsv(`${h}\nA,2024-01-01T00:00:00Z,-3.5,,2,-1\n`, 'w.csv');
    expect(w).toMatchObject({ temperature_c: -3.5, relative_humidity: null, wind_u: 2, wind_v: -1 });
    expect(() => parseWeatherCsv(`${h}\nA,2024-01-01T00:00:00Z,1,140,0,0\n`, 'w.csv')).toThrow("w.csv: line 2, column 'relative_humidity': 140 outside [0, 100]");
  });
});

describe('sites GeoJSON', () => {
  const fc = (props: Record<string, unknown>): string => JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [8, 50] }, properties: props }] });
  it('reads fuel and capacity', () => {
    expect(parseSitesGeoJson(fc({ site_id: 'A', fuel: 'gas', capacity_mw: 400, name: 'Alpha' }), 's.geojson')[0]).toMatchObject({ site_id: 'A', fuel: 'gas', capacity_mw: 400, lon: 8, lat: 50 });
  });
  it('names the file and feature for an unknown fuel or bad capacity', () => {
    expect(() => parseSitesGeoJson(fc({ site_id: 'A', fuel: 'peat', capacity_mw: 400 }), 's.geojson')).toThrow("s.geojson: site_id 'A': unknown fuel 'peat' (expected lignite|coal|gas|oil)");
    expect(() => parseSitesGeoJson(fc({ site_id: 'A', fuel: 'coal', capacity_mw: 0 }), 's.geojson')).toThrow("s.geojson: site_id 'A': capacity_mw must be a positive number");
    expect(() => parseSitesGeoJson(fc({ site_id: 'A', fuel: 'coal' }), 's.geojson')).toThrow('capacity_mw must be a positive number');
  });
  it('applies the same GeoJSON, geometry and site_id checks as tiling', () => {
    expect(() => parseSitesGeoJson(fc({ site_id: '../A', fuel: 'coal', capacity_mw: 100 }), 's.geojson')).toThrow("contains a path separator");
    const far = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [200, 50] }, properties: { site_id: 'A', fuel: 'coal', capacity_mw: 1 } }] });
    expect(() => parseSitesGeoJson(far, 's.geojson')).toThrow('longitude 200 out of range');
  });
});
