import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderSitesMap } from '../../src/postprocess/renderSitesMap.js';

function decode(buf: Buffer) {
  const png = PNG.sync.read(buf);
  const at = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
  return { png, at };
}

describe('renderSitesMap', () => {
  const sites = [
    { lon: 0, lat: 0, co2_t_per_h: 1600, fuel: 'lignite' },
    { lon: 1, lat: 1, co2_t_per_h: 400, fuel: 'gas' },
    { lon: 1, lat: 0, co2_t_per_h: null, fuel: 'coal' },
  ];
  it('draws discs whose area follows CO2, coloured by fuel, and rings for sites without an estimate', () => {
    const { png, at } = decode(renderSitesMap(sites, { width: 400, height: 300, maxRadiusPx: 40, legend: false }));
    expect([png.width, png.height]).toEqual([400, 300]);
    // Count pixels of each disc's colour: area ratio ≈ CO2 ratio (4), i.e. radius ratio 2.
    const count = (pred: (c: number[]) => boolean) => {
      let n = 0;
      for (let y = 0; y < 300; y++) for (let x = 0; x < 400; x++) if (pred(at(x, y))) n++;
      return n;
    };
    const lignite = count(([r, g, b]) => r! > g! + 40 && g! > b! + 20); // brown
    const gas = count(([r, , b]) => b! > r! + 60); // blue
    expect(lignite / gas).toBeGreaterThan(3.2);
    expect(lignite / gas).toBeLessThan(4.8);
    // The site without an estimate is a ring: its centre shows the background.
    const bg = at(1, 1);
    const mapW = 400 - 2 * 50;
    const mapH = 300 - 2 * 50;
    const scale = Math.min(mapW / 1, mapH / 1);
    const cx = Math.round((400 - scale) / 2 + scale);
    const cy = Math.round(300 - (300 - scale) / 2);
    expect(at(cx, cy)).not.toEqual([160, 160, 160]);
    expect(Math.abs(at(cx, cy)[0]! - bg[0]!)).toBeLessThan(30);
  });
  it('draws a title and a legend panel with the built-in font', () => {
    const plain = decode(renderSitesMap(sites, { legend: false }));
    const full = decode(renderSitesMap(sites, { title: 'co2sat: CO2 t/h, 30d window' }));
    const dark = (d: ReturnType<typeof decode>, x0: number, x1: number, y0: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (d.at(x, y).every((v) => v < 80)) n++;
      return n;
    };
    expect(dark(plain, 0, 800, 0, 24)).toBe(0);
    expect(dark(full, 0, 800, 0, 24)).toBeGreaterThan(200); // the title's ink
    expect(dark(full, 650, 800, 30, 120)).toBeGreaterThan(100); // legend labels
  });
  it('renders an empty map for no sites and is deterministic', () => {
    expect(decode(renderSitesMap([])).png.width).toBe(800);
    expect(renderSitesMap(sites).equals(renderSitesMap(sites))).toBe(true);
  });
});
