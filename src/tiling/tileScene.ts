/**
 * Cuts one scene's patches: for each site whose pixel lies in the scene (geo/footprint.ts), the window rule
 * gives the window, the scene reads it (windowed, nodata outside), and the patch is
 * written as `<out>/<scene_id>/<site_id>.tif` with the window's geotransform, the scene's
 * GeoKeys and a GDAL_NODATA tag. All-or-nothing per scene: patches are staged under
 * temporary names and renamed only when every patch of the scene succeeded, so a scene
 * that fails half-way leaves nothing behind (and the previous patches stay intact).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { syncDirectory, temporaryPathFor, writeStagedFile } from '../io/atomicWrite.js';
import { siteOnGrid } from '../geo/footprint.js';
import type { Site } from '../records/sites.js';
import { encodeGeoTiff } from '../geo/writeGeoTiff.js';
import type { ManifestRecord } from '../records/manifest.js';
import { cloudTest } from './bandSet.js';
import { patchStats } from './patchStats.js';
import type { Scene } from './scene.js';
import { windowForSite, windowGeoTransform } from './windowForSite.js';
import type { Window } from '../geo/window.js';

export interface SiteSkip {
  scene_id: string;
  site_id: string;
  reason: string;
}

export interface TileSceneOptions {
  /** Patch edge in pixels. */
  size: number;
  compression?: 'deflate' | 'none';
  /** Runs one patch job (read + encode; the write trails it) under the run's concurrency limit (p-limit). */
  limit: PatchLimit;
  /** True when the patch for this site is already up to date (it is then not redone). */
  upToDate?: (site: Site, record: Omit<ManifestRecord, 'valid_fraction' | 'cloud_fraction'>) => boolean;
  /** Called after each patch is staged (for progress bars). */
  onPatch?: () => void;
}

/** A concurrency limiter (p-limit's shape): runs jobs, at most `concurrency` at once. */
export interface PatchLimit {
  <T>(job: () => Promise<T>): Promise<T>;
  readonly concurrency: number;
}

/** Patch files being written at once, per concurrency slot (see tileScene). */
const WRITES_PER_SLOT = 2;

export interface TileSceneResult {
  /** Records of the patches written in this call. */
  written: ManifestRecord[];
  /** Sites whose patch was already up to date. */
  upToDate: string[];
  skipped: SiteSkip[];
}

/** TIFF DateTime form of an ISO time. */
function tiffDateTime(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ').replace(/-/g, ':');
}

/**
 * @param outDir the tiles folder; patches go to `<outDir>/<scene_id>/`
 * @throws the first patch error (after removing every staged patch of the scene)
 */
export async function tileScene(scene: Scene, sites: readonly Site[], outDir: string, opts: TileSceneOptions): Promise<TileSceneResult> {
  const sceneId = scene.ref.scene_id;
  const maskSpec = scene.ref.kind === 'per-band' && scene.ref.maskFile ? scene.ref.bandSet.cloud_mask : undefined;
  const isCloudy = maskSpec ? cloudTest(maskSpec) : () => false;
  const result: TileSceneResult = { written: [], upToDate: [], skipped: [] };
  const staged: { tmp: string; final: string }[] = [];
  const sceneDir = path.join(outDir, sceneId);

  const todo: { site: Site; window: Window; base: Omit<ManifestRecord, 'valid_fraction' | 'cloud_fraction'> }[] = [];
  for (const site of sites) {
    const onGrid = siteOnGrid(site.lon, site.lat, scene);
    if (!onGrid) {
      result.skipped.push({ scene_id: sceneId, site_id: site.site_id, reason: 'outside scene footprint' });
      continue;
    }
    const { window } = windowForSite(onGrid.x, onGrid.y, scene.geoTransform, opts.size);
    const base = {
      scene_id: sceneId,
      source: scene.ref.source,
      site_id: site.site_id,
      datetime: scene.datetime,
      path: `${sceneId}/${site.site_id}.tif`,
      epsg: scene.crs.epsg,
      window,
      bands: scene.bandIds,
      fingerprint: scene.ref.fingerprint,
    };
    if (opts.upToDate?.(site, base)) {
      result.upToDate.push(site.site_id);
      continue;
    }
    todo.push({ site, window, base });
  }
  // Read scheduling: sites in block order (rows of 256-pixel cells, then columns, the window
  // needing the most rows of a cell first), so sites sharing a tile run back to back and
  // find it in the small block cache, decoded once and to enough rows for all of them; in
  // the sites file's order neighbours are far apart and each would inflate the tile again.
  todo.sort((a, b) => compareBlockOrder(a.window, b.window));
  // A patch holds its concurrency slot while it is read and encoded (CPU), not while its
  // file is written and fsynced (a wait on the disk): the next patch starts meanwhile.
  // Writes in flight are bounded, so encoded patches never pile up in memory.
  const writes: Promise<void>[] = [];
  const writing = new Set<Promise<void>>();
  const maxWrites = WRITES_PER_SLOT * opts.limit.concurrency;
  if (todo.length > 0) await fs.mkdir(sceneDir, { recursive: true });
  const jobs: Promise<void>[] = [];
  for (const { site, window, base } of todo) {
    jobs.push(
      opts.limit(async () => {
        const data = await scene.read(window);
        const stats = patchStats(data.bands, window, scene.width, scene.height, scene.nodata, data.mask, isCloudy);
        const final = path.join(sceneDir, `${site.site_id}.tif`);
        const tmp = temporaryPathFor(final);
        const bytes = await encodeGeoTiff({
          width: opts.size,
          height: opts.size,
          dataType: scene.dataType,
          bands: data.bands,
          geoTransform: windowGeoTransform(scene.geoTransform, window),
          epsg: scene.crs.epsg ?? 0,
          geoKeys: scene.geoKeys,
          nodata: scene.nodata ?? 0,
          compression: opts.compression ?? 'deflate',
          datetime: tiffDateTime(scene.datetime),
          bandDescriptions: scene.bandIds,
        });
        while (writing.size >= maxWrites) await Promise.race(writing);
        staged.push({ tmp, final });
        const write: Promise<void> = writeStagedFile(tmp, bytes).then(() => {
          result.written.push({ ...base, valid_fraction: stats.valid_fraction, cloud_fraction: stats.cloud_fraction });
          opts.onPatch?.();
        });
        // `done` settles with the write and never rejects: the write's error is reported
        // through `writes` (below), not as an unhandled rejection here.
        const done: Promise<void> = write.then(
          () => void writing.delete(done),
          () => void writing.delete(done),
        );
        writing.add(done);
        writes.push(write);
      }),
    );
  }
  await Promise.allSettled(jobs);
  jobs.push(...writes);
  const settled = await Promise.allSettled(jobs);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(staged.map((s) => fs.rm(s.tmp, { force: true })));
    await fs.rmdir(sceneDir).catch(() => undefined); // only if we left it empty
    throw failed.reason;
  }
  for (const s of staged) await fs.rename(s.tmp, s.final);
  if (staged.length > 0) await syncDirectory(sceneDir);
  result.written.sort((a, b) => a.site_id.localeCompare(b.site_id));
  return result;
}

/** Cell edge of the read order: GDAL's and COGs' usual 256 (512-pixel tiles align with it too). */
const ORDER_CELL = 256;

/** Windows by 256-pixel cell row, then cell column, then the one reaching lowest first. */
function compareBlockOrder(a: Window, b: Window): number {
  const cell = (v: number): number => Math.floor(v / ORDER_CELL);
  return cell(a.yoff) - cell(b.yoff) || cell(a.xoff) - cell(b.xoff) || b.yoff + b.height - (a.yoff + a.height);
}
