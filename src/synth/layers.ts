/**
 * Per-pixel layers that every band of one resolution shares: the land cover and texture
 * (the same on every date) and, per scene, plume opacity, cloud opacity, shadow and cirrus
 * strength and the swath mask. Computing them once per resolution instead of once per band
 * is what makes rendering cheap; for small grids the layers are cached whole, for large
 * ones (10980²) they are computed row by row so memory stays bounded by one band.
 */
import type { Resolution } from './bands.js';
import { cirrusAt, cloudOpacity, outsideSwath, shadowAt } from './clouds.js';
import { gridSize, type SceneGrid } from './grid.js';
import type { Landscape } from './landscape.js';
import { plumeOpacity } from './plume.js';
import type { Scene } from './scene.js';

/** Above this many pixels a resolution's layers are computed row by row, not cached. */
export const CACHE_LIMIT_PIXELS = 4_000_000;

/** One row of layers; arrays are views, valid until the next `row` call. */
export interface LayerRow {
  cover: Uint8Array;
  texture: Float32Array;
  /** 1 where the swath reaches, 0 for nodata. */
  valid: Uint8Array;
  plume: Float32Array;
  cloud: Float32Array;
  shadow: Float32Array;
  cirrus: Float32Array;
}

function allocRow(n: number): LayerRow {
  return {
    cover: new Uint8Array(n),
    texture: new Float32Array(n),
    valid: new Uint8Array(n),
    plume: new Float32Array(n),
    cloud: new Float32Array(n),
    shadow: new Float32Array(n),
    cirrus: new Float32Array(n),
  };
}

function rowView(full: LayerRow, n: number, r: number): LayerRow {
  const a = r * n;
  const b = a + n;
  return {
    cover: full.cover.subarray(a, b),
    texture: full.texture.subarray(a, b),
    valid: full.valid.subarray(a, b),
    plume: full.plume.subarray(a, b),
    cloud: full.cloud.subarray(a, b),
    shadow: full.shadow.subarray(a, b),
    cirrus: full.cirrus.subarray(a, b),
  };
}

/** Land cover rows, cached per resolution for small grids (shared by all scenes). */
export class LandCache {
  private readonly cache = new Map<number, { cover: Uint8Array; texture: Float32Array }>();

  constructor(readonly landscape: Landscape) {}

  fill(res: Resolution, n: number, row: number, cover: Uint8Array, texture: Float32Array): void {
    if (n * n > CACHE_LIMIT_PIXELS) {
      this.landscape.row(res, row, cover, texture);
      return;
    }
    let full = this.cache.get(res);
    if (!full) {
      full = { cover: new Uint8Array(n * n), texture: new Float32Array(n * n) };
      for (let r = 0; r < n; r++) this.landscape.row(res, r, full.cover.subarray(r * n, (r + 1) * n), full.texture.subarray(r * n, (r + 1) * n));
      this.cache.set(res, full);
    }
    cover.set(full.cover.subarray(row * n, (row + 1) * n));
    texture.set(full.texture.subarray(row * n, (row + 1) * n));
  }
}

/** The layers of one scene, per resolution. */
export class SceneLayers {
  private readonly cache = new Map<number, LayerRow>();
  private readonly scratch = new Map<number, LayerRow>();

  constructor(
    readonly scene: Scene,
    readonly grid: SceneGrid,
    private readonly land: LandCache,
  ) {}

  /** Pixels a side at `res`. */
  size(res: Resolution): number {
    return gridSize(this.grid, res);
  }

  row(res: Resolution, r: number): LayerRow {
    const n = this.size(res);
    if (n * n <= CACHE_LIMIT_PIXELS) {
      let full = this.cache.get(res);
      if (!full) {
        full = allocRow(n * n);
        for (let k = 0; k < n; k++) this.compute(res, n, k, rowView(full, n, k));
        this.cache.set(res, full);
      }
      return rowView(full, n, r);
    }
    let buf = this.scratch.get(res);
    if (!buf) {
      buf = allocRow(n);
      this.scratch.set(res, buf);
    }
    this.compute(res, n, r, buf);
    return buf;
  }

  private compute(res: Resolution, n: number, r: number, out: LayerRow): void {
    const { sky, plumes } = this.scene;
    this.land.fill(res, n, r, out.cover, out.texture);
    const y = this.grid.originY - (r + 0.5) * res;
    const rowPlumes = plumes.filter((p) => y >= p.bbox[1] && y <= p.bbox[3]);
    for (let c = 0; c < n; c++) {
      const x = this.grid.originX + (c + 0.5) * res;
      if (outsideSwath(sky, x, y)) {
        out.valid[c] = 0;
        continue;
      }
      out.valid[c] = 1;
      let clear = 1;
      for (const p of rowPlumes) clear *= 1 - plumeOpacity(p, x, y);
      out.plume[c] = 1 - clear;
      out.cloud[c] = cloudOpacity(sky, x, y);
      out.shadow[c] = shadowAt(sky, x, y);
      out.cirrus[c] = cirrusAt(sky, x, y);
    }
  }
}
