/**
 * `co2sat bench tiling`: patches per second and peak memory of `co2sat tile` against GDAL's
 * Python bindings doing the same windowed reads and DEFLATE writes (bench/tiling_gdal.py),
 * side by side in one run on one 10980 × 10980, 12-band UInt16, 256² tiled DEFLATE scene
 * made with GDAL (cached under the OS temp folder: making it takes minutes). Each side runs
 * in its own process so peak RSS is its own; sites are seeded-random inside the scene.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proj4 from 'proj4';

export interface TilingBenchOptions {
  sites: number;
  size: number;
  /** co2sat concurrency for the main run (default cores); a concurrency-1 run is added. */
  concurrency: number;
  /** Rounds of all three runs (order rotated); the fastest run of each side is reported. */
  rounds?: number;
  cacheDir?: string;
  log?: (message: string) => void;
}

export interface SideResult {
  patches: number;
  /** Fastest round (shared machines are noisy: the fastest run is the least disturbed). */
  seconds: number;
  /** Every round's time, in run order. */
  all_seconds: number[];
  patches_per_s: number;
  peak_rss_mb: number;
}

export interface TilingBenchResult {
  bench: 'tiling';
  date: string;
  machine: { cpus: number; cpu_model: string; node: string; mem_gb: number };
  scene: { file: string; width: number; height: number; bands: number; type: string; block: string; compression: string; bytes: number };
  sites: number;
  size: number;
  rounds: number;
  /** 1-minute load average before the first run (other work on the machine). */
  load_before: number;
  co2sat: SideResult & { concurrency: number };
  co2sat_single: SideResult & { concurrency: 1 };
  gdal: SideResult & { version: string; cachemax_mb: number };
  /** co2sat patches/s ÷ GDAL patches/s (aim ≥ 1). */
  ratio_speed: number;
  /** co2sat at concurrency 1 ÷ GDAL (both one reader). */
  ratio_speed_single: number;
  /** co2sat peak RSS ÷ GDAL peak RSS. */
  ratio_rss: number;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = [path.resolve(HERE, '..'), path.resolve(HERE, '../..')].find((d) => existsSync(path.join(d, 'bench/tiling_gdal.py')))!;
const PEER = path.join(ROOT, 'bench/tiling_gdal.py');
const SCENE_NAME = 'scene_10980_12band_u16_deflate_T19UDP_20170729T153641.tif';
const GT = [399960, 10, 0, 5400000, 0, -10] as const;
const EDGE = 10980;

/** Debian's python3 has python3-gdal; a pyenv shim earlier in PATH may not. */
function python(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`))));
  });
}

/** Seeded sites spread over the scene (LCG), as WGS 84 GeoJSON. */
function writeSites(file: string, n: number): void {
  const utm = '+proj=utm +zone=19 +datum=WGS84 +units=m +no_defs';
  let s = 12345;
  const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const features = Array.from({ length: n }, (_, i) => {
    const col = 40 + rnd() * (EDGE - 80);
    const row = 40 + rnd() * (EDGE - 80);
    const [lon, lat] = proj4(utm, 'EPSG:4326', [GT[0] + col * GT[1], GT[3] + row * GT[5]]);
    return { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { site_id: `bench-${String(i).padStart(4, '0')}` } };
  });
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
}

/** The co2sat child: compiled JS when running from dist, vite-node on the sources otherwise. */
function co2satChild(): [string, string[]] {
  const js = path.join(HERE, 'tilingRun.js');
  if (existsSync(js)) return [process.execPath, [js]];
  return [process.execPath, [path.join(ROOT, 'node_modules/vite-node/vite-node.mjs'), path.join(ROOT, 'bench/tilingRun.ts'), '--']];
}

interface RunResult {
  patches: number;
  seconds: number;
  peak_rss_mb: number;
}

/** The fastest of several runs, with every time and the highest peak RSS. */
function best(runs: RunResult[]): SideResult {
  const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return {
    patches: fastest.patches,
    seconds: fastest.seconds,
    all_seconds: runs.map((r) => r.seconds),
    patches_per_s: fastest.patches / fastest.seconds,
    peak_rss_mb: Math.max(...runs.map((r) => r.peak_rss_mb)),
  };
}

export async function runTilingBench(o: TilingBenchOptions): Promise<TilingBenchResult> {
  const log = o.log ?? (() => undefined);
  try {
    await run(python(), ['-c', 'from osgeo import gdal']);
  } catch {
    throw new Error(`bench tiling needs GDAL's Python bindings for ${python()} (Debian: apt-get install python3-gdal)`);
  }
  const dir = o.cacheDir ?? path.join(os.tmpdir(), 'co2sat-bench-tiling');
  const scenes = path.join(dir, 'scenes');
  mkdirSync(scenes, { recursive: true });
  const scene = path.join(dir, SCENE_NAME);
  if (!existsSync(scene)) {
    log(`making the 10980² 12-band scene with GDAL (minutes, cached at ${scene})`);
    await run(python(), [PEER, 'make-scene', scene, path.resolve(ROOT, '../shared/data/real')]);
  }
  const link = path.join(scenes, SCENE_NAME);
  if (!existsSync(link)) {
    rmSync(link, { force: true });
    (await import('node:fs')).symlinkSync(scene, link);
  }
  const sites = path.join(dir, `sites_${o.sites}.geojson`);
  writeSites(sites, o.sites);

  const [cmd, pre] = co2satChild();
  const runCo2sat = async (concurrency: number): Promise<RunResult> => {
    const out = path.join(dir, `out-co2sat-${concurrency}`);
    rmSync(out, { recursive: true, force: true });
    log(`co2sat tile, ${o.sites} sites, concurrency ${concurrency}`);
    const r = JSON.parse((await run(cmd, [...pre, scenes, sites, out, String(o.size), String(concurrency)])).trim().split('\n').pop()!) as {
      patches: number;
      seconds: number;
      peak_rss_mb: number;
      failures: unknown[];
    };
    if (r.failures.length > 0) throw new Error(`co2sat failed: ${JSON.stringify(r.failures)}`);
    return r;
  };
  let gdalVersion = '';
  let cachemax = 0;
  const runGdal = async (): Promise<RunResult> => {
    const out = path.join(dir, 'out-gdal');
    rmSync(out, { recursive: true, force: true });
    log(`GDAL python peer, ${o.sites} sites`);
    const r = JSON.parse((await run(python(), [PEER, 'tile', scene, sites, out, String(o.size)])).trim()) as {
      patches: number;
      seconds: number;
      peak_rss_mb: number;
      gdal_version: string;
      gdal_cachemax_mb: number;
    };
    gdalVersion = r.gdal_version;
    cachemax = r.gdal_cachemax_mb;
    return r;
  };
  const rounds = o.rounds ?? 3;
  const loadBefore = os.loadavg()[0]!;
  const runs: Record<'gdal' | 'co2sat' | 'single', RunResult[]> = { gdal: [], co2sat: [], single: [] };
  const jobs: ['gdal' | 'co2sat' | 'single', () => Promise<RunResult>][] = [
    ['gdal', runGdal],
    ['co2sat', () => runCo2sat(o.concurrency)],
    ['single', () => runCo2sat(1)],
  ];
  // Interleaved, order rotated each round, so both sides share the machine's moods.
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < jobs.length; k++) {
      const [name, job] = jobs[(k + r) % jobs.length]!;
      runs[name].push(await job());
    }
  }
  const gdal = { ...best(runs.gdal), version: gdalVersion, cachemax_mb: cachemax };
  const co2sat = best(runs.co2sat);
  const single = best(runs.single);
  return {
    bench: 'tiling',
    date: new Date().toISOString(),
    machine: { cpus: os.availableParallelism(), cpu_model: os.cpus()[0]?.model ?? 'unknown', node: process.version, mem_gb: Math.round(os.totalmem() / 2 ** 30) },
    scene: { file: scene, width: EDGE, height: EDGE, bands: 12, type: 'UInt16', block: '256x256 pixel-interleaved', compression: 'DEFLATE', bytes: statSync(scene).size },
    sites: o.sites,
    size: o.size,
    rounds,
    load_before: loadBefore,
    co2sat: { ...co2sat, concurrency: o.concurrency },
    co2sat_single: { ...single, concurrency: 1 },
    gdal,
    ratio_speed: co2sat.patches_per_s / gdal.patches_per_s,
    ratio_speed_single: single.patches_per_s / gdal.patches_per_s,
    ratio_rss: co2sat.peak_rss_mb / gdal.peak_rss_mb,
  };
}

export function formatTilingBench(r: TilingBenchResult): string {
  const row = (name: string, s: SideResult): string =>
    `${name.padEnd(26)} ${s.patches.toString().padStart(6)} ${s.seconds.toFixed(2).padStart(8)} ${s.patches_per_s.toFixed(1).padStart(10)} ${s.peak_rss_mb.toFixed(0).padStart(9)}`;
  return [
    `tiling bench: ${r.sites} sites, ${r.size}² patches from a ${r.scene.width}² ${r.scene.bands}-band ${r.scene.type} ${r.scene.block} ${r.scene.compression} scene (${(r.scene.bytes / 2 ** 30).toFixed(2)} GiB)`,
    `machine: ${r.machine.cpus} cpus, ${r.machine.cpu_model}, node ${r.machine.node}, load ${r.load_before.toFixed(1)}; GDAL ${r.gdal.version} (GDAL_CACHEMAX ${r.gdal.cachemax_mb.toFixed(0)} MB)`,
    `fastest of ${r.rounds} interleaved rounds (all times in --json)`,
    `${'run'.padEnd(26)} ${'patches'.padStart(6)} ${'seconds'.padStart(8)} ${'patches/s'.padStart(10)} ${'peak MB'.padStart(9)}`,
    row(`co2sat (concurrency ${r.co2sat.concurrency})`, r.co2sat),
    row('co2sat (concurrency 1)', r.co2sat_single),
    row('GDAL python', r.gdal),
    `speed ratio co2sat/GDAL: ${r.ratio_speed.toFixed(2)} (concurrency 1: ${r.ratio_speed_single.toFixed(2)}); peak RSS ratio: ${r.ratio_rss.toFixed(2)}`,
  ].join('\n');
}
