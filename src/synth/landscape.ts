/**
 * The ground under the scenes: a land-cover code and a brightness texture for every map
 * position, constant over time (the season enters only through each code's spectrum, see
 * `surfaceTable`). Farmland comes as parcels on a slightly rotated grid with a crop type
 * each; forest, towns and lakes as thresholded smooth fields; one river meanders across the
 * tile; each plant gets its buildings, a coal yard for solid fuels, and its towers or stacks.
 */
import { CoarseField, fbm, pixelHash, valueNoise } from './noise.js';
import { hashInts, hashString, stream } from './rng.js';
import type { SceneGrid } from './grid.js';
import type { Plant } from './plants.js';
import type { ParcelType } from './spectra.js';

/** Land-cover codes of the generator (not SCL codes; see `sclForCover`). */
export const Cover = {
  water: 0,
  summerCrop: 1,
  winterCereal: 2,
  grassland: 3,
  forest: 4,
  fallow: 5,
  urban: 6,
  buildings: 7,
  coalYard: 8,
  towerRing: 9,
  towerCore: 10,
} as const;
export const COVER_COUNT = 11;

export const PARCEL_TYPES: readonly ParcelType[] = ['summerCrop', 'winterCereal', 'grassland', 'forest', 'fallow'];

export interface Landscape {
  readonly grid: SceneGrid;
  /** Fills `cover` and `texture` for one row of a grid of `res` metres. */
  row(res: number, row: number, cover: Uint8Array, texture: Float32Array): void;
}

interface PlantFootprint {
  plant: Plant;
  cos: number;
  sin: number;
  /** Building block half-sizes along and across the layout axis, and its centre offset. */
  halfAlong: number;
  halfAcross: number;
  centreAlong: number;
  yard: boolean;
  radius: number;
}

/** Builds the landscape of a world (smooth fields are cached on a 60 m grid). */
export function createLandscape(seed: number, grid: SceneGrid, plants: readonly Plant[]): Landscape {
  const extent = grid.size * 10;
  const key = (name: string) => hashInts(seed, hashString(name));
  const field = (name: string, scale: number) => {
    const k = key(name);
    return new CoarseField(grid.originX, grid.originY, 60, extent, extent, (x, y) => fbm(k, x, y, scale, 4));
  };
  const forest = field('forest', Math.min(4000, extent / 1.5));
  const urban = field('urban', Math.min(3000, extent / 2));
  const lakes = field('lakes', Math.min(2500, extent / 2));
  const forestT = forest.quantile(0.78);
  const urbanT = urban.quantile(0.94);
  const lakeT = lakes.quantile(0.03);
  const rr = stream(seed, 'river');
  const riverY = grid.originY - extent * rr.uniform(0.2, 0.8);
  const riverAmp = Math.min(1500, extent * 0.12);
  const riverWave = Math.min(9000, extent * 0.7) * rr.uniform(0.8, 1.3);
  const riverHalfWidth = rr.uniform(25, 60);
  const riverKey = key('river-meander');
  const angle = stream(seed, 'parcel-grid').uniform(-0.4, 0.4);
  const pc = Math.cos(angle);
  const ps = Math.sin(angle);
  const parcelKey = key('parcels');
  const textureKey = key('texture');
  const footprints: PlantFootprint[] = plants.map((p) => {
    const last = p.sources[p.sources.length - 1]!;
    const span = Math.hypot(last.dx, last.dy);
    const halfAlong = span / 2 + 170;
    return {
      plant: p,
      cos: Math.cos(p.layoutAngle),
      sin: Math.sin(p.layoutAngle),
      halfAlong,
      halfAcross: 150,
      centreAlong: span / 2,
      yard: p.fuel === 'coal' || p.fuel === 'lignite',
      radius: halfAlong + 500,
    };
  });

  function plantCover(f: PlantFootprint, x: number, y: number): number {
    const p = f.plant;
    const isTower = p.technology === 'natural_draught';
    for (const s of p.sources) {
      const d = Math.hypot(x - p.x - s.dx, y - p.y - s.dy);
      if (isTower) {
        if (d < 28) return Cover.towerCore;
        if (d < 50) return Cover.towerRing;
      } else if (d < 12) return Cover.towerRing;
    }
    const dx = x - p.x;
    const dy = y - p.y;
    const along = dx * f.cos + dy * f.sin - f.centreAlong;
    const across = -dx * f.sin + dy * f.cos;
    if (Math.abs(along) <= f.halfAlong && across >= -f.halfAcross && across <= f.halfAcross) {
      return Cover.buildings;
    }
    if (f.yard && Math.abs(along) <= f.halfAlong && across < -f.halfAcross && across > -f.halfAcross - 220) return Cover.coalYard;
    return -1;
  }

  const fineTexture = new CoarseField(grid.originX, grid.originY, 30, extent, extent, (x, y) => fbm(textureKey, x, y, 120, 2));
  /** River centre line per column, by resolution: it depends on x only. */
  const riverRows = new Map<number, Float64Array>();
  function riverCentres(res: number, n: number): Float64Array {
    let r = riverRows.get(res);
    if (!r) {
      r = new Float64Array(n);
      for (let c = 0; c < n; c++) {
        const x = grid.originX + (c + 0.5) * res;
        r[c] = riverY + riverAmp * Math.sin((2 * Math.PI * (x - grid.originX)) / riverWave) + 0.3 * riverAmp * (valueNoise(riverKey, x / 3000, 0) - 0.5);
      }
      riverRows.set(res, r);
    }
    return r;
  }

  /** Parcel id hash (no allocation: this runs for every pixel of every 10 m row). */
  function parcelHash(iu: number, iw: number, salt: number): number {
    let h = Math.imul(iu ^ parcelKey, 0x27d4eb2d) ^ Math.imul(iw + salt, 0x165667b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    h = Math.imul(h, 0x297a2d39);
    h ^= h >>> 15;
    return (h >>> 0) / 4294967296;
  }

  function groundCover(x: number, y: number, riverCentre: number): number {
    if (Math.abs(y - riverCentre) < riverHalfWidth) return Cover.water;
    if (lakes.at(x, y) < lakeT) return Cover.water;
    if (urban.at(x, y) > urbanT) return Cover.urban;
    if (forest.at(x, y) > forestT) return Cover.forest;
    const u = x * pc + y * ps;
    const w = -x * ps + y * pc;
    const iu = Math.floor(u / 260);
    const iw = Math.floor(w / 380 + parcelHash(iu, 0, 0x51ed27));
    const r = parcelHash(iu, iw, 0);
    return r < 0.34 ? Cover.summerCrop : r < 0.66 ? Cover.winterCereal : r < 0.86 ? Cover.grassland : r < 0.93 ? Cover.forest : Cover.fallow;
  }

  function textureAt(x: number, y: number, cover: number, res: number): number {
    const u = x * pc + y * ps;
    const w = -x * ps + y * pc;
    const parcel = parcelHash(Math.floor(u / 260), Math.floor(w / 380), 7) - 0.5;
    const fine = fineTexture.at(x, y) - 0.5;
    const grain = cover === Cover.urban || cover === Cover.buildings ? (pixelHash(textureKey, Math.floor(x / 20), Math.floor(y / 20)) - 0.5) * (res <= 20 ? 0.5 : 0.2) : 0;
    return 1 + 0.16 * parcel + 0.22 * fine + grain;
  }

  return {
    grid,
    row(res, row, cover, texture) {
      const y = grid.originY - (row + 0.5) * res;
      const river = riverCentres(res, cover.length);
      const near = footprints.filter((f) => Math.abs(y - f.plant.y) < f.radius);
      for (let c = 0; c < cover.length; c++) {
        const x = grid.originX + (c + 0.5) * res;
        let code = -1;
        for (const f of near) {
          if (Math.abs(x - f.plant.x) < f.radius) {
            code = plantCover(f, x, y);
            if (code >= 0) break;
          }
        }
        if (code < 0) code = groundCover(x, y, river[c]!);
        cover[c] = code;
        texture[c] = textureAt(x, y, code, res);
      }
    },
  };
}
