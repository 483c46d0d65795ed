/**
 * `co2sat run`: tile → predict → aggregate over a scenes folder, incrementally and safely.
 *
 * Output folder layout (suffix `.shard-i-of-n` on per-shard files when sharded):
 *   run.lock/                the lease, renewed while a run writes (see lock.ts)
 *   state.json               scenes done/failed with fingerprints, model id, config hashes
 *   parts/<scene_id>.jsonl   each done scene's predictions, written atomically
 *   predictions.jsonl        all done scenes' predictions (concatenation of the parts)
 *   sites.geojson, map.png   aggregates (unsharded runs only; shards merge with `aggregate`)
 *   sites.fgb                the aggregates as FlatGeobuf (with flatGeobuf)
 *   predictions.csv(+t), predictions.geojsonl   per-overpass predictions with the site point
 *   report.html              the interactive report (unsharded runs, unless report is false)
 *   aggregates.cache.json    per-window aggregates with input digests (incremental reuse)
 *   tiles/<scene_id>/…       patches, removed after prediction unless keepTiles or the model
 *                            reads a site's earlier patches (then kept, with tiles/manifest.jsonl)
 *
 * Commit protocol: a scene's part is written, then the state marks it done, each step
 * atomic. A kill between them leaves a part the state does not list: it is ignored and
 * rewritten by the rerun. Final outputs are rebuilt from the parts at the end of every
 * run, so after a kill at any moment a rerun produces what an uninterrupted run does.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { makePredictionRecord } from '../src/postprocess/prediction.js';
import { formatPredictions, parsePredictions, type PredictionRecord } from '../src/records/predictions.js';
import { manifestPath, patchKey, readManifest, writeManifest, type ManifestRecord } from '../src/records/manifest.js';
import type { AggregateOptions } from '../src/postprocess/aggregateSite.js';
import type { Site } from '../src/records/sites.js';
import { formatWindowSpec, type WindowSpec } from '../src/postprocess/windowSpec.js';
import { removeStaleTemporaries, writeFileAtomic } from '../src/io/atomicWrite.js';
import { configHash, type Json } from '../src/io/configHash.js';
import { acquireLock } from './lock.js';
import { isTransient, TransientError } from '../src/errors.js';
import { inShard, shardSuffix, type Shard } from './shard.js';
import type { PipelineStages, SceneRef } from './stages.js';
import { loadState, saveState, STATE_VERSION } from './state.js';
import { writeAggregates, type ReportExtras } from '../src/postprocess/writeAggregates.js';

export interface RunOptions<S extends SceneRef = SceneRef> extends AggregateOptions {
  scenesDir: string;
  outDir: string;
  /** Write OUT/report.html with the aggregates (default true). */
  report?: boolean;
  /** Labels, an online tile layer and a title for the report. */
  reportExtras?: ReportExtras;
  sites: readonly Site[];
  window: WindowSpec;
  stages: PipelineStages<S>;
  /** Everything else predictions depend on (tile size, bands, sites file hash…): a change reprocesses all scenes. */
  predictConfig: Json;
  shard?: Shard | null;
  /** Reprocess every scene even if the state says it is done (e.g. after weather.csv was corrected). */
  force?: boolean;
  /** Keep the patch GeoTIFFs under OUT/tiles (default false: removed once predicted). */
  keepTiles?: boolean;
  /** Called after each scene (for a progress bar). */
  onScene?: (done: number, total: number, sceneId: string) => void;
  /** Notes for --verbose. */
  log?: (message: string) => void;
  /** Warnings the operator should see (a stale lease taken over). */
  warn?: (message: string) => void;
  /** Also write sites.fgb beside sites.geojson (`--format geojson,fgb`). */
  flatGeobuf?: boolean;
  /** Retries of a scene after a transient failure within this run (default 2). */
  retries?: number;
  /** First retry delay in ms, doubled each retry (default 1000). */
  retryDelayMs?: number;
}

export interface RunSummary {
  out: string;
  shard: string | null;
  model_id: string;
  backend: string;
  scenes: { total: number; new: number; changed: number; skipped: number; failed: number; removed: number };
  patches: { predicted: number; total: number };
  sites: number;
  windows: { total: number; recomputed: number; reused: number } | null;
  outputs: { predictions: string; predictions_csv: string | null; predictions_geojsonl: string | null; geojson: string | null; fgb: string | null; map: string | null; report: string | null; state: string };
  /** Scenes that failed for good: this run's and those recorded by earlier runs (not retried until they change). */
  failed: { item: string; reason: string; recorded: boolean }[];
  /** Scenes whose transient failure outlasted the retries: the next run retries them. */
  transient: { item: string; reason: string }[];
  unknown_sites: string[];
  seconds: number;
}

/**
 * Adds (or replaces, by scene and site) `records` in the tiles folder's manifest.jsonl,
 * atomically, so a kill leaves the previous manifest. The patches stay on disk: they are
 * the history of each site that later overpasses' backgrounds are built from.
 */
async function recordTiles(tilesDir: string, records: readonly ManifestRecord[]): Promise<void> {
  const file = manifestPath(tilesDir);
  const existing = existsSync(file) ? await readManifest(file) : [];
  const all = new Map(existing.map((r) => [patchKey(r.scene_id, r.site_id), r]));
  for (const r of records) all.set(patchKey(r.scene_id, r.site_id), r);
  await writeManifest(file, all.values());
}

/** Runs the pipeline; throws LockHeldError when another run holds the folder. */
export async function runPipeline<S extends SceneRef>(o: RunOptions<S>): Promise<RunSummary> {
  const t0 = Date.now();
  const log = o.log ?? (() => undefined);
  const sfx = shardSuffix(o.shard);
  const out = o.outDir;
  const partsDir = path.join(out, 'parts');
  const tilesDir = path.join(out, 'tiles');
  const stateFile = path.join(out, `state${sfx}.json`);
  const predictionsFile = path.join(out, `predictions${sfx}.jsonl`);
  // The lock comes first: a run that loses it must not touch the folder.
  const lock = await acquireLock(path.join(out, `run${sfx}.lock`), {
    onTakeover: (previous, ago) =>
      o.warn?.(
        `took over a stale lease of run${sfx}.lock (last heartbeat ${ago.toFixed(0)} s ago) held by ` +
          (previous ? `pid ${previous.pid} on ${previous.host}, started ${previous.started}` : 'an unknown holder'),
      ),
  });
  const predictor = await o.stages.loadPredictor().catch(async (err: unknown) => {
    await lock.release();
    throw err;
  });
  try {
    await fs.mkdir(partsDir, { recursive: true });
    for (const dir of [out, partsDir, tilesDir]) await removeStaleTemporaries(dir);
    const state = await loadState(stateFile);
    const predictHash = configHash({ predict: o.predictConfig, model: predictor.id, weights: predictor.fingerprint ?? null });
    if (state.predict_hash !== predictHash || o.force) {
      if (Object.keys(state.scenes).length > 0) log(o.force ? 'forced: reprocessing all scenes' : 'model or prediction config changed: reprocessing all scenes');
      for (const id of Object.keys(state.scenes)) await fs.rm(path.join(partsDir, `${id}.jsonl`), { force: true });
      state.scenes = {};
    }
    state.version = STATE_VERSION;
    state.model_id = predictor.id;
    state.predict_hash = predictHash;
    state.aggregate_hash = configHash({ window: formatWindowSpec(o.window), min: o.minValidFraction ?? null, cloudy: o.cloudyFraction ?? null, uncertainty: o.uncertainty ?? null, combine: o.combine ?? null });

    const listed = (await o.stages.listScenes(o.scenesDir)).filter((s) => inShard(s.scene_id, o.shard));
    listed.sort((a, b) => (a.scene_id < b.scene_id ? -1 : a.scene_id > b.scene_id ? 1 : 0));
    const present = new Set(listed.map((s) => s.scene_id));
    let removed = 0;
    for (const id of Object.keys(state.scenes)) {
      if (present.has(id)) continue;
      delete state.scenes[id];
      await fs.rm(path.join(partsDir, `${id}.jsonl`), { force: true });
      removed++;
    }
    const partExists = async (id: string) => fs.access(path.join(partsDir, `${id}.jsonl`)).then(() => true, () => false);
    const todo: S[] = [];
    for (const s of listed) {
      const st = state.scenes[s.scene_id];
      // A done scene whose part file went missing (deleted by hand) is simply redone; a scene
      // that failed for good is not retried until its files change (a new fingerprint).
      if (st?.status === 'failed' && st.fingerprint === s.fingerprint) continue;
      if (!(st?.status === 'done' && st.fingerprint === s.fingerprint && (await partExists(s.scene_id)))) todo.push(s);
    }
    const recordedFailures = new Set(listed.filter((s) => !todo.includes(s) && state.scenes[s.scene_id]?.status === 'failed').map((s) => s.scene_id));
    const changed = todo.filter((s) => state.scenes[s.scene_id]?.status === 'done').length;
    log(`${listed.length} scenes in shard, ${todo.length} to process`);
    await saveState(stateFile, state);

    let predicted = 0;
    let done = 0;
    const retries = o.retries ?? 2;
    const retryDelayMs = o.retryDelayMs ?? 1000;
    for (const scene of todo) {
      if (lock.compromised) throw new TransientError(`lost the lease of ${lock.file} (${lock.compromised.message}); another run may hold it now`);
      for (let attempt = 0; ; attempt++) {
        try {
          const records = await o.stages.tileScene(scene, tilesDir);
          // A model that reads a site's earlier overpasses (its background) finds them through
          // the tiles folder's manifest: keep it current before predicting this scene.
          if (predictor.needsTileHistory) await recordTiles(tilesDir, records);
          const estimates = records.length > 0 ? await predictor.predict(records.map((record) => ({ record, tilesDir }))) : [];
          const preds = records.map((r, i) => makePredictionRecord({ ...r, fingerprint: scene.fingerprint }, estimates[i]!, predictor));
          await writeFileAtomic(path.join(partsDir, `${scene.scene_id}.jsonl`), formatPredictions(preds));
          state.scenes[scene.scene_id] = { fingerprint: scene.fingerprint, status: 'done', datetime: preds[0]?.datetime ?? null, patches: preds.length };
          predicted += preds.length;
          break;
        } catch (err) {
          const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
          const transient = isTransient(err);
          if (transient && attempt < retries) {
            log(`${scene.scene_id}: transient failure, retry ${attempt + 1} of ${retries}: ${reason}`);
            await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** attempt));
            continue;
          }
          log(`${scene.scene_id}: failed${transient ? ' (transient: the next run retries it)' : ''}: ${reason}`);
          await fs.rm(path.join(partsDir, `${scene.scene_id}.jsonl`), { force: true });
          state.scenes[scene.scene_id] = { fingerprint: scene.fingerprint, status: transient ? 'retry' : 'failed', datetime: null, patches: 0, error: reason };
          break;
        }
      }
      await saveState(stateFile, state);
      if (!o.keepTiles && !predictor.needsTileHistory) await fs.rm(path.join(tilesDir, scene.scene_id), { recursive: true, force: true });
      o.onScene?.(++done, todo.length, scene.scene_id);
    }

    // Rebuild the predictions file from the parts of every done scene.
    const all: PredictionRecord[] = [];
    for (const id of [...present].sort()) {
      if (state.scenes[id]?.status !== 'done') continue;
      all.push(...parsePredictions(await fs.readFile(path.join(partsDir, `${id}.jsonl`), 'utf8')));
    }
    await writeFileAtomic(predictionsFile, formatPredictions(all));

    let windows: RunSummary['windows'] = null;
    let unknownSites: string[] = [];
    const geojson = sfx === '' ? path.join(out, 'sites.geojson') : null;
    const map = sfx === '' ? path.join(out, 'map.png') : null;
    const fgb = sfx === '' && o.flatGeobuf ? path.join(out, 'sites.fgb') : null;
    const tables = sfx === '' ? { csvFile: path.join(out, 'predictions.csv'), geojsonlFile: path.join(out, 'predictions.geojsonl') } : null;
    const report = sfx === '' && o.report !== false ? path.join(out, 'report.html') : null;
    if (geojson && map && tables) {
      const r = await writeAggregates({
        ...o,
        predictions: all,
        geojsonFile: geojson,
        ...(fgb ? { fgbFile: fgb } : {}),
        predictionTables: tables,
        mapFile: map,
        reportFile: report ?? undefined,
        report: { title: `co2sat report: ${path.basename(path.resolve(out))}`, ...o.reportExtras },
        cacheFile: path.join(out, 'aggregates.cache.json'),
        modelId: predictor.id,
      });
      windows = { total: r.windows, recomputed: r.windowsRecomputed, reused: r.windowsReused };
      unknownSites = r.unknownSites;
    }
    state.updated = new Date().toISOString();
    await saveState(stateFile, state);

    const withStatus = (status: 'failed' | 'retry') => listed.filter((s) => state.scenes[s.scene_id]?.status === status);
    const failed = withStatus('failed').map((s) => ({ item: s.scene_id, reason: state.scenes[s.scene_id]?.error ?? 'failed', recorded: recordedFailures.has(s.scene_id) }));
    const transient = withStatus('retry').map((s) => ({ item: s.scene_id, reason: state.scenes[s.scene_id]?.error ?? 'transient failure' }));
    return {
      out,
      shard: o.shard && o.shard.count > 1 ? `${o.shard.index}/${o.shard.count}` : null,
      model_id: predictor.id,
      backend: predictor.backend,
      scenes: { total: listed.length, new: todo.length - changed, changed, skipped: listed.length - todo.length, failed: failed.length, removed },
      patches: { predicted, total: all.length },
      sites: o.sites.length,
      windows,
      outputs: { predictions: predictionsFile, predictions_csv: tables?.csvFile ?? null, predictions_geojsonl: tables?.geojsonlFile ?? null, geojson, fgb, map, report, state: stateFile },
      failed,
      transient,
      unknown_sites: unknownSites,
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    predictor.dispose();
    await lock.release();
  }
}
