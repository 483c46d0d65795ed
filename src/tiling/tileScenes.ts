/**
 * `co2sat tile` as a library call: scenes folder + sites → patches + manifest. The CLI and
 * the pipeline call this; it never exits the process. A scene that cannot be read is
 * listed in `failures` and nothing is written for it; the others go on. Reruns skip
 * patches whose manifest record has the same fingerprint (scene files, sizes, mtimes and
 * the tiling parameters) and window, and whose file exists; `force` redoes them.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { removeStaleTemporaries } from '../io/atomicWrite.js';
import { InputError, OptionError } from '../errors.js';
import { proj4Problem } from '../geo/crs.js';
import { httpReadTotals } from '../geo/source/httpSource.js';
import { loadSites } from '../records/sites.js';
import { BUILTIN_BAND_SETS, loadBandSet, type BandSet } from './bandSet.js';
import { discoverScenes, type SceneRef } from './discoverScenes.js';
import { manifestPath as manifestOf, patchKey, readManifestToResume, writeManifest, type ManifestRecord } from '../records/manifest.js';
import { openScene } from './scene.js';
import { datetimeFromUser } from './sceneName.js';
import { tileScene, type SiteSkip } from './tileScene.js';

export interface TileOptions {
  scenesDir: string;
  sitesFile: string;
  /** Default 'tiles'. */
  outDir?: string;
  /** Patch edge in pixels, default 64. */
  size?: number;
  /** Patches read and written at once, default the number of cores. */
  concurrency?: number;
  /** Redo patches that are already up to date. */
  force?: boolean;
  /** Band set name or JSON path for per-band folders; default: try the built-in sets in order. */
  bandSet?: string;
  /** proj4 definition for scenes whose CRS has no built-in EPSG definition. */
  crsProj4?: string;
  /** Acquisition time (ISO 8601) for scenes whose name and DateTime tag carry none. */
  datetime?: string;
  compression?: 'deflate' | 'none';
  /** Progress: total patches to consider is known per scene; called as work advances. */
  onProgress?: (event: TileProgress) => void;
}

export interface TileProgress {
  scenesDone: number;
  scenesTotal: number;
  patchesDone: number;
  scene: string;
}

export interface TileSummary {
  out: string;
  manifest: string;
  scenes: { total: number; tiled: number; failed: number };
  patches: { written: number; up_to_date: number };
  sites_skipped: SiteSkip[];
  failures: { item: string; reason: string }[];
  /** HTTP range requests made for remote (STAC) assets, bytes received and retries. */
  remote_reads: { requests: number; bytes: number; retries: number };
}

function describe(err: unknown): string {
  if (err instanceof InputError) return err.problem;
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/** Checks options that do not need the disk; @throws UsageError */
export function checkTileOptions(o: TileOptions): void {
  const size = o.size ?? 64;
  if (!Number.isInteger(size) || size < 1 || size > 4096) throw new OptionError('size', `must be an integer in [1, 4096], got ${size}`);
  if (o.concurrency !== undefined && (!Number.isInteger(o.concurrency) || o.concurrency < 1)) throw new OptionError('concurrency', `must be a positive integer, got ${o.concurrency}`);
  if (o.datetime !== undefined && datetimeFromUser(o.datetime) === null) {
    throw new OptionError('datetime', `must be an ISO 8601 date or UTC/offset time (2024-05-17 or 2024-05-17T10:25:59Z), got '${o.datetime}'`);
  }
  if (o.crsProj4 !== undefined) {
    const problem = proj4Problem(o.crsProj4);
    if (problem) throw new OptionError('crs-proj4', `is not a proj4 definition: ${problem}`);
  }
}

/**
 * Tiles every scene of `scenesDir` around every site of `sitesFile`.
 * @throws UsageError for bad options; InputError when the sites file, the band set, the
 *   scenes folder or an existing manifest is unusable (nothing is written then)
 */
export async function tileScenes(o: TileOptions): Promise<TileSummary> {
  checkTileOptions(o);
  const size = o.size ?? 64;
  const outDir = o.outDir ?? 'tiles';
  const sites = await loadSites(o.sitesFile);
  const bandSets: BandSet[] = o.bandSet ? [loadBandSet(o.bandSet)] : BUILTIN_BAND_SETS.map((n) => loadBandSet(n));
  // The fallback time enters the fingerprint only when given, so earlier manifests stay valid.
  const params = {
    size,
    compression: o.compression ?? 'deflate',
    crsProj4: o.crsProj4 ?? null,
    ...(o.datetime !== undefined ? { datetime: datetimeFromUser(o.datetime) } : {}),
  };
  const httpBefore = httpReadTotals();
  const scenes: SceneRef[] = await discoverScenes(o.scenesDir, { bandSets, params });
  const manifestPath = manifestOf(outDir);
  const records = await readManifestToResume(manifestPath);
  await removeStaleTemporaries(outDir);

  const limit = pLimit(o.concurrency ?? os.availableParallelism());
  const summary: TileSummary = {
    out: outDir,
    manifest: manifestPath,
    scenes: { total: scenes.length, tiled: 0, failed: 0 },
    patches: { written: 0, up_to_date: 0 },
    sites_skipped: [],
    failures: [],
    remote_reads: { requests: 0, bytes: 0, retries: 0 },
  };
  let patchesDone = 0;
  const upToDate = (_site: unknown, r: Omit<ManifestRecord, 'valid_fraction' | 'cloud_fraction'>): boolean => {
    if (o.force) return false;
    const old = records.get(patchKey(r.scene_id, r.site_id));
    return (
      old !== undefined &&
      old.fingerprint === r.fingerprint &&
      JSON.stringify(old.window) === JSON.stringify(r.window) &&
      existsSync(path.join(outDir, old.path))
    );
  };

  for (const [i, ref] of scenes.entries()) {
    o.onProgress?.({ scenesDone: i, scenesTotal: scenes.length, patchesDone, scene: ref.scene_id });
    let scene;
    try {
      scene = await openScene(ref, {
        ...(o.crsProj4 ? { crsProj4: o.crsProj4 } : {}),
        ...(o.datetime !== undefined ? { fallbackDatetime: datetimeFromUser(o.datetime)! } : {}),
      });
    } catch (err) {
      summary.scenes.failed++;
      summary.failures.push({ item: err instanceof InputError ? err.file : ref.source, reason: describe(err) });
      continue;
    }
    try {
      await removeStaleTemporaries(path.join(outDir, ref.scene_id));
      const r = await tileScene(scene, sites, outDir, {
        size,
        compression: o.compression ?? 'deflate',
        limit,
        upToDate,
        onPatch: () => {
          patchesDone++;
          o.onProgress?.({ scenesDone: i, scenesTotal: scenes.length, patchesDone, scene: ref.scene_id });
        },
      });
      for (const rec of r.written) records.set(patchKey(rec.scene_id, rec.site_id), rec);
      summary.patches.written += r.written.length;
      summary.patches.up_to_date += r.upToDate.length;
      summary.sites_skipped.push(...r.skipped);
      summary.scenes.tiled++;
      if (r.written.length > 0) await writeManifest(manifestPath, records.values());
    } catch (err) {
      summary.scenes.failed++;
      summary.failures.push({ item: ref.source, reason: describe(err) });
    } finally {
      await scene.close();
    }
  }
  // Downstream stages expect a manifest even when nothing was cut (all sites outside).
  if (!existsSync(manifestPath) && summary.scenes.failed < scenes.length) await writeManifest(manifestPath, records.values());
  o.onProgress?.({ scenesDone: scenes.length, scenesTotal: scenes.length, patchesDone, scene: '' });
  const httpAfter = httpReadTotals();
  summary.remote_reads = { requests: httpAfter.requests - httpBefore.requests, bytes: httpAfter.bytes - httpBefore.bytes, retries: httpAfter.retries - httpBefore.retries };
  return summary;
}
