/**
 * A picture of a run for the README and terminals: sites on a map with Natural Earth land,
 * coastlines and borders (the `world-atlas` package), a labelled latitude/longitude graticule,
 * each site a disc whose AREA is proportional to its CO₂ rate (t/h), coloured by fuel (grey
 * rings where there is no estimate), a title and a legend with fuel colours and three disc
 * sizes. Drawn as SVG with real text and rendered to PNG by resvg (`@resvg/resvg-js`) with
 * the DejaVu Sans font shipped as a dependency, so the picture is the same on every machine,
 * fonts installed or not. An equirectangular projection scaled by cos(mean latitude) keeps
 * shapes right over the areas a run covers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import type { Topology } from 'topojson-specification';
import { feature, mesh } from 'topojson-client';
import type { Geometry, MultiLineString, Position } from 'geojson';

export interface MapSite {
  lon: number;
  lat: number;
  co2_t_per_h: number | null;
  fuel: string | null;
}

export interface MapOptions {
  /** Image width in pixels (default 900). */
  width?: number;
  /** Image height in pixels (default 600). */
  height?: number;
  /** Radius in pixels of the largest emitter's disc (default 36). */
  maxRadiusPx?: number;
  /** A title line at the top (e.g. the window); none by default. */
  title?: string;
  /** Draw the legend (default true). */
  legend?: boolean;
}

export const FUEL_COLOURS: Readonly<Record<string, string>> = { lignite: '#8c510a', coal: '#3c3c3c', gas: '#2171b5', oil: '#cb181d' };
const OTHER = '#756bb1';
const NO_DATA = '#a0a0a0';
const SEA = '#dbe9f4';
const LAND = '#f4f1e8';
const require = createRequire(import.meta.url);

let fontFile: string | null = null;
const topologies = new Map<string, Topology>();

function topology(resolution: '50m' | '110m'): Topology {
  const known = topologies.get(resolution);
  if (known) return known;
  const t = JSON.parse(readFileSync(require.resolve(`world-atlas/countries-${resolution}.json`), 'utf8')) as Topology;
  topologies.set(resolution, t);
  return t;
}

/**
 * The map's extent: the sites plus a margin for their discs, at least 0.05° (~5 km) of
 * latitude so a single plant still shows its surroundings, in the image's shape.
 */
interface View {
  lon0: number;
  lat0: number;
  lon1: number;
  lat1: number;
  kx: number;
  scale: number;
  ox: number;
  oy: number;
  w: number;
  h: number;
}

function viewFor(sites: readonly MapSite[], x: number, y: number, w: number, h: number, marginPx: number): View {
  const lats = sites.map((s) => s.lat);
  const lons = sites.map((s) => s.lon);
  const latMid = sites.length > 0 ? (Math.min(...lats) + Math.max(...lats)) / 2 : 0;
  const lonMid = sites.length > 0 ? (Math.min(...lons) + Math.max(...lons)) / 2 : 0;
  const kx = Math.max(0.05, Math.cos((latMid * Math.PI) / 180));
  const spanLat = Math.max(0.05, sites.length > 0 ? Math.max(...lats) - Math.min(...lats) : 180);
  const spanLon = Math.max(0.05 / kx, sites.length > 0 ? Math.max(...lons) - Math.min(...lons) : 360);
  const scale = Math.min((w - 2 * marginPx) / (spanLon * kx), (h - 2 * marginPx) / spanLat);
  const halfLon = w / 2 / (scale * kx);
  const halfLat = h / 2 / scale;
  return { lon0: lonMid - halfLon, lon1: lonMid + halfLon, lat0: latMid - halfLat, lat1: latMid + halfLat, kx, scale, ox: x, oy: y, w, h };
}

const px = (v: View, lon: number, lat: number): [number, number] => [v.ox + (lon - v.lon0) * v.kx * v.scale, v.oy + (v.lat1 - lat) * v.scale];
const f1 = (n: number) => (Math.round(n * 10) / 10).toString();

function ringPath(v: View, ring: readonly Position[]): string {
  let d = '';
  ring.forEach((p, i) => {
    const [x, y] = px(v, p[0] ?? 0, p[1] ?? 0);
    d += `${i === 0 ? 'M' : 'L'}${f1(x)} ${f1(y)}`;
  });
  return d;
}

function geometryPath(v: View, g: Geometry | null): string {
  if (!g) return '';
  if (g.type === 'Polygon') return g.coordinates.map((r) => `${ringPath(v, r)}Z`).join('');
  if (g.type === 'MultiPolygon') return g.coordinates.map((poly) => poly.map((r) => `${ringPath(v, r)}Z`).join('')).join('');
  if (g.type === 'MultiLineString') return g.coordinates.map((l) => ringPath(v, l)).join('');
  if (g.type === 'LineString') return ringPath(v, g.coordinates);
  if (g.type === 'GeometryCollection') return g.geometries.map((x) => geometryPath(v, x)).join('');
  return '';
}

/** A round graticule step giving 3–8 lines across `span` degrees. */
function gridStep(span: number): number {
  for (const s of [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 45]) if (span / s <= 8) return s;
  return 90;
}

const degree = (v: number, step: number, pos: string, neg: string) => `${Math.abs(v).toFixed(Math.max(0, -Math.floor(Math.log10(step) + 1e-9)))}°${v >= 0 ? pos : neg}`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Legend disc values: the largest 1, 2 or 5 × 10ⁿ not above the maximum, and two smaller. */
function legendValues(max: number): number[] {
  const niceFloor = (v: number) => {
    const p = 10 ** Math.floor(Math.log10(v));
    return ([5, 2, 1].find((m) => m * p <= v) ?? 1) * p;
  };
  return [...new Set([niceFloor(max), niceFloor(max / 4), niceFloor(max / 16)])];
}

/** The map as an SVG document. */
export function sitesMapSvg(sites: readonly MapSite[], options: MapOptions = {}): string {
  const width = options.width ?? 900;
  const height = options.height ?? 600;
  const maxR = options.maxRadiusPx ?? 36;
  const legendW = options.legend === false ? 0 : 180;
  const top = options.title ? 34 : 8;
  const finite = sites.filter((s) => Number.isFinite(s.lon) && Number.isFinite(s.lat));
  const mapX = 66; // room for latitude labels such as 51.44°N
  const mapW = width - legendW - mapX - 12;
  const mapH = height - top - 30;
  const v = viewFor(finite, mapX, top, mapW, mapH, maxR + 8);
  const spanLat = v.lat1 - v.lat0;
  const topo = topology(spanLat > 30 ? '110m' : '50m');
  const countries = topo.objects.countries;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<defs><clipPath id="map"><rect x="${mapX}" y="${top}" width="${mapW}" height="${mapH}"/></clipPath></defs>`);
  parts.push(`<g clip-path="url(#map)"><rect x="${mapX}" y="${top}" width="${mapW}" height="${mapH}" fill="${SEA}"/>`);
  if (countries) {
    const fc = feature(topo, countries as Parameters<typeof feature>[1]);
    const geoms = 'features' in fc ? fc.features.map((f) => f.geometry) : [fc.geometry];
    parts.push(`<path d="${geoms.map((g) => geometryPath(v, g)).join('')}" fill="${LAND}" stroke="#6f8fa8" stroke-width="0.7"/>`);
    const borders: MultiLineString = mesh(topo, countries as Parameters<typeof mesh>[1], (a, b) => a !== b);
    parts.push(`<path d="${geometryPath(v, borders)}" fill="none" stroke="#b0a89a" stroke-width="0.6" stroke-dasharray="3 2"/>`);
  }
  // Graticule with degree labels outside the frame.
  const labels: string[] = [];
  const stepLat = gridStep(spanLat);
  const stepLon = gridStep(v.lon1 - v.lon0);
  for (let k = Math.ceil(v.lat0 / stepLat); k * stepLat <= v.lat1; k++) {
    const lat = k * stepLat;
    const [, y] = px(v, v.lon0, lat);
    parts.push(`<line x1="${mapX}" y1="${f1(y)}" x2="${mapX + mapW}" y2="${f1(y)}" stroke="#9aa7b3" stroke-width="0.5" stroke-opacity="0.7"/>`);
    labels.push(`<text x="${mapX - 4}" y="${f1(y + 4)}" font-size="11" text-anchor="end" fill="#444">${degree(lat, stepLat, 'N', 'S')}</text>`);
  }
  for (let k = Math.ceil(v.lon0 / stepLon); k * stepLon <= v.lon1; k++) {
    const lon = k * stepLon;
    const [x] = px(v, lon, v.lat0);
    parts.push(`<line x1="${f1(x)}" y1="${top}" x2="${f1(x)}" y2="${top + mapH}" stroke="#9aa7b3" stroke-width="0.5" stroke-opacity="0.7"/>`);
    labels.push(`<text x="${f1(x)}" y="${top + mapH + 15}" font-size="11" text-anchor="middle" fill="#444">${degree(lon, stepLon, 'E', 'W')}</text>`);
  }
  // Discs: area ∝ CO₂; big ones first so small ones stay visible on top.
  const maxCo2 = Math.max(0, ...finite.map((s) => s.co2_t_per_h ?? 0));
  const radius = (value: number) => Math.max(2, maxR * Math.sqrt(Math.max(0, value) / maxCo2));
  for (const s of [...finite].sort((a, b) => (b.co2_t_per_h ?? -1) - (a.co2_t_per_h ?? -1))) {
    const [x, y] = px(v, s.lon, s.lat);
    if (s.co2_t_per_h !== null && Number.isFinite(s.co2_t_per_h) && maxCo2 > 0) {
      parts.push(`<circle cx="${f1(x)}" cy="${f1(y)}" r="${f1(radius(s.co2_t_per_h))}" fill="${FUEL_COLOURS[s.fuel ?? ''] ?? OTHER}" fill-opacity="0.75" stroke="#ffffff" stroke-width="1"/>`);
    } else {
      parts.push(`<circle cx="${f1(x)}" cy="${f1(y)}" r="6" fill="none" stroke="${NO_DATA}" stroke-width="2"/>`);
    }
  }
  parts.push('</g>');
  parts.push(`<rect x="${mapX}" y="${top}" width="${mapW}" height="${mapH}" fill="none" stroke="#555" stroke-width="1"/>`);
  parts.push(...labels);
  if (options.title) parts.push(`<text x="${mapX}" y="22" font-size="16" font-weight="bold" fill="#222">${esc(options.title)}</text>`);
  if (options.legend !== false) {
    const lx = width - legendW + 8;
    let ly = top + 16;
    parts.push(`<text x="${lx}" y="${ly}" font-size="13" font-weight="bold" fill="#222">Fuel</text>`);
    ly += 8;
    for (const [label, colour] of [...Object.entries(FUEL_COLOURS), ['other', OTHER] as const]) {
      ly += 18;
      parts.push(`<circle cx="${lx + 7}" cy="${ly - 4}" r="6" fill="${colour}" fill-opacity="0.75"/><text x="${lx + 20}" y="${ly}" font-size="12" fill="#222">${label}</text>`);
    }
    ly += 18;
    parts.push(`<circle cx="${lx + 7}" cy="${ly - 4}" r="5" fill="none" stroke="${NO_DATA}" stroke-width="2"/><text x="${lx + 20}" y="${ly}" font-size="12" fill="#222">no estimate</text>`);
    if (maxCo2 > 0) {
      ly += 30;
      parts.push(`<text x="${lx}" y="${ly}" font-size="13" font-weight="bold" fill="#222">CO₂ (t/h)</text>`);
      const values = legendValues(maxCo2);
      const rMax = radius(values[0] ?? maxCo2);
      const base = ly + 12 + 2 * rMax;
      for (const value of values) {
        const r = radius(value);
        parts.push(`<circle cx="${lx + rMax}" cy="${f1(base - r)}" r="${f1(r)}" fill="none" stroke="#555" stroke-width="1"/>`);
        parts.push(`<line x1="${lx + rMax}" y1="${f1(base - 2 * r)}" x2="${lx + 2 * rMax + 10}" y2="${f1(base - 2 * r)}" stroke="#555" stroke-width="0.5"/>`);
        parts.push(`<text x="${lx + 2 * rMax + 12}" y="${f1(base - 2 * r + 4)}" font-size="11" fill="#222">${value}</text>`);
      }
    }
  }
  parts.push(`<text x="${width - 6}" y="${height - 6}" font-size="9" text-anchor="end" fill="#888">Natural Earth · co2sat</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * @param sites the sites with their window's CO₂ rate (nulls drawn as rings)
 * @returns PNG bytes
 * @example writeFileSync('map.png', renderSitesMap([{ lon: 8, lat: 47, co2_t_per_h: 900, fuel: 'coal' }]))
 */
export function renderSitesMap(sites: readonly MapSite[], options: MapOptions = {}): Buffer {
  fontFile ??= require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
  const bold = fontFile.replace('DejaVuSans.ttf', 'DejaVuSans-Bold.ttf');
  const resvg = new Resvg(sitesMapSvg(sites, options), { font: { fontFiles: [fontFile, bold], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } });
  return resvg.render().asPng();
}
