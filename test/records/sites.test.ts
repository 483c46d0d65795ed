/** Sites: every malformed input gets one InputError naming the file and the feature. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { formatSitesGeoJson, loadSites, parseSites, siteIdProblem, toModelSites, type Site } from '../../src/records/sites.js';

const point = (props: Record<string, unknown>, coordinates: unknown = [8.5, 47.4], type = 'Point') => ({
  type: 'Feature',
  geometry: { type, coordinates },
  properties: props,
});
const fc = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe('parseSites', () => {
  it('reads Point features with site_id, fuel, capacity, name and technology', () => {
    const s = parseSites(
      fc(point({ site_id: 'a', fuel: 'coal', capacity_mw: 300, name: 'Alpha', technology: 'cooling_tower' }), point({ site_id: 7 }, [-70, -33])),
      'sites.geojson',
    );
    expect(s).toEqual([
      { site_id: 'a', lon: 8.5, lat: 47.4, fuel: 'coal', capacity_mw: 300, name: 'Alpha', technology: 'cooling_tower' },
      { site_id: '7', lon: -70, lat: -33, fuel: null, capacity_mw: null, name: null, technology: null },
    ]);
  });

  const bad: [string, string, RegExp][] = [
    ['not JSON', '{"type": "FeatureCollection", ', /sites\.geojson: not GeoJSON: not valid JSON/],
    ['not GeoJSON', JSON.stringify({ hello: 'world' }), /not GeoJSON: expected a FeatureCollection/],
    ['no points', fc(), /no Point features/],
    ['a polygon', fc(point({ site_id: 'p' }, [[[0, 0], [1, 0], [1, 1], [0, 0]]], 'Polygon')), /feature 1 \(site_id 'p'\): geometry must be a Point, got "Polygon"/],
    ['longitude out of range', fc(point({ site_id: 'x' }, [200, 10])), /feature 1 \(site_id 'x'\): longitude 200 out of range \[-180, 180\]/],
    ['latitude out of range', fc(point({ site_id: 'y' }, [10, -91])), /latitude -91 out of range/],
    ['non-numeric coordinates', fc(point({ site_id: 'z' }, ['8', 47])), /coordinates must be \[longitude, latitude\] numbers/],
    ['site_id with /', fc(point({ site_id: 'plants/a' })), /feature 1: site_id "plants\/a" contains a path separator/],
    ['site_id with ..', fc(point({ site_id: '..' })), /site_id "\.\." contains '\.\.'/],
    ['site_id hidden in ..', fc(point({ site_id: 'a..b' })), /contains '\.\.'/],
    ['missing site_id', fc(point({ name: 'x' })), /feature 1: missing 'site_id'/],
    ['duplicate site_id', fc(point({ site_id: 'd' }), point({ site_id: 'd' })), /feature 2 \(site_id 'd'\): duplicate site_id/],
    ['negative capacity', fc(point({ site_id: 'c', capacity_mw: -5 })), /capacity_mw must be a non-negative number/],
    ['projected crs member', JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:32632' } }, features: [point({ site_id: 'a' })] }), /must be WGS 84/],
  ];
  for (const [name, text, re] of bad) {
    it(`rejects ${name}`, () => {
      expect(() => parseSites(text, 'sites.geojson')).toThrow(InputError);
      expect(() => parseSites(text, 'sites.geojson')).toThrow(re);
    });
  }

  it('siteIdProblem allows ordinary ids and refuses path tricks', () => {
    expect(siteIdProblem('S2-19UDP-01')).toBeNull();
    expect(siteIdProblem('Kraftwerk Niederaußem Block K')).toBeNull();
    for (const id of ['', 'a/b', 'a\\b', '..', '../x', '.hidden', 'tab\there']) expect(siteIdProblem(id)).not.toBeNull();
  });
});

describe('loadSites', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-sites-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('names a missing file', async () => {
    await expect(loadSites(path.join(dir, 'nope.geojson'))).rejects.toThrow(/nope\.geojson: cannot read sites file: ENOENT/);
  });
  it('reads a file', async () => {
    const f = path.join(dir, 's.geojson');
    writeFileSync(f, fc(point({ site_id: 'one' })));
    expect((await loadSites(f)).map((s) => s.site_id)).toEqual(['one']);
  });
});

describe('formatSitesGeoJson', () => {
  it('writes what parseSites reads back, coordinates to 7 decimals, unknown properties left out', () => {
    const sites: Site[] = [
      { site_id: 'lippendorf', lon: 12.37123456789, lat: 51.17876543, name: 'Lippendorf', fuel: 'lignite', technology: 'cooling_tower', capacity_mw: 1840 },
      { site_id: 'ghost', lon: -179.99999999, lat: -89.5, name: null, fuel: null, technology: null, capacity_mw: null },
      { site_id: 'Bełchatów "B"', lon: 19.3263, lat: 51.2655, name: 'Bełchatów', fuel: 'coal', technology: null, capacity_mw: 5102.5 },
    ];
    const text = formatSitesGeoJson(sites);
    const back = parseSites(text, 'out.geojson');
    expect(back.map((s) => s.site_id)).toEqual(sites.map((s) => s.site_id));
    expect(back[0]).toEqual({ ...sites[0], lon: 12.3712346, lat: 51.1787654 });
    expect(back[1]).toEqual({ ...sites[1], lon: -180, lat: -89.5 });
    expect(back[2]).toEqual(sites[2]);
    const ghost = (JSON.parse(text) as { features: { properties: Record<string, unknown> }[] }).features[1];
    expect(ghost?.properties).toEqual({ site_id: 'ghost' });
  });
});

describe('toModelSites', () => {
  const sites = parseSites(
    fc(point({ site_id: 'a', fuel: 'coal', capacity_mw: 300 }), point({ site_id: 'b', fuel: 'gas', capacity_mw: 41.5, name: 'Bee' }, [3, 4])),
    's.geojson',
  );
  it('keeps every field of a site with a known fuel and a positive capacity', () => {
    expect(toModelSites(sites, 's.geojson')).toEqual(sites);
  });
  it('names the file and the site for an unknown fuel or a missing capacity', () => {
    const peat = parseSites(fc(point({ site_id: 'p', fuel: 'peat', capacity_mw: 50 })), 's.geojson');
    expect(() => toModelSites(peat, 's.geojson')).toThrow("s.geojson: site_id 'p': unknown fuel 'peat' (expected lignite|coal|gas|oil)");
    const noCap = parseSites(fc(point({ site_id: 'q', fuel: 'oil' })), 's.geojson');
    expect(() => toModelSites(noCap, 's.geojson')).toThrow("s.geojson: site_id 'q': capacity_mw must be a positive number");
  });
});
