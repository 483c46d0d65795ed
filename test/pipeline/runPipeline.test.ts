/**
 * The run mechanics on toy stages (toyStages.mjs: a real, small implementation of the stage
 * interfaces): incremental runs equal fresh runs, invalidation by model and config, failed
 * scenes, shards merged equal a single run.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline, type RunOptions } from '../../pipeline/runPipeline.js';
import { runExitCode } from '../../src/cli/commands/run.js';
import { writeAggregates } from '../../src/postprocess/writeAggregates.js';
import { parseShard } from '../../pipeline/shard.js';
import type { PipelineStages } from '../../pipeline/stages.js';
import { readPredictionFiles } from '../../src/postprocess/readPredictionFiles.js';
import { parseWindowSpec } from '../../src/postprocess/windowSpec.js';
import type { Site } from '../../src/records/sites.js';
// @ts-expect-error plain JS helper without type declarations
import { TOY_SITES, toyStages, writeToyScene } from './toyStages.mjs';

const sites = TOY_SITES as Site[];
const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `co2sat-${name}-`));
const read = (f: string) => readFileSync(f, 'utf8');

async function scenes(dir: string, from: number, to: number): Promise<void> {
  // Scenes every 9 days, so 30-day windows each hold several.
  for (let k = from; k < to; k++) await writeToyScene(dir, `S${String(k).padStart(3, '0')}`, k * 9, k);
}

function opts(scenesDir: string, outDir: string, extra: Partial<RunOptions> = {}): RunOptions {
  return {
    scenesDir,
    outDir,
    sites,
    window: parseWindowSpec('30d'),
    predictConfig: { size: 8 },
    stages: toyStages() as PipelineStages,
    ...extra,
  };
}

const outputs = (out: string) => ({ geojson: read(path.join(out, 'sites.geojson')), predictions: read(path.join(out, 'predictions.jsonl')) });

describe('runPipeline', () => {
  it('keeps the tiles and a current manifest when the model reads a site’s earlier patches (background difference)', async () => {
    const s = tmp('scenes');
    const out = tmp('history');
    await scenes(s, 0, 4);
    const toy = toyStages() as PipelineStages;
    // What the model could see of each site's history when each scene was predicted.
    const seen: string[][] = [];
    const stages: PipelineStages = {
      ...toy,
      async loadPredictor() {
        const inner = await toy.loadPredictor();
        return {
          id: inner.id,
          backend: inner.backend,
          needsTileHistory: true,
          async predict(patches) {
            const manifest = read(path.join(out, 'tiles', 'manifest.jsonl')).trim().split('\n').map((l) => JSON.parse(l) as { scene_id: string; path: string });
            seen.push([...new Set(manifest.map((r) => r.scene_id))]);
            for (const r of manifest) expect(existsSync(path.join(out, 'tiles', r.path)), r.path).toBe(true);
            return inner.predict(patches);
          },
          dispose: () => inner.dispose(),
        };
      },
    };
    await runPipeline({ ...opts(s, out), stages });
    expect(seen).toEqual([['S000'], ['S000', 'S001'], ['S000', 'S001', 'S002'], ['S000', 'S001', 'S002', 'S003']]);
    // A rerun after new scenes adds to the same history.
    await scenes(s, 4, 6);
    seen.length = 0;
    await runPipeline({ ...opts(s, out), stages });
    expect(seen.at(-1)).toEqual(['S000', 'S001', 'S002', 'S003', 'S004', 'S005']);
    expect(existsSync(path.join(out, 'tiles', 'S000'))).toBe(true);
  });

  it('writes GeoJSON, predictions, a map and state, then skips everything on a rerun', async () => {
    const s = tmp('scenes');
    const out = tmp('run');
    await scenes(s, 0, 8);
    const first = await runPipeline(opts(s, out));
    expect(first.scenes).toEqual({ total: 8, new: 8, changed: 0, skipped: 0, failed: 0, removed: 0 });
    expect(first.patches).toEqual({ predicted: 24, total: 24 });
    expect(first.model_id).toBe('toy-model-1');
    const fc = JSON.parse(read(path.join(out, 'sites.geojson'))) as { features: unknown[] };
    expect(fc.features).toHaveLength(first.windows!.total * 3);
    expect(readFileSync(path.join(out, 'map.png')).subarray(1, 4).toString()).toBe('PNG');
    // The per-overpass layers for GIS: one row/feature per prediction, beside predictions.jsonl.
    expect(read(path.join(out, 'predictions.csv')).trimEnd().split('\n')).toHaveLength(1 + first.patches.total);
    expect(read(path.join(out, 'predictions.geojsonl')).trimEnd().split('\n')).toHaveLength(first.patches.total);
    expect(first.outputs).toMatchObject({ predictions_csv: path.join(out, 'predictions.csv'), fgb: null });
    expect(existsSync(path.join(out, 'sites.fgb'))).toBe(false);
    expect(existsSync(path.join(out, 'tiles', 'S000'))).toBe(false);
    expect(existsSync(path.join(out, 'run.lock'))).toBe(false);
    const before = outputs(out);
    const second = await runPipeline(opts(s, out));
    expect(second.scenes).toMatchObject({ new: 0, skipped: 8 });
    expect(second.patches.predicted).toBe(0);
    expect(second.windows).toMatchObject({ recomputed: 0, reused: first.windows!.total });
    expect(outputs(out)).toEqual(before);
  });

  it('processes only new scenes, recomputes only touched windows, and equals a fresh run', async () => {
    const s = tmp('scenes');
    const inc = tmp('inc');
    await scenes(s, 0, 6);
    await runPipeline(opts(s, inc));
    await scenes(s, 6, 9);
    const r = await runPipeline(opts(s, inc));
    expect(r.scenes).toMatchObject({ new: 3, skipped: 6 });
    expect(r.windows!.reused).toBeGreaterThan(0);
    expect(r.windows!.recomputed).toBeLessThan(r.windows!.total);
    // a changed scene and a removed one
    await writeToyScene(s, 'S002', 18, 99);
    await fs.rm(path.join(s, 'S004.scene.json'));
    const r2 = await runPipeline(opts(s, inc));
    expect(r2.scenes).toMatchObject({ new: 0, changed: 1, removed: 1, skipped: 7 });
    // a part file deleted by hand: that scene is redone
    await fs.rm(path.join(inc, 'parts', 'S003.jsonl'));
    const r3 = await runPipeline(opts(s, inc));
    expect(r3.scenes).toMatchObject({ changed: 1, skipped: 7 });
    const fresh = tmp('fresh');
    await runPipeline(opts(s, fresh));
    expect(outputs(inc)).toEqual(outputs(fresh));
  });

  it('reprocesses everything for a new model or prediction config, only re-aggregates for a new window', async () => {
    const s = tmp('scenes');
    const out = tmp('run');
    await scenes(s, 0, 4);
    await runPipeline(opts(s, out));
    const m2 = await runPipeline(opts(s, out, { stages: toyStages({ modelId: 'toy-model-2' }) as PipelineStages }));
    expect(m2.scenes).toMatchObject({ new: 4, skipped: 0 });
    expect(read(path.join(out, 'predictions.jsonl'))).toContain('"model_id":"toy-model-2"');
    // Same id, new weights (a retrained model in the same folder with the same seed): redo.
    const retrained = toyStages({ modelId: 'toy-model-2' }) as PipelineStages;
    const load = retrained.loadPredictor.bind(retrained);
    retrained.loadPredictor = async () => ({ ...(await load()), fingerprint: 'weights-v2' });
    const w2 = await runPipeline(opts(s, out, { stages: retrained }));
    expect(w2.scenes).toMatchObject({ new: 4, skipped: 0 });
    const c2 = await runPipeline(opts(s, out, { stages: toyStages({ modelId: 'toy-model-2' }) as PipelineStages, predictConfig: { size: 16 } }));
    expect(c2.scenes.new).toBe(4);
    const month = await runPipeline(opts(s, out, { stages: toyStages({ modelId: 'toy-model-2' }) as PipelineStages, predictConfig: { size: 16 }, window: parseWindowSpec('month') }));
    expect(month.scenes).toMatchObject({ new: 0, skipped: 4 });
    expect(month.windows!.recomputed).toBe(month.windows!.total);
    const fc = JSON.parse(read(path.join(out, 'sites.geojson'))) as { features: { properties: { window: string; window_start: string } }[] };
    expect(fc.features[0]!.properties.window).toBe('month');
    expect(fc.features[0]!.properties.window_start).toBe('2024-01-01T00:00:00Z');
  });

  it('records failed scenes, finishes the rest, and retries them on the next run', async () => {
    const s = tmp('scenes');
    const out = tmp('run');
    await scenes(s, 0, 4);
    await writeToyScene(s, 'S001', 9, 1, { corrupt: true });
    const r = await runPipeline(opts(s, out));
    expect(r.scenes).toMatchObject({ total: 4, failed: 1 });
    expect(r.failed[0]!.item).toBe('S001');
    expect(r.failed[0]!.reason).toMatch(/JSON/);
    expect(r.patches.total).toBe(9);
    await writeToyScene(s, 'S001', 9, 1);
    const again = await runPipeline(opts(s, out));
    expect(again.scenes).toMatchObject({ new: 1, failed: 0, skipped: 3 });
    const fresh = tmp('fresh');
    await runPipeline(opts(s, fresh));
    expect(outputs(out)).toEqual(outputs(fresh));
  });

  it('splits scenes over shards 0/3, 1/3, 2/3 whose merged predictions aggregate to the single-run GeoJSON', async () => {
    const s = tmp('scenes');
    await scenes(s, 0, 12);
    const single = tmp('single');
    await runPipeline(opts(s, single));
    const sharded = tmp('sharded');
    const counts = [];
    for (const i of [2, 0, 1]) {
      const r = await runPipeline(opts(s, sharded, { shard: parseShard(`${i}/3`) }));
      expect(r.outputs.geojson).toBeNull();
      counts.push(r.scenes.total);
    }
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
    const files = [0, 1, 2].map((i) => path.join(sharded, `predictions.shard-${i}-of-3.jsonl`));
    const merged = await readPredictionFiles([files[2]!, files[0]!, files[1]!]);
    const geojson = path.join(sharded, 'sites.geojson');
    await writeAggregates({ predictions: merged, sites, window: parseWindowSpec('30d'), geojsonFile: geojson });
    expect(read(geojson)).toBe(read(path.join(single, 'sites.geojson')));
  });
});

describe('failures a scheduler can act on', () => {
  it('retries a transient failure within the run; one that persists is left for the next run (exit 75), which does it', async () => {
    const dir = tmp('flaky-scenes');
    await scenes(dir, 0, 4);
    const transient = new Map<string, number>([['S001', 1], ['S002', 5]]);
    const attempts = new Map<string, number>();
    const stages = toyStages({ transient, attempts }) as PipelineStages;
    const out = tmp('flaky-run');
    const first = await runPipeline(opts(dir, out, { stages, retries: 2, retryDelayMs: 5 }));
    // S001 failed once and worked on its retry; S002 failed all 3 attempts.
    expect(attempts.get('S001')).toBe(2);
    expect(attempts.get('S002')).toBe(3);
    expect(first.transient).toEqual([{ item: 'S002', reason: expect.stringContaining('EBUSY') as string }]);
    expect(first.failed).toEqual([]);
    expect(runExitCode(first)).toBe(75);
    const state = JSON.parse(read(path.join(out, 'state.json'))) as { scenes: Record<string, { status: string }> };
    expect(state.scenes['S002']!.status).toBe('retry');
    expect(state.scenes['S001']!.status).toBe('done');
    // The next run retries S002 (and only it) and is whole.
    transient.set('S002', 0);
    const second = await runPipeline(opts(dir, out, { stages, retries: 2, retryDelayMs: 5 }));
    expect(attempts.get('S002')).toBe(4);
    expect(attempts.get('S001')).toBe(2);
    expect(second.transient).toEqual([]);
    expect(runExitCode(second)).toBe(0);
    const fresh = tmp('flaky-fresh');
    await runPipeline(opts(dir, fresh));
    expect(read(path.join(out, 'sites.geojson'))).toBe(read(path.join(fresh, 'sites.geojson')));
  });

  it('records a scene that fails for good and does not retry it until it changes; all failed is exit 2', async () => {
    const dir = tmp('bad-scenes');
    await scenes(dir, 0, 3);
    await writeToyScene(dir, 'S001', 9, 1, { corrupt: true });
    const attempts = new Map<string, number>();
    const stages = toyStages({ attempts }) as PipelineStages;
    const out = tmp('bad-run');
    const first = await runPipeline(opts(dir, out, { stages, retries: 2, retryDelayMs: 5 }));
    expect(attempts.get('S001')).toBe(1); // a parse error is not transient: no retry
    expect(first.failed).toMatchObject([{ item: 'S001', recorded: false }]);
    expect(runExitCode(first)).toBe(3);
    const second = await runPipeline(opts(dir, out, { stages }));
    expect(attempts.get('S001')).toBe(1);
    expect(second.failed).toMatchObject([{ item: 'S001', recorded: true }]);
    expect(runExitCode(second)).toBe(3);
    await writeToyScene(dir, 'S001', 9, 1);
    const third = await runPipeline(opts(dir, out, { stages }));
    expect(attempts.get('S001')).toBe(2);
    expect(runExitCode(third)).toBe(0);
    expect(runExitCode({ scenes: { total: 2 }, failed: [1, 2], transient: [] })).toBe(2);
  });
});
