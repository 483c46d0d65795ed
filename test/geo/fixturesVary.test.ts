/**
 * Every raster fixture holds real, varying data: a fixture filled with one value would let a
 * decoder that returns the fill value pass "byte-exact to GDAL". Fixtures with a nodata value
 * must also cross their nodata edge (hold both nodata and valid pixels), as make.sh says.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPatch } from '../../src/geo/readPatch.js';
import { REPO_ROOT } from '../helpers/oracle.js';

const ROOT = path.join(REPO_ROOT, 'test', 'fixtures', 'tiling');

function tiffsUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tiffsUnder(full);
    return /\.tif$/i.test(name) ? [full] : [];
  });
}

const fixtures = [...tiffsUnder(path.join(ROOT, 'encodings')), ...tiffsUnder(path.join(ROOT, 'scenes'))];

describe('raster fixtures hold varying data', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(35);
  });

  for (const file of fixtures) {
    it(path.relative(ROOT, file), async () => {
      const patch = await readPatch(file);
      for (const [b, band] of patch.bands.entries()) {
        const values = new Set<number>();
        for (const v of band) values.add(v);
        expect(values.size, `band ${b + 1} is constant`).toBeGreaterThan(1);
        if (patch.nodata !== null) {
          const nodata = patch.nodata;
          const isNodata = (v: number) => (Number.isNaN(nodata) ? Number.isNaN(v) : v === nodata);
          const valid = [...values].filter((v) => !isNodata(v)).length;
          expect(valid, `band ${b + 1} has only nodata`).toBeGreaterThan(1);
        }
      }
      if (patch.nodata !== null && /nodata|sinusoidal|3857|f32/.test(path.basename(file))) {
        // These crops are cut across the source's nodata edge on purpose.
        const nodata = patch.nodata;
        expect(patch.bands[0]!.some((v) => v === nodata), 'crosses its nodata edge').toBe(true);
      }
    });
  }
});
