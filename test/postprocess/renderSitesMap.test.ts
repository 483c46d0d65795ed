/** The README/terminal map: Natural Earth land and sea, a labelled graticule, discs by CO₂, real text. */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderSitesMap, sitesMapSvg, type MapSite } from '../../src/postprocess/renderSitesMap.js';

function decode(buf: Buffer) {
  const png = PNG.sync.read(buf);
  const at = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
  const count = (x0: number, x1: number, y0: number, y1: number, pred: (c: number[]) => boolean) => {
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pred(at(x, y))) n++;
    return n;
  };
  return { png, at, count };
}

// Around the Rhine delta and the German lignite fields: the North Sea lies in the top left.
const SITES: MapSite[] = [
  { lon: 12.37, lat: 51.18, co2_t_per_h: 1600, fuel: 'lignite' },
  { lon: 9.97, lat: 53.53, co2_t_per_h: 400, fuel: 'gas' },
  { lon: 4.05, lat: 51.95, co2_t_per_h: 800, fuel: 'coal' },
  { lon: 14.46, lat: 51.42, co2_t_per_h: null, fuel: 'coal' },
];
const dark = (c: number[]) => c.every((v) => v < 90);

describe('renderSitesMap', () => {
  const png = renderSitesMap(SITES, { title: 'co2sat: CO₂ t/h, 2024-05' });
  const d = decode(png);

  it('draws sea where the North Sea is and land where Germany is', () => {
    expect([d.png.width, d.png.height]).toEqual([900, 600]);
    const sea = (c: number[]) => (c[2] ?? 0) > (c[0] ?? 0) + 15 && (c[2] ?? 0) > 200;
    const land = (c: number[]) => Math.abs((c[0] ?? 0) - 244) < 6 && Math.abs((c[2] ?? 0) - 232) < 6;
    expect(d.count(70, 170, 40, 80, sea)).toBeGreaterThan(2000); // top left of the frame: open sea
    expect(d.count(300, 500, 420, 520, land)).toBeGreaterThan(10000); // the south of the frame: land
    // Coastlines and borders are drawn: plenty of line pixels that are neither sea nor land.
    expect(d.count(66, 700, 34, 560, (c) => !sea(c) && !land(c))).toBeGreaterThan(3000);
  });

  it('discs have areas in proportion to CO₂ and the colour of their fuel', () => {
    const plain = decode(renderSitesMap(SITES, { legend: false, width: 600, height: 400 }));
    const brown = plain.count(0, 600, 0, 400, ([r = 0, g = 0, b = 0]) => r > g + 40 && g > b + 20);
    const blue = plain.count(0, 600, 0, 400, ([r = 0, , b = 0]) => b > r + 80);
    expect(brown / blue).toBeGreaterThan(3.3);
    expect(brown / blue).toBeLessThan(4.7);
  });

  it('writes the title, graticule labels and legend as text', () => {
    const svg = sitesMapSvg(SITES, { title: 'co2sat: CO₂ t/h, 2024-05' });
    for (const label of ['52°N', '53°N', '6°E', '12°E', 'lignite', 'no estimate', 'CO₂ (t/h)', '1000']) expect(svg).toContain(`>${label}<`);
    expect(d.count(40, 400, 4, 28, dark)).toBeGreaterThan(300); // the title's ink
    expect(d.count(0, 64, 40, 560, dark)).toBeGreaterThan(60); // latitude labels left of the frame
    expect(d.count(720, 900, 30, 300, dark)).toBeGreaterThan(300); // the legend
  });

  it('an empty run still draws a world map, and drawing is deterministic', () => {
    expect(decode(renderSitesMap([])).png.width).toBe(900);
    expect(renderSitesMap(SITES, { title: 'co2sat: CO₂ t/h, 2024-05' }).equals(png)).toBe(true);
  });
});
