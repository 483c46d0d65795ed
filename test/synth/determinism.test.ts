import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, makeWorld, type TestWorld } from './helpers.js';

const OPTIONS = { sites: 2, dates: 3, size: 192, missing: 0.3, preview: true } as const;

describe('synth determinism', () => {
  let a: TestWorld;
  let b: TestWorld;
  let c: TestWorld;
  beforeAll(async () => {
    a = await makeWorld({ ...OPTIONS, seed: 11 });
    b = await makeWorld({ ...OPTIONS, seed: 11 });
    c = await makeWorld({ ...OPTIONS, seed: 12 });
  }, 120_000);
  afterAll(() => [a, b, c].forEach((w) => w?.cleanup()));

  it('writes identical bytes for the same seed, every file', () => {
    const files = listFiles(a.dir);
    expect(files).toEqual(listFiles(b.dir));
    // 3 scenes × 13 band files + labels, weather, sites, truth, preview
    expect(files.length).toBe(3 * 13 + 5);
    for (const f of files) expect(readFileSync(path.join(b.dir, f)).equals(readFileSync(path.join(a.dir, f))), f).toBe(true);
  });

  it('writes different pixels, plants and labels for a different seed', () => {
    const files = listFiles(a.dir).filter((f) => f.endsWith('.tif') || f.endsWith('.csv') || f.endsWith('.geojson'));
    expect(listFiles(c.dir)).toEqual(listFiles(a.dir)); // same names: names depend on dates only
    for (const f of files) expect(readFileSync(path.join(c.dir, f)).equals(readFileSync(path.join(a.dir, f))), f).toBe(false);
  });
});
