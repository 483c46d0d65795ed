/**
 * predictTiles keeps the next chunk's predict call in flight while it waits for this one (so
 * a model reads the next patches while its network runs). Answers must still land on their
 * own patches, in manifest order, whichever call finishes first; a failing chunk must fail the
 * command without writing the file or leaving a rejection unhandled. The predictor here is a
 * stand-in whose answers encode the patch and whose timing is set per chunk: the property
 * under test is predictTiles' ordering, which a real model's timing cannot steer (the real
 * model's predictions through predictTiles are checked in test/pipeline/runE2E.test.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatchRef, Predictor } from '../../src/predict/predictor.js';
import { predictTiles } from '../../src/predict/predictTiles.js';
import { manifestPath, readManifest } from '../../src/records/manifest.js';
import type { PatchEstimate } from '../../src/records/predictions.js';
import { makeTinyWorld, type TinyWorld } from '../train/helpers/tinyWorld.js';

let dir: string;
let world: TinyWorld;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-predicttiles-'));
  world = await makeTinyWorld(path.join(dir, 'w'), { sites: 7, dates: 6, size: 8, seed: 4 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A number that identifies a patch (its scene and site), so a misplaced answer shows. */
function tag(r: { scene_id: string; site_id: string }): number {
  let h = 0;
  for (const ch of `${r.scene_id}/${r.site_id}`) h = (h * 31 + ch.charCodeAt(0)) % 100003;
  return h;
}

function standIn(delayOf: (call: number) => number, failCall = -1): Predictor & { maxInFlight: number } {
  let calls = 0;
  let inFlight = 0;
  const p = {
    id: 'stand-in',
    backend: 'none',
    maxInFlight: 0,
    async predict(patches: readonly PatchRef[]): Promise<PatchEstimate[]> {
      const call = calls++;
      inFlight++;
      p.maxInFlight = Math.max(p.maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, delayOf(call)));
      inFlight--;
      if (call === failCall) throw new Error(`chunk ${call} failed`);
      return patches.map(({ record }) => ({ p_on: 0.5, generation_mw: tag(record), generation_mw_sd: 1, co2_t_per_h: call, co2_t_per_h_sd: 1 }));
    },
    dispose() {},
  };
  return p;
}

describe('predictTiles', () => {
  it('puts every answer on its own patch in manifest order when later chunks answer first', async () => {
    const manifest = await readManifest(manifestPath(world.tiles));
    expect(manifest.length).toBeGreaterThan(20);
    // Later calls answer sooner: chunk 0 waits longest.
    const predictor = standIn((call) => Math.max(0, 40 - 10 * call));
    const progress: number[] = [];
    const { records } = await predictTiles({ tilesDir: world.tiles, predictor, out: path.join(dir, 'p.jsonl'), chunk: 5, onProgress: (done) => progress.push(done) });
    expect(records).toHaveLength(manifest.length);
    records.forEach((r, i) => {
      expect([r.scene_id, r.site_id]).toEqual([manifest[i]!.scene_id, manifest[i]!.site_id]);
      expect(r.generation_mw).toBe(tag(manifest[i]!));
      expect(r.co2_t_per_h).toBe(Math.floor(i / 5));
    });
    expect(predictor.maxInFlight).toBe(2);
    expect(progress.at(-1)).toBe(manifest.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('fails with the failing chunk and writes no file', async () => {
    const out = path.join(dir, 'failed.jsonl');
    const predictor = standIn(() => 5, 2);
    await expect(predictTiles({ tilesDir: world.tiles, predictor, out, chunk: 4 })).rejects.toThrow('chunk 2 failed');
    expect(existsSync(out)).toBe(false);
    // A failure in the prefetched chunk while an earlier one is awaited is reported, not unhandled.
    const early = standIn((call) => (call === 0 ? 30 : 1), 1);
    await expect(predictTiles({ tilesDir: world.tiles, predictor: early, out, chunk: 4 })).rejects.toThrow('chunk 1 failed');
    expect(existsSync(out)).toBe(false);
  });
});
