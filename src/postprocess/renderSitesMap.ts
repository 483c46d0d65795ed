/**
 * A picture of a run: sites on a plain map, each a disc whose AREA is proportional to its
 * CO₂ emission rate (t/h), coloured by fuel; sites without an estimate are grey rings. A
 * title line and a legend (fuel colours, the largest disc's value) are drawn with a small
 * built-in bitmap font. An equirectangular projection scaled by cos(mean latitude) keeps
 * shapes right over the small areas a run covers. PNG via pngjs, no other dependencies.
 */
import { PNG } from 'pngjs';
import { drawText, textWidth } from './bitmapFont.js';

export interface MapSite {
  lon: number;
  lat: number;
  co2_t_per_h: number | null;
  fuel: string | null;
}

export interface MapOptions {
  /** Image width in pixels (default 800). */
  width?: number;
  /** Image height in pixels (default 600). */
  height?: number;
  /** Radius in pixels of the largest emitter's disc (default 40). */
  maxRadiusPx?: number;
  /** A title line at the top (e.g. the window), upper-cased; none by default. */
  title?: string;
  /** Draw the legend (default true). */
  legend?: boolean;
}

type RGB = readonly [number, number, number];
const FUEL_COLOURS: Record<string, RGB> = {
  lignite: [140, 81, 10],
  coal: [60, 60, 60],
  gas: [33, 113, 181],
  oil: [203, 24, 29],
};
const OTHER: RGB = [117, 107, 177];
const BACKGROUND: RGB = [246, 244, 238];
const GRID: RGB = [222, 218, 208];
const NO_DATA: RGB = [160, 160, 160];

/**
 * @param sites the sites with their window's CO₂ rate (nulls drawn as rings)
 * @returns PNG bytes
 * @example writeFileSync('map.png', renderSitesMap([{ lon: 8, lat: 47, co2_t_per_h: 900, fuel: 'coal' }]))
 */
export function renderSitesMap(sites: readonly MapSite[], options: MapOptions = {}): Buffer {
  const width = options.width ?? 800;
  const height = options.height ?? 600;
  const maxR = options.maxRadiusPx ?? 40;
  const png = new PNG({ width, height });
  const put = (x: number, y: number, c: RGB, alpha = 1) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 4;
    for (let k = 0; k < 3; k++) png.data[i + k] = Math.round(png.data[i + k]! * (1 - alpha) + c[k]! * alpha);
    png.data[i + 3] = 255;
  };
  for (let i = 0; i < width * height * 4; i += 4) {
    png.data[i] = BACKGROUND[0];
    png.data[i + 1] = BACKGROUND[1];
    png.data[i + 2] = BACKGROUND[2];
    png.data[i + 3] = 255;
  }

  const finite = sites.filter((s) => Number.isFinite(s.lon) && Number.isFinite(s.lat));
  if (finite.length === 0) return PNG.sync.write(png);
  const lats = finite.map((s) => s.lat);
  const lons = finite.map((s) => s.lon);
  const kx = Math.cos((((Math.min(...lats) + Math.max(...lats)) / 2) * Math.PI) / 180);
  const pad = maxR + 10;
  const top = options.title ? 30 : 0;
  const legendW = options.legend === false ? 0 : 150;
  const spanX = Math.max(1e-6, (Math.max(...lons) - Math.min(...lons)) * kx);
  const spanY = Math.max(1e-6, Math.max(...lats) - Math.min(...lats));
  const scale = Math.min((width - legendW - 2 * pad) / spanX, (height - top - 2 * pad) / spanY);
  const cx = (width - legendW - spanX * scale) / 2;
  const cy = (height - top - spanY * scale) / 2;
  const lon0 = Math.min(...lons);
  const lat0 = Math.min(...lats);
  const project = (s: MapSite): [number, number] => [cx + (s.lon - lon0) * kx * scale, height - (cy + (s.lat - lat0) * scale)];

  // A graticule every 10 % of the image, so the picture reads as a map.
  for (let g = 0; g <= 10; g++) {
    const gx = Math.round((g * (width - 1)) / 10);
    const gy = Math.round((g * (height - 1)) / 10);
    for (let y = 0; y < height; y++) put(gx, y, GRID);
    for (let x = 0; x < width; x++) put(x, gy, GRID);
  }

  const maxCo2 = Math.max(0, ...finite.map((s) => s.co2_t_per_h ?? 0));
  // Draw big discs first so small ones stay visible on top.
  const order = [...finite].sort((a, b) => (b.co2_t_per_h ?? -1) - (a.co2_t_per_h ?? -1));
  for (const s of order) {
    const [px, py] = project(s);
    const known = s.co2_t_per_h !== null && Number.isFinite(s.co2_t_per_h);
    const r = known && maxCo2 > 0 ? Math.max(2, maxR * Math.sqrt(Math.max(0, s.co2_t_per_h!) / maxCo2)) : 6;
    const colour = known ? (FUEL_COLOURS[s.fuel ?? ''] ?? OTHER) : NO_DATA;
    for (let y = Math.floor(py - r - 1); y <= Math.ceil(py + r + 1); y++) {
      for (let x = Math.floor(px - r - 1); x <= Math.ceil(px + r + 1); x++) {
        const d = Math.hypot(x - px, y - py);
        if (known) {
          if (d <= r) put(x, y, colour, 0.75);
          else if (d <= r + 1) put(x, y, [30, 30, 30], 0.9);
        } else if (Math.abs(d - r) <= 1) put(x, y, colour);
      }
    }
  }
  const ink: RGB = [40, 40, 40];
  if (options.title) drawText(options.title, 10, 8, (x, y) => put(x, y, ink), 2);
  if (options.legend !== false) {
    const lx = width - legendW + 10;
    let ly = top + 16;
    for (let y = top; y < height; y++) for (let x = width - legendW; x < width; x++) put(x, y, [255, 255, 255], 0.85);
    const disc = (x0: number, y0: number, r: number, c: RGB, ring = false) => {
      for (let y = y0 - r - 1; y <= y0 + r + 1; y++) {
        for (let x = x0 - r - 1; x <= x0 + r + 1; x++) {
          const d = Math.hypot(x - x0, y - y0);
          if (ring ? Math.abs(d - r) <= 1 : d <= r) put(x, y, c, ring ? 1 : 0.75);
        }
      }
    };
    drawText('FUEL', lx, ly, (x, y) => put(x, y, ink), 2);
    ly += 24;
    for (const [label, c] of [...Object.entries(FUEL_COLOURS), ['other', OTHER] as const]) {
      disc(lx + 7, ly + 6, 6, c);
      drawText(label, lx + 20, ly + 3, (x, y) => put(x, y, ink), 1);
      ly += 18;
    }
    disc(lx + 7, ly + 6, 6, NO_DATA, true);
    drawText('no estimate', lx + 20, ly + 3, (x, y) => put(x, y, ink), 1);
    ly += 30;
    if (maxCo2 > 0) {
      drawText('CO2 T/H', lx, ly, (x, y) => put(x, y, ink), 2);
      ly += 24 + maxR;
      const rk = Math.min(maxR, (legendW - 20) / 2);
      disc(lx + rk, ly, rk, [150, 150, 150]);
      const label = `${Math.round(maxCo2 * (rk / maxR) ** 2)}`;
      drawText(label, lx + rk - textWidth(label, 1) / 2, ly - 3, (x, y) => put(x, y, ink), 1);
    }
  }
  return PNG.sync.write(png);
}
