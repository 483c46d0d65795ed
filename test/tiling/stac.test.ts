/**
 * STAC items and remote COGs, end to end over real sockets: a Range-capable HTTP server on
 * 127.0.0.1 serves the Sentinel-2 L2A per-band fixture; Earth Search style items (asset keys
 * red/nir/scl…, http hrefs) and Planetary Computer style items (B04/SCL…, relative hrefs)
 * must tile byte for byte as the folder does from disk. A large generated COG shows that a
 * 64 px window costs a few percent of the file, and injected 503s, stalls and cut bodies are
 * retried, while a band that keeps failing fails its scene only (exit 3, nothing written).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tileCommand } from '../../src/cli/commands/tile.js';
import { readWindow } from '../../src/geo/readWindow.js';
import { defaultHttpReadPolicy, httpReadTotals, setHttpReadPolicy } from '../../src/geo/source/httpSource.js';
import { Raster } from '../../src/geo/tiff/openRaster.js';
import { writeGeoTiff } from '../../src/geo/writeGeoTiff.js';
import { tileScenes } from '../../src/tiling/tileScenes.js';
import { REPO_ROOT } from '../helpers/oracle.js';
import { runCommand } from '../helpers/runCommand.js';
import { startRangeServer, type RangeServer } from '../helpers/rangeServer.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/tiling');
const SITES_FILE = path.join(FIX, 'sites.geojson');
const S2 = 'S2B_MSIL2A_20170729T153641_T19UDP';
const SIZE = 16;

/** Earth Search v1 asset keys for Sentinel-2 L2A bands. */
const EARTH_SEARCH_KEYS: Record<string, string> = {
  B01: 'coastal', B02: 'blue', B03: 'green', B04: 'red', B05: 'rededge1', B06: 'rededge2', B07: 'rededge3',
  B08: 'nir', B8A: 'nir08', B09: 'nir09', B11: 'swir16', B12: 'swir22', SCL: 'scl',
};
const COMMON: Record<string, string> = { B01: 'coastal', B02: 'blue', B03: 'green', B04: 'red', B05: 'rededge', B06: 'rededge', B07: 'rededge', B08: 'nir', B8A: 'nir08', B09: 'nir09', B11: 'swir16', B12: 'swir22' };
const COG_TYPE = 'image/tiff; application=geotiff; profile=cloud-optimized';

let tmp: string;
let server: RangeServer;
let bandFiles: [string, string][];

function item(assets: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    id: S2,
    geometry: null,
    properties: { datetime: '2017-07-29T15:36:41Z', 'proj:epsg': 32619, ...extra },
    assets,
    links: [],
  };
}

/** An Earth Search style ItemCollection with http hrefs (and JP2 copies, a true-colour image and a thumbnail, which are not bands). */
function earthSearchItems(base: string): Record<string, unknown> {
  const assets: Record<string, unknown> = {};
  for (const [id, file] of bandFiles) {
    const key = EARTH_SEARCH_KEYS[id]!;
    assets[key] = { href: `${base}/${S2}/${file}`, type: COG_TYPE, roles: ['data'], 'eo:bands': id === 'SCL' ? undefined : [{ name: key, common_name: COMMON[id] }] };
    assets[`${key}-jp2`] = { href: `${base}/${S2}/${file.replace('.tif', '.jp2')}`, type: 'image/jp2', roles: ['data'] };
  }
  assets.visual = { href: `${base}/${S2}/${bandFiles[0]![1]}`, type: COG_TYPE, roles: ['visual'], 'eo:bands': [{ name: 'red', common_name: 'red' }, { name: 'green', common_name: 'green' }, { name: 'blue', common_name: 'blue' }] };
  assets.thumbnail = { href: `${base}/${S2}/preview.jpg`, type: 'image/jpeg', roles: ['thumbnail'] };
  return { type: 'FeatureCollection', features: [item(assets)] };
}

/** A Planetary Computer style Item (B04, SCL keys) with hrefs relative to the JSON file. */
function planetaryComputerItem(): Record<string, unknown> {
  const assets: Record<string, unknown> = {};
  for (const [id, file] of bandFiles) assets[id] = { href: `./${S2}/${file}`, type: COG_TYPE, 'eo:bands': [{ name: id, ...(COMMON[id] ? { common_name: COMMON[id] } : {}) }] };
  return item(assets);
}

/** Patch path → bytes under a tile output folder. */
function patches(out: string): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const d of readdirSync(out, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    for (const f of readdirSync(path.join(out, d.name))) m.set(`${d.name}/${f}`, readFileSync(path.join(out, d.name, f)));
  }
  return m;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'co2sat-stac-'));
  cpSync(path.join(FIX, 'scenes', S2), path.join(tmp, 'root', S2), { recursive: true });
  bandFiles = readdirSync(path.join(tmp, 'root', S2)).map((f) => [/_(B\d\w|SCL)_/.exec(f)![1]!, f]);
  server = await startRangeServer(path.join(tmp, 'root'));
});

afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

afterEach(() => {
  setHttpReadPolicy(defaultHttpReadPolicy());
  server.faults = () => 'ok';
});

describe('STAC items', () => {
  it('tile items.json (Earth Search, http) and a Planetary Computer item (relative hrefs) give the same patches byte for byte as the folder', async () => {
    const disk = await tileScenes({ scenesDir: path.join(tmp, 'root'), sitesFile: SITES_FILE, outDir: path.join(tmp, 'out-disk'), size: SIZE, concurrency: 2 });
    expect(disk.patches.written).toBeGreaterThan(0);
    const want = patches(path.join(tmp, 'out-disk'));

    writeFileSync(path.join(tmp, 'items.json'), JSON.stringify(earthSearchItems(server.url)));
    const before = { ...server.stats };
    const remote = await tileScenes({ scenesDir: path.join(tmp, 'items.json'), sitesFile: SITES_FILE, outDir: path.join(tmp, 'out-http'), size: SIZE, concurrency: 2 });
    expect(remote.failures).toEqual([]);
    expect(remote.patches.written).toBe(disk.patches.written);
    const got = patches(path.join(tmp, 'out-http'));
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [k, v] of want) expect(got.get(k)!.equals(v), k).toBe(true);
    // The cloud mask came from the scl asset: the same cloud and valid fractions per patch.
    const fractions = (out: string): string[] =>
      readFileSync(path.join(out, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => {
        const r = JSON.parse(l) as Record<string, unknown>;
        return JSON.stringify([r.scene_id, r.site_id, r.datetime, r.cloud_fraction, r.valid_fraction, r.path]);
      }).sort();
    expect(fractions(path.join(tmp, 'out-http'))).toEqual(fractions(path.join(tmp, 'out-disk')));
    // What the summary reports is what the server saw.
    expect(remote.remote_reads.requests).toBe(server.stats.requests - before.requests);
    expect(remote.remote_reads.bytes).toBe(server.stats.bytes - before.bytes);
    expect(remote.remote_reads.retries).toBe(0);

    writeFileSync(path.join(tmp, 'root', 'pc-item.json'), JSON.stringify(planetaryComputerItem()));
    const local = await tileScenes({ scenesDir: path.join(tmp, 'root', 'pc-item.json'), sitesFile: SITES_FILE, outDir: path.join(tmp, 'out-pc'), size: SIZE, concurrency: 2 });
    expect(local.failures).toEqual([]);
    const pc = patches(path.join(tmp, 'out-pc'));
    expect([...pc.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [k, v] of want) expect(pc.get(k)!.equals(v), k).toBe(true);
    rmSync(path.join(tmp, 'root', 'pc-item.json'));

    // A rerun is up to date: the key (item id, hrefs, ETag/Last-Modified) has not changed.
    const again = await tileScenes({ scenesDir: path.join(tmp, 'items.json'), sitesFile: SITES_FILE, outDir: path.join(tmp, 'out-http'), size: SIZE, concurrency: 2 });
    expect(again.patches.written).toBe(0);
    expect(again.patches.up_to_date).toBe(remote.patches.written);
    // A new version of one band file (new ETag and Last-Modified at the server) redoes the scene.
    const b04 = path.join(tmp, 'root', S2, bandFiles.find(([id]) => id === 'B04')![1]);
    utimesSync(b04, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    const changed = await tileScenes({ scenesDir: path.join(tmp, 'items.json'), sitesFile: SITES_FILE, outDir: path.join(tmp, 'out-http'), size: SIZE, concurrency: 2 });
    expect(changed.patches.written).toBe(remote.patches.written);
  });

  it('reports a missing band by its band-set id and refuses a non-STAC JSON file, naming it', async () => {
    const es = earthSearchItems(server.url) as { features: { assets: Record<string, unknown> }[] };
    delete es.features[0]!.assets.red;
    writeFileSync(path.join(tmp, 'no-red.json'), JSON.stringify(es));
    const s = await tileScenes({ scenesDir: path.join(tmp, 'no-red.json'), sitesFile: SITES_FILE, outDir: path.join(tmp, 'out-nored'), size: SIZE });
    expect(s.failures).toHaveLength(1);
    expect(s.failures[0]!.reason).toMatch(/missing band B04/);

    writeFileSync(path.join(tmp, 'not-stac.json'), JSON.stringify({ type: 'Point', coordinates: [0, 0] }));
    const r = await runCommand(tileCommand, [path.join(tmp, 'not-stac.json'), '--sites', SITES_FILE, '--out', path.join(tmp, 'out-bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not-stac.json');
    expect(r.stderr).toMatch(/not a STAC Item or ItemCollection/);
  });
});

describe('remote COG reads', () => {
  const W = 2048;
  let cog: string;
  beforeAll(async () => {
    // Noise plus a gradient: nothing compresses away, every tile differs.
    let seed = 12345;
    const data = new Uint16Array(W * W);
    for (let i = 0; i < data.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      data[i] = ((seed >>> 16) & 0x3ff) + ((i % W) >> 2);
    }
    cog = path.join(tmp, 'root', 'large_cog.tif');
    await writeGeoTiff(cog, { width: W, height: W, dataType: 'uint16', bands: [data], geoTransform: [500000, 10, 0, 5000000, 0, -10], epsg: 32632, blockSize: 256, datetime: '2024:01:02 10:25:59' });
  });

  async function windowOverHttp(): Promise<{ remote: Uint16Array; local: Uint16Array; bytes: number; requests: number }> {
    const w = { xoff: 1100, yoff: 1300, width: 64, height: 64 };
    const r = await Raster.open(`${server.url}/large_cog.tif`);
    try {
      const remote = (await readWindow(r, w))[0] as Uint16Array;
      const f = await Raster.open(cog);
      const local = (await readWindow(f, w))[0] as Uint16Array;
      await f.close();
      return { remote, local, bytes: r.bytesRead, requests: r.requests };
    } finally {
      await r.close();
    }
  }

  it('a 64 px window of a large COG reads < 5% of its bytes, counted at the server', async () => {
    const before = server.stats.bytes;
    const { remote, local, bytes } = await windowOverHttp();
    expect(Buffer.from(remote.buffer).equals(Buffer.from(local.buffer))).toBe(true);
    const served = server.stats.bytes - before;
    expect(served).toBe(bytes);
    expect(served / statSync(cog).size).toBeLessThan(0.05);
  });

  it('retries 503s, stalls and truncated bodies and returns the same pixels', async () => {
    setHttpReadPolicy({ backoffMs: 1, timeoutMs: 400, attempts: 4 });
    const start = server.stats.requests;
    const plan = ['503', 'stall', 'truncate'] as const;
    // Each distinct range fails once per fault kind before it succeeds (n counts all requests).
    server.faults = (n) => (n - start < 12 ? plan[(n - start) % 4] ?? 'ok' : 'ok');
    const retriesBefore = httpReadTotals().retries;
    const { remote, local } = await windowOverHttp();
    expect(Buffer.from(remote.buffer).equals(Buffer.from(local.buffer))).toBe(true);
    expect(httpReadTotals().retries - retriesBefore).toBeGreaterThanOrEqual(3);
  });

  it('a band that keeps failing fails its scene after the last retry: exit 3, the error names URL and range, nothing written', async () => {
    // A small head read, so the (small) fixture's blocks need requests of their own; the
    // header reads (the head at 0, geotiff.js's IFD read at 8) go through, every block read
    // of B04 answers 503: the scene opens and fails while tiling.
    setHttpReadPolicy({ backoffMs: 1, timeoutMs: 400, attempts: 3, headBytes: 512 });
    server.faults = (_n, file, range) => (file.startsWith(`${S2}/`) && file.includes('_B04_') && !/^bytes=(0|8)-/.test(range) ? '503' : 'ok');
    // Two items: the failing scene and a copy of it under another folder and id, which tiles.
    cpSync(path.join(tmp, 'root', S2), path.join(tmp, 'root', 'copy'), { recursive: true });
    const failing = earthSearchItems(server.url) as { features: Record<string, unknown>[] };
    const copy = JSON.parse(JSON.stringify(failing.features[0]).replaceAll(`/${S2}/`, '/copy/')) as Record<string, unknown>;
    failing.features.push({ ...copy, id: 'copy_of_scene' });
    writeFileSync(path.join(tmp, 'items-failing.json'), JSON.stringify(failing));
    const out = path.join(tmp, 'out-fail');
    const r = await runCommand(tileCommand, [path.join(tmp, 'items-failing.json'), '--sites', SITES_FILE, '--out', out, '--size', String(SIZE), '--json']);
    expect(r.code, r.stderr).toBe(3);
    const summary = JSON.parse(r.stdout) as { failures: { item: string; reason: string }[]; remote_reads: { retries: number }; scenes: { tiled: number } };
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]!.item, JSON.stringify(summary.failures)).toContain(`#${S2}`);
    expect(summary.scenes.tiled).toBe(1);
    expect(readdirSync(path.join(out, 'copy_of_scene')).length).toBeGreaterThan(0);
    expect(summary.failures[0]!.reason).toMatch(/_B04_10m\.tif: bytes \d+-\d+: failed after 3 tries, last: HTTP 503/);
    expect(summary.remote_reads.retries).toBeGreaterThan(0);
    const written = existsSync(path.join(out, S2)) ? readdirSync(path.join(out, S2)) : [];
    expect(written).toEqual([]);
  });
});
