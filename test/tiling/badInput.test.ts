/**
 * Bad input, as the issue lists it: each case gets one line naming the file and the
 * problem; a bad scene does not stop the others and leaves nothing behind; problems with
 * the whole run (empty folder, bad sites, bad options) are usage/input errors (exit 2).
 * The CLI is driven in-process through the real program to check exit codes.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import { buildProgram } from '../../src/cli/index.js';
import { Raster } from '../../src/geo/tiff/openRaster.js';
import { tileScenes } from '../../src/tiling/tileScenes.js';
import { REPO_ROOT } from '../helpers/oracle.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/tiling');
const SITES = path.join(FIX, 'sites.geojson');
const GOOD = path.join(FIX, 'scenes/S2A_T19UDP_20170729T153641_rgb.tif');
const S2 = path.join(FIX, 'scenes/S2B_MSIL2A_20170729T153641_T19UDP');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'co2sat-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => {
  const d = path.join(tmp, `case${n++}`);
  mkdirSync(path.join(d, 'scenes'), { recursive: true });
  return d;
};

/** Runs one scene (plus a good one) and returns the failure reason of the bad one. */
async function failureOf(setup: (scenes: string) => void, extra: Record<string, unknown> = {}): Promise<{ item: string; reason: string; out: string }> {
  const d = fresh();
  const scenes = path.join(d, 'scenes');
  copyFileSync(GOOD, path.join(scenes, path.basename(GOOD)));
  setup(scenes);
  const out = path.join(d, 'tiles');
  const s = await tileScenes({ scenesDir: scenes, sitesFile: SITES, outDir: out, size: 8, ...extra });
  expect(s.scenes.tiled).toBe(1); // the good scene still ran
  expect(s.patches.written).toBeGreaterThan(0);
  expect(s.failures).toHaveLength(1);
  return { ...s.failures[0]!, out };
}

describe('bad scenes: one line naming the file, the others still tiled, nothing written for them', () => {
  it('a truncated GeoTIFF is caught at open even where windows would fall in its intact part', async () => {
    const src = readFileSync(path.join(FIX, 'encodings/u16_tiles_deflate.tif'));
    const f = await failureOf((s) => writeFileSync(path.join(s, 'cut_20200101T000000.tif'), src.subarray(0, Math.floor(src.length * 0.6))));
    expect(f.item).toMatch(/cut_20200101T000000\.tif$/);
    expect(f.reason).toMatch(/^truncated: tile \d+ ends at byte \d+, file has \d+ bytes$/);
    expect(existsSync(path.join(f.out, 'cut_20200101T000000'))).toBe(false);
  });

  it('random bytes named .tif', async () => {
    let seed = 7;
    const junk = Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff));
    const f = await failureOf((s) => writeFileSync(path.join(s, 'noise_20200101T000000.tif'), junk));
    expect(f.reason).toMatch(/^not a TIFF file \(4096 bytes, header [0-9a-f]{8}\)$/);
  });

  it('an unsupported compression is named by id', async () => {
    const f = await failureOf((s) => copyFileSync(path.join(FIX, 'bad/lzma_compressed.tif'), path.join(s, 'lzma_20200101T000000.tif')));
    expect(f.reason).toBe('unsupported compression LZMA (34925)');
  });

  it('a GeoTIFF without CRS', async () => {
    const f = await failureOf((s) => copyFileSync(path.join(FIX, 'bad/no_crs.tif'), path.join(s, 'nocrs_20200101T000000.tif')));
    expect(f.reason).toMatch(/^no CRS: the GeoTIFF has no GeoKeys/);
  });

  it('a user-defined CRS co2sat cannot read from the GeoKeys asks for --crs-proj4; with it the scene tiles', async () => {
    // Hotine oblique Mercator (GDAL writes ProjCoordTransGeoKey 9815), a method geoKeys.ts does not build.
    const omerc = path.join(REPO_ROOT, 'test/fixtures/crs/bad/user_defined_omerc_20200101T000000.tif');
    const f = await failureOf((s) => copyFileSync(omerc, path.join(s, path.basename(omerc))));
    expect(f.reason).toMatch(/user-defined \(no EPSG code\) and projection method 9815 \(ProjCoordTransGeoKey\) is not supported: pass its proj4 definition with option 'crs-proj4'/);
    // With the definition: a site at pixel (2.5, 1.5) tiles, and the patch keeps the CRS keys.
    const r = await Raster.open(omerc);
    const gt = r.geoTransform!;
    await r.close();
    const proj4 = '+proj=omerc +lat_0=4 +lonc=115 +alpha=53.31582047222222 +gamma=53.13010236111111 +k=0.99984 +x_0=590476.87 +y_0=442857.65 +ellps=evrst69 +units=m +no_defs';
    const { default: proj } = await import('proj4');
    const [lon, lat] = proj(proj4, 'EPSG:4326', [gt[0] + 2.5 * gt[1], gt[3] + 1.5 * gt[5]]);
    const d = fresh();
    copyFileSync(omerc, path.join(d, 'scenes', path.basename(omerc)));
    writeFileSync(path.join(d, 'sites.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { site_id: 'm1' } }] }));
    const s = await tileScenes({ scenesDir: path.join(d, 'scenes'), sitesFile: path.join(d, 'sites.geojson'), outDir: path.join(d, 'tiles'), size: 2, crsProj4: proj4 });
    expect(s.failures).toEqual([]);
    const rec = JSON.parse(readFileSync(path.join(d, 'tiles/manifest.jsonl'), 'utf8').trim()) as { epsg: number | null; window: unknown };
    expect(rec.epsg).toBeNull();
    expect(rec.window).toEqual({ xoff: 1, yoff: 0, width: 2, height: 2 });
    const patch = await Raster.open(path.join(d, 'tiles/user_defined_omerc_20200101T000000/m1.tif'));
    const source = await Raster.open(omerc);
    expect(patch.geoKeys?.directory).toEqual(source.geoKeys?.directory);
    await Promise.all([patch.close(), source.close()]);
  });

  it('a scene with no acquisition time asks for --datetime; with it the scene tiles at that time', async () => {
    const undated = path.join(FIX, 'encodings/u16_tiles_deflate.tif');
    const f = await failureOf((s) => copyFileSync(undated, path.join(s, 'undated.tif')));
    expect(f.item).toMatch(/undated\.tif$/);
    expect(f.reason).toMatch(/^no acquisition time: .*\(give one with option 'datetime'\)$/);

    const d = fresh();
    copyFileSync(undated, path.join(d, 'scenes', 'undated.tif'));
    const s = await tileScenes({ scenesDir: path.join(d, 'scenes'), sitesFile: SITES, outDir: path.join(d, 'tiles'), size: 8, datetime: '2017-08-13T17:40:00+02:00' });
    expect(s.failures).toEqual([]);
    expect(s.scenes.tiled).toBe(1);
    const lines = readFileSync(path.join(d, 'tiles', 'manifest.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
    for (const l of lines) expect((JSON.parse(l) as { datetime: string }).datetime).toBe('2017-08-13T15:40:00Z');
    await expect(tileScenes({ scenesDir: path.join(d, 'scenes'), sitesFile: SITES, outDir: path.join(d, 'tiles'), datetime: '2017-08-13T15:40' })).rejects.toThrow(
      /option 'datetime' must be an ISO 8601 date/,
    );
  });

  it('a per-band scene missing a band', async () => {
    const f = await failureOf((s) => {
      cpSync(S2, path.join(s, path.basename(S2)), { recursive: true });
      rmSync(path.join(s, path.basename(S2), 'T19UDP_20170729T153641_B05_20m.tif'));
    });
    expect(f.item).toMatch(/S2B_MSIL2A_20170729T153641_T19UDP$/);
    expect(f.reason).toBe('missing band B05 (band set sentinel2-l2a)');
    expect(existsSync(path.join(f.out, 'S2B_MSIL2A_20170729T153641_T19UDP'))).toBe(false);
  });

  it('bands in different CRSs', async () => {
    const set = path.join(tmp, 'two-bands.json');
    writeFileSync(set, JSON.stringify({ name: 'two-bands', file_pattern: '^(B0[23])_', bands: [{ id: 'B02' }, { id: 'B03' }] }));
    const f = await failureOf(
      (s) => {
        const dir = path.join(s, 'mixed_20170729T000000');
        mkdirSync(dir);
        copyFileSync(path.join(FIX, 'bad/B02_utm19.tif'), path.join(dir, 'B02_utm19.tif'));
        copyFileSync(path.join(FIX, 'bad/B03_utm20.tif'), path.join(dir, 'B03_utm20.tif'));
      },
      { bandSet: set },
    );
    expect(f.reason).toBe('bands in different CRSs: B02 is in EPSG:32619, B03 in EPSG:32620');
  });

  it('a scene that fails while patches are cut leaves no patch and no temporary file', async () => {
    // Valid header and byte ranges, corrupt DEFLATE data: found only when tiles decode.
    const src = Buffer.from(readFileSync(path.join(FIX, 'encodings/u16_tiles_deflate.tif')));
    for (let i = 400; i < src.length - 2000; i++) src[i] = 0x55;
    const d = fresh();
    const scenes = path.join(d, 'scenes');
    writeFileSync(path.join(scenes, 'S2A_T19UDP_20170729T153641_rgb.tif'), src);
    const s = await tileScenes({ scenesDir: scenes, sitesFile: SITES, outDir: path.join(d, 'tiles'), size: 8 });
    expect(s.failures).toHaveLength(1);
    expect(s.patches.written).toBe(0);
    const left = existsSync(path.join(d, 'tiles')) ? readdirSync(path.join(d, 'tiles'), { recursive: true }) : [];
    expect(left.filter((f) => String(f).endsWith('.tif') || String(f).endsWith('.tmp'))).toEqual([]);
  });
});

describe('run-level errors', () => {
  it('an empty scenes folder', async () => {
    const d = fresh();
    await expect(tileScenes({ scenesDir: path.join(d, 'scenes'), sitesFile: SITES, outDir: path.join(d, 'tiles') })).rejects.toThrow(/scenes: no scenes: the folder holds no GeoTIFF files/);
  });
  it('a missing scenes folder', async () => {
    await expect(tileScenes({ scenesDir: path.join(tmp, 'nowhere'), sitesFile: SITES })).rejects.toThrow(InputError);
  });
  it('a sites file that is not GeoJSON, before anything is written', async () => {
    const d = fresh();
    writeFileSync(path.join(d, 'sites.geojson'), 'plant,lon,lat\n');
    copyFileSync(GOOD, path.join(d, 'scenes', path.basename(GOOD)));
    await expect(tileScenes({ scenesDir: path.join(d, 'scenes'), sitesFile: path.join(d, 'sites.geojson'), outDir: path.join(d, 'tiles') })).rejects.toThrow(/sites\.geojson: not GeoJSON/);
    expect(existsSync(path.join(d, 'tiles'))).toBe(false);
  });
  it('bad options are usage errors', async () => {
    await expect(tileScenes({ scenesDir: tmp, sitesFile: SITES, size: 0 })).rejects.toThrow(UsageError);
    await expect(tileScenes({ scenesDir: tmp, sitesFile: SITES, concurrency: 0 })).rejects.toThrow(UsageError);
  });
});

describe('co2sat tile exit codes', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });
  async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
    const program = await buildProgram();
    program.exitOverride();
    for (const c of program.commands) c.exitOverride();
    let code = 0;
    try {
      await program.parseAsync(['node', 'co2sat', 'tile', ...args]);
      code = Number(process.exitCode ?? 0);
    } catch (err) {
      code = (err as { exitCode?: number }).exitCode ?? 1;
    }
    vi.restoreAllMocks();
    return { code, stdout, stderr };
  }

  it('0 when all scenes tile, with a --json summary', async () => {
    const d = fresh();
    copyFileSync(GOOD, path.join(d, 'scenes', path.basename(GOOD)));
    const r = await run([path.join(d, 'scenes'), '--sites', SITES, '--out', path.join(d, 'tiles'), '--size', '8', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { patches: { written: number }; failures: unknown[] };
    expect(j.patches.written).toBeGreaterThan(0);
    expect(j.failures).toEqual([]);
  });
  it('3 when a scene fails, the summary names it', async () => {
    const d = fresh();
    copyFileSync(GOOD, path.join(d, 'scenes', path.basename(GOOD)));
    writeFileSync(path.join(d, 'scenes', 'junk_20200101T000000.tif'), 'not a tiff');
    const r = await run([path.join(d, 'scenes'), '--sites', SITES, '--out', path.join(d, 'tiles'), '--json']);
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout) as { exit_code: number; failures: { item: string; reason: string }[] };
    expect(j.exit_code).toBe(3);
    expect(j.failures[0]!.item).toMatch(/junk_20200101T000000\.tif$/);
    expect(r.stderr).toMatch(/1 of 2 scenes failed/);
  });
  it('3 in text mode prints each failed scene exactly once', async () => {
    const d = fresh();
    copyFileSync(GOOD, path.join(d, 'scenes', path.basename(GOOD)));
    writeFileSync(path.join(d, 'scenes', 'junk_20200101T000000.tif'), 'not a tiff');
    const r = await run([path.join(d, 'scenes'), '--sites', SITES, '--out', path.join(d, 'tiles')]);
    expect(r.code).toBe(3);
    expect((r.stdout + r.stderr).split('junk_20200101T000000.tif').length - 1).toBe(1);
  });
  it('2 when every scene fails: nothing useful was done; each failure printed once', async () => {
    const d = fresh();
    writeFileSync(path.join(d, 'scenes', 'junk_20200101T000000.tif'), 'not a tiff');
    writeFileSync(path.join(d, 'scenes', 'more_20200102T000000.tif'), 'not a tiff either');
    const text = await run([path.join(d, 'scenes'), '--sites', SITES, '--out', path.join(d, 'tiles')]);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/all 2 scenes failed/);
    for (const name of ['junk_20200101T000000.tif', 'more_20200102T000000.tif']) {
      expect((text.stdout + text.stderr).split(name).length - 1, name).toBe(1);
    }
    const json = await run([path.join(d, 'scenes'), '--sites', SITES, '--out', path.join(d, 'tiles'), '--json']);
    expect(json.code).toBe(2);
    const lines = json.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!) as { exit_code: number; error_kind: string; failed: unknown[] }).toMatchObject({ exit_code: 2, error_kind: 'AllFailedError' });
  });
  it('names options as flags: the library says option \'datetime\', the CLI says --datetime', async () => {
    const d = fresh();
    copyFileSync(GOOD, path.join(d, 'scenes', path.basename(GOOD)));
    const r = await run([path.join(d, 'scenes'), '--sites', SITES, '--out', path.join(d, 'tiles'), '--datetime', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^co2sat: --datetime must be an ISO 8601 date/);
    expect(r.stderr).not.toContain("option 'datetime'");
  });
  it('2 for a missing --sites and for an empty folder', async () => {
    expect((await run([tmp])).code).toBe(2);
    const d = fresh();
    const r = await run([path.join(d, 'scenes'), '--sites', SITES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no scenes/);
  });
});
