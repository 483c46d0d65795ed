/**
 * loadPixels keeps many patch reads in flight (their I/O and inflate run on libuv's pool), so
 * reads finish out of order; each sample must still get its own patch, in the samples' order,
 * and a bad file must still fail naming itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readPatchPixels } from '../../src/model/patchInput.js';
import { patchReadersAvailable } from '../../src/model/patchReadPool.js';
import { loadData } from '../../src/train/loadData.js';
import { loadPixels } from '../../src/train/prepare.js';
import { makeTinyWorld, type TinyWorld } from './helpers/tinyWorld.js';

let dir: string;
let world: TinyWorld;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-loadpixels-'));
  world = await makeTinyWorld(path.join(dir, 'w'), { sites: 9, dates: 5, size: 16, seed: 21 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadPixels', () => {
  it('returns every sample its own patch in the samples’ order, read concurrently, and fills the cache', async () => {
    const { samples } = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
    expect(samples.length).toBeGreaterThan(30);
    // Reverse order: the result must follow the argument, not the manifest.
    const order = [...samples].reverse();
    // Every third patch already cached: those resolve at once, the others after their reads,
    // so completion order differs from the argument order.
    const cache = new Map();
    await loadPixels(order.filter((_, i) => i % 3 === 1), world.tiles, cache);
    const got = await loadPixels(order, world.tiles, cache);
    expect(got).toHaveLength(order.length);
    for (const [i, s] of order.entries()) {
      const want = await readPatchPixels(path.join(world.tiles, s.record.path));
      expect(got[i]!.bands.map((b) => Array.from(b)), s.record.path).toEqual(want.bands.map((b) => Array.from(b)));
    }
    expect(cache.size).toBe(order.length);
    // A second call is served from the cache (same objects).
    const again = await loadPixels(order, world.tiles, cache);
    again.forEach((p, i) => expect(p).toBe(got[i]));
  });

  it('reads the same pixels on reader threads as on this thread', async () => {
    // From the sources the reader module is there (a bundle without it reads on this thread).
    expect(patchReadersAvailable()).toBe(true);
    const { samples } = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
    const here = await loadPixels(samples, world.tiles, undefined, 1);
    const threads = await loadPixels(samples, world.tiles, undefined, 3);
    expect(threads).toHaveLength(samples.length);
    threads.forEach((p, i) => {
      expect(p.bands.map((b) => b.constructor.name)).toEqual(here[i]!.bands.map((b) => b.constructor.name));
      expect(p.bands.map((b) => Array.from(b))).toEqual(here[i]!.bands.map((b) => Array.from(b)));
      expect(Array.from(p.valid)).toEqual(Array.from(here[i]!.valid));
    });
  });

  it.each([1, 2])('fails naming the broken patch file (%i threads)', async (threads) => {
    const { samples } = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
    const bad = samples[17]!;
    const file = path.join(world.tiles, bad.record.path);
    writeFileSync(file, 'not a tiff');
    const err = await loadPixels(samples, world.tiles, undefined, threads).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).file).toBe(file);
    expect((err as Error).message).toMatch(/not a TIFF file/);
  });
});
