/**
 * Plumes measured on the written pixels, not on the generator's state: read the B03
 * GeoTIFFs back with co2sat's own reader, place each site from sites.geojson (WGS84, as the
 * tiling stage does), take the wind from weather.csv, and compare brightness in a downwind
 * sector with an upwind sector around the stack, on clear dates, across several seeds.
 * A running plant must brighten its downwind sector; an off plant must not. The worlds use a
 * test fleet of tower and wet-stack plants (test/fixtures/fleets/visible.json): a realistic
 * fleet's plants mostly show little plume, which is what this test must not be about.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPatch } from '../../src/geo/readPatch.js';
import { parseWeatherCsv } from '../../src/records/weather.js';
import { bandFile, makeWorld, type TestWorld } from './helpers.js';
import { REPO_ROOT } from '../helpers/oracle.js';

interface Measured {
  site: string;
  datetime: string;
  active: boolean;
  plumeOpacity: number;
  /** Mean reflectance downwind minus upwind, 80–400 m from the stack, ±30° sectors. */
  contrast: number;
  /** The same with the sectors turned 90° (crosswind), as a control. */
  crossContrast: number;
}

const SEEDS = [21, 22, 23];
const VISIBLE_FLEET = path.join(REPO_ROOT, 'test/fixtures/fleets/visible.json');
const UTM32 = '+proj=utm +zone=32 +datum=WGS84 +units=m +no_defs';

async function measure(w: TestWorld): Promise<Measured[]> {
  const sites = JSON.parse(readFileSync(path.join(w.dir, 'sites.geojson'), 'utf8')) as {
    features: { geometry: { coordinates: [number, number] }; properties: { site_id: string } }[];
  };
  const where = new Map(sites.features.map((f) => [f.properties.site_id, proj4('EPSG:4326', UTM32, f.geometry.coordinates) as [number, number]]));
  const weather = new Map(parseWeatherCsv(readFileSync(path.join(w.dir, 'weather.csv'), 'utf8'), 'weather.csv').map((r) => [`${r.site_id}@${r.datetime}`, r]));
  const out: Measured[] = [];
  const cache = new Map<string, Awaited<ReturnType<typeof readPatch>>>();
  for (const s of w.truth.samples) {
    // Clear, fully imaged patches only: the question is plume vs no plume, not clouds.
    if (s.valid_fraction < 1 || s.cloud_fraction_patch > 0 || s.cloud_over_plant > 0) continue;
    const file = bandFile(w.dir, s.datetime, 'B03');
    let img = cache.get(file);
    if (!img) {
      img = await readPatch(file);
      cache.set(file, img);
    }
    const [x, y] = where.get(s.site_id)!;
    const gt = img.geoTransform;
    const c0 = Math.floor((x - gt[0]) / gt[1]);
    const r0 = Math.floor((y - gt[3]) / gt[5]);
    const wx = weather.get(`${s.site_id}@${s.datetime}`)!;
    // synth writes every weather cell; a blank would be a generator bug.
    const [wu, wv] = [wx.wind_u!, wx.wind_v!];
    const speed = Math.hypot(wu, wv);
    if (speed < 1) continue;
    const [ux, uy] = [wu / speed, wv / speed];
    const sector = (ax: number, ay: number) => {
      let sum = 0;
      let n = 0;
      for (let r = r0 - 40; r <= r0 + 40; r++) {
        for (let c = c0 - 40; c <= c0 + 40; c++) {
          const dx = (c - c0) * gt[1];
          const dy = (r - r0) * gt[5]; // gt[5] < 0: rows grow southward, so this is northing
          const d = Math.hypot(dx, dy);
          if (d < 80 || d > 400) continue;
          if ((dx * ax + dy * ay) / d < Math.cos(Math.PI / 6)) continue;
          const v = img.bands[0]![r * img.width + c]!;
          if (v === 0) continue;
          sum += (v - 1000) / 10000;
          n++;
        }
      }
      return sum / n;
    };
    out.push({
      site: `${w.summary.seed}/${s.site_id}`,
      datetime: s.datetime,
      active: s.active,
      plumeOpacity: s.plume_opacity,
      contrast: sector(ux, uy) - sector(-ux, -uy),
      crossContrast: sector(-uy, ux) - sector(uy, -ux),
    });
  }
  return out;
}

describe('synth plumes on the written pixels', () => {
  const worlds: TestWorld[] = [];
  let samples: Measured[] = [];
  beforeAll(async () => {
    // 36 dates (January to June): under central Europe's clouds about one patch in four is clear.
    for (const seed of SEEDS) worlds.push(await makeWorld({ sites: 3, dates: 36, size: 256, seed, missing: 0, fleet: VISIBLE_FLEET }));
    for (const w of worlds) samples.push(...(await measure(w)));
  }, 180_000);
  afterAll(() => worlds.forEach((w) => w.cleanup()));

  /** Each site's own off-date contrast: buildings and fields around a stack are not symmetric. */
  function excess(): { on: Measured[]; off: Measured[]; ref: Map<string, number> } {
    const ref = new Map<string, number>();
    const bySite = new Map<string, number[]>();
    for (const s of samples.filter((m) => !m.active)) bySite.set(s.site, [...(bySite.get(s.site) ?? []), s.contrast]);
    for (const [site, list] of bySite) ref.set(site, list.sort((a, b) => a - b)[list.length >> 1]!);
    const usable = samples.filter((s) => ref.has(s.site));
    return { on: usable.filter((s) => s.active), off: usable.filter((s) => !s.active), ref };
  }

  it('measures enough clear on- and off-dates to judge', () => {
    const { on, off } = excess();
    expect(on.length).toBeGreaterThanOrEqual(10);
    expect(off.length).toBeGreaterThanOrEqual(5);
  });

  it('brightens the downwind sector of running plants, not of idle ones', () => {
    const { on, off, ref } = excess();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const onExcess = on.map((s) => s.contrast - ref.get(s.site)!);
    const offExcess = off.map((s) => s.contrast - ref.get(s.site)!);
    expect(mean(onExcess)).toBeGreaterThan(0.03);
    expect(Math.abs(mean(offExcess))).toBeLessThan(0.01);
    // Dense plumes show on every single date.
    const dense = on.filter((s) => s.plumeOpacity >= 0.2);
    expect(dense.length).toBeGreaterThan(5);
    for (const s of dense) expect(s.contrast - ref.get(s.site)!, `${s.site} ${s.datetime}`).toBeGreaterThan(0.01);
  });

  it('points the plume downwind: along-wind contrast beats crosswind contrast', () => {
    const on = samples.filter((s) => s.active && s.plumeOpacity >= 0.2);
    const along = on.filter((s) => Math.abs(s.contrast) > Math.abs(s.crossContrast)).length;
    expect(along / on.length).toBeGreaterThan(0.8);
  });
});
