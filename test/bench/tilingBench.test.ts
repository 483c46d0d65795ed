/**
 * `co2sat bench tiling` on a small scene (1098², same grid and bands as the full-size one):
 * the JSON carries the equal-parallelism comparison (a GDAL pool as large as co2sat's
 * concurrency, covering every site once), the ratios as the quotients of what it reports, and
 * the load. Shape only: no timed assertions (numbers go to BENCHMARKS.md).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTilingBench } from '../../bench/tiling.js';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const HAS_GDAL_PYTHON =
  process.env.CO2SAT_TEST_WITHOUT_GDAL !== '1' && spawnSync(PYTHON, ['-c', 'from osgeo import gdal'], { encoding: 'utf8' }).status === 0;
if (!HAS_GDAL_PYTHON) console.warn(`skipping the tiling bench test: GDAL's Python bindings (the bench's peer) are missing for ${PYTHON}`);

describe.skipIf(!HAS_GDAL_PYTHON)('bench tiling on a small scene', () => {
  it('compares co2sat at concurrency N with a pool of N GDAL processes, and both at 1', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'bench-tiling-'));
    const sites = 23;
    const r = await runTilingBench({ sites, size: 32, concurrency: 2, rounds: 1, edge: 1098, cacheDir });

    expect(r.concurrency).toBe(2);
    expect(r.co2sat.concurrency).toBe(2);
    expect(r.gdal.processes).toBe(2);
    expect(r.co2sat_single.concurrency).toBe(1);
    expect(r.gdal_single.processes).toBe(1);
    expect(r.scene).toMatchObject({ width: 1098, height: 1098, bands: 12 });
    // Every site lies inside the scene: each side writes one patch per site, the pool's
    // members together exactly once each (odd site count: the shards differ in size).
    for (const side of [r.co2sat, r.co2sat_single, r.gdal, r.gdal_single]) {
      expect(side.patches).toBe(sites);
      expect(side.all_seconds).toHaveLength(1);
      expect(side.seconds).toBeGreaterThan(0);
      expect(side.peak_rss_mb).toBeGreaterThan(0);
    }
    const tifs = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.tif'))
        .map((f) => path.basename(f))
        .sort();
    expect(tifs(path.join(cacheDir, 'out-gdal-2'))).toHaveLength(sites);
    expect(tifs(path.join(cacheDir, 'out-gdal-2'))).toEqual(tifs(path.join(cacheDir, 'out-co2sat-2')).map((f) => f.replace(/^.*(bench-\d{4})/, '$1')));
    expect(r.ratio_patches_per_s).toBeCloseTo(r.co2sat.patches_per_s / r.gdal.patches_per_s, 10);
    expect(r.ratio_patches_per_s_single).toBeCloseTo(r.co2sat_single.patches_per_s / r.gdal_single.patches_per_s, 10);
    expect(r.ratio_peak_rss).toBeCloseTo(r.co2sat.peak_rss_mb / r.gdal.peak_rss_mb, 10);
    expect(r.ratio_peak_rss_single).toBeCloseTo(r.co2sat_single.peak_rss_mb / r.gdal_single.peak_rss_mb, 10);
    expect(r.rss_counting).toMatch(/sum/);
    expect(Number.isFinite(r.load_average)).toBe(true);
    // The warning appears exactly when the load taken before the runs was over half the cores.
    expect(r.warnings.length > 0).toBe(r.load_average > 0.5 * r.machine.cpus);
    // The JSON the CLI prints is this object: it survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
