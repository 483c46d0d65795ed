/**
 * `co2sat bench tiling`: patches per second and peak memory of `co2sat tile` against GDAL's
 * Python bindings doing the same windowed reads and DEFLATE writes (bench/tiling_gdal.py),
 * side by side in one run on one 10980 × 10980, 12-band UInt16, 256² tiled DEFLATE scene
 * made with GDAL (cached under the OS temp folder: making it takes minutes). Equal parallelism:
 * co2sat at concurrency N runs against a pool of N GDAL processes over the same sites (each
 * takes every N-th site), and again both at 1. Each side runs in its own process(es) so peak
 * RSS is its own: co2sat's one process's maxRSS, and the SUM of the pool's processes' maxRSS
 * (what the pool holds at most, if every process peaks at once). Sites are seeded-random
 * inside the scene.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proj4 from 'proj4';

export interface TilingBenchOptions {
  sites: number;
  size: number;
  /** co2sat concurrency = GDAL pool size for the main run (default cores); a run of both at 1 is added. */
  concurrency: number;
  /** Scene edge in pixels (default 10980, the full Sentinel-2 tile; smaller for the bench's own test). */
  edge?: number;
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
  load_average: number;
  /** Set when the 1-minute load was over half the cores: the numbers then measure the load too. */
  warnings: string[];
  /** co2sat's concurrency and the GDAL pool's process count in the main comparison. */
  concurrency: number;
  co2sat: SideResult & { concurrency: number };
  co2sat_single: SideResult & { concurrency: 1 };
  gdal: SideResult & { processes: number; version: string; cachemax_mb: number };
  gdal_single: SideResult & { processes: 1 };
  /** co2sat patches/s ÷ GDAL pool patches/s at equal parallelism (aim ≥ 1). */
  ratio_patches_per_s: number;
  /** The same with both at 1. */
  ratio_patches_per_s_single: number;
  /** co2sat peak RSS ÷ the GDAL pool's summed peak RSS at equal parallelism (aim ≤ 0.5). */
  ratio_peak_rss: number;
  /** The same with both at 1. */
  ratio_peak_rss_single: number;
  rss_counting: string;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = [path.resolve(HERE, '..'), path.resolve(HERE, '../..')].find((d) => existsSync(path.join(d, 'bench/tiling_gdal.py')))!;
const PEER = path.join(ROOT, 'bench/tiling_gdal.py');
const SCENE_NAME = 'scene_10980_12band_u16_deflate_T19UDP_20170729T153641.tif';
const GT = [399960, 10, 0, 5400000, 0, -10] as const;
const FULL_EDGE = 10980;

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
function writeSites(file: string, n: number, edge: number): void {
  const utm = '+proj=utm +zone=19 +datum=WGS84 +units=m +no_defs';
  let s = 12345;
  const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const features = Array.from({ length: n }, (_, i) => {
    const col = 40 + rnd() * (edge - 80);
    const row = 40 + rnd() * (edge - 80);
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
  const edge = o.edge ?? FULL_EDGE;
  const dir = o.cacheDir ?? path.join(os.tmpdir(), 'co2sat-bench-tiling');
  const sceneName = edge === FULL_EDGE ? SCENE_NAME : SCENE_NAME.replace('10980', String(edge));
  const scenes = path.join(dir, `scenes-${edge}`);
  mkdirSync(scenes, { recursive: true });
  const scene = path.join(dir, sceneName);
  if (!existsSync(scene)) {
    log(`making the ${edge}² 12-band scene with GDAL (${edge === FULL_EDGE ? 'minutes, ' : ''}cached at ${scene})`);
    await run(python(), [PEER, 'make-scene', scene, path.resolve(ROOT, '../shared/data/real'), String(edge)]);
  }
  const link = path.join(scenes, sceneName);
  if (!existsSync(link)) {
    rmSync(link, { force: true });
    symlinkSync(scene, link);
  }
  const sites = path.join(dir, `sites_${edge}_${o.sites}.geojson`);
  writeSites(sites, o.sites, edge);

  const [cmd, pre] = co2satChild();
  const runCo2sat = async (concurrency: number): Promise<RunResult> => {
    const out = path.join(dir, `out-co2sat-${concurrency}`);
    rmSync(out, { recursive: true, force: true });
    log(`co2sat tile, ${o.sites} sites, concurrency ${concurrency}`);
    const r = JSON.parse((await run(cmd, [...pre, scenes, sites, out, String(o.size), String(concurrency)])).trim().split('\n').pop() ?? '') as {
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
  // A pool of `processes` GDAL processes started together, each on every processes-th site.
  // Each times itself from opening the scene (after its imports, as co2sat's child times
  // itself after its own); the pool's time is the slowest member's, its RSS the sum.
  const runGdal = async (processes: number): Promise<RunResult> => {
    const out = path.join(dir, `out-gdal-${processes}`);
    rmSync(out, { recursive: true, force: true });
    log(`GDAL python pool of ${processes}, ${o.sites} sites`);
    const members = await Promise.all(
      Array.from({ length: processes }, async (_, k) =>
        JSON.parse((await run(python(), [PEER, 'tile', scene, sites, out, String(o.size), String(k), String(processes)])).trim()) as {
          patches: number;
          seconds: number;
          peak_rss_mb: number;
          gdal_version: string;
          gdal_cachemax_mb: number;
        },
      ),
    );
    gdalVersion = members[0]?.gdal_version ?? '';
    cachemax = members[0]?.gdal_cachemax_mb ?? 0;
    return {
      patches: members.reduce((a, m) => a + m.patches, 0),
      seconds: Math.max(...members.map((m) => m.seconds)),
      peak_rss_mb: members.reduce((a, m) => a + m.peak_rss_mb, 0),
    };
  };
  const rounds = o.rounds ?? 3;
  const cores = os.availableParallelism();
  const loadAverage = os.loadavg()[0] ?? 0;
  const warnings: string[] = [];
  if (loadAverage > 0.5 * cores) {
    warnings.push(`1-minute load average ${loadAverage.toFixed(2)} is over half the ${cores} cores: other work is running, and these numbers measure it too`);
    log(`warning: ${warnings[0]}`);
  }
  type Run = 'gdal' | 'gdal_single' | 'co2sat' | 'co2sat_single';
  const runs: Record<Run, RunResult[]> = { gdal: [], gdal_single: [], co2sat: [], co2sat_single: [] };
  const jobs: [Run, () => Promise<RunResult>][] = [
    ['gdal', () => runGdal(o.concurrency)],
    ['co2sat', () => runCo2sat(o.concurrency)],
    ['gdal_single', () => runGdal(1)],
    ['co2sat_single', () => runCo2sat(1)],
  ];
  // Interleaved, order rotated each round, so both sides share the machine's moods.
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < jobs.length; k++) {
      const job = jobs[(k + r) % jobs.length];
      if (job) runs[job[0]].push(await job[1]());
    }
  }
  const gdal = { ...best(runs.gdal), processes: o.concurrency, version: gdalVersion, cachemax_mb: cachemax };
  const gdalSingle = { ...best(runs.gdal_single), processes: 1 as const };
  const co2sat = best(runs.co2sat);
  const single = best(runs.co2sat_single);
  return {
    bench: 'tiling',
    date: new Date().toISOString(),
    machine: { cpus: cores, cpu_model: os.cpus()[0]?.model ?? 'unknown', node: process.version, mem_gb: Math.round(os.totalmem() / 2 ** 30) },
    scene: { file: scene, width: edge, height: edge, bands: 12, type: 'UInt16', block: '256x256 pixel-interleaved', compression: 'DEFLATE', bytes: statSync(scene).size },
    sites: o.sites,
    size: o.size,
    rounds,
    load_average: loadAverage,
    warnings,
    concurrency: o.concurrency,
    co2sat: { ...co2sat, concurrency: o.concurrency },
    co2sat_single: { ...single, concurrency: 1 },
    gdal,
    gdal_single: gdalSingle,
    ratio_patches_per_s: co2sat.patches_per_s / gdal.patches_per_s,
    ratio_patches_per_s_single: single.patches_per_s / gdalSingle.patches_per_s,
    ratio_peak_rss: co2sat.peak_rss_mb / gdal.peak_rss_mb,
    ratio_peak_rss_single: single.peak_rss_mb / gdalSingle.peak_rss_mb,
    rss_counting:
      "co2sat: its one process's maxRSS (getrusage); GDAL: the sum of the pool's processes' maxRSS (getrusage each); the highest over rounds",
  };
}

export function formatTilingBench(r: TilingBenchResult): string {
  const row = (name: string, s: SideResult): string =>
    `${name.padEnd(26)} ${s.patches.toString().padStart(6)} ${s.seconds.toFixed(2).padStart(8)} ${s.patches_per_s.toFixed(1).padStart(10)} ${s.peak_rss_mb.toFixed(0).padStart(9)}`;
  return [
    `tiling bench: ${r.sites} sites, ${r.size}² patches from a ${r.scene.width}² ${r.scene.bands}-band ${r.scene.type} ${r.scene.block} ${r.scene.compression} scene (${(r.scene.bytes / 2 ** 30).toFixed(2)} GiB)`,
    `machine: ${r.machine.cpus} cpus, ${r.machine.cpu_model}, node ${r.machine.node}, load ${r.load_average.toFixed(2)}; GDAL ${r.gdal.version} (GDAL_CACHEMAX ${r.gdal.cachemax_mb.toFixed(0)} MB)`,
    `fastest of ${r.rounds} interleaved rounds (all times in --json)`,
    `${'run'.padEnd(26)} ${'patches'.padStart(6)} ${'seconds'.padStart(8)} ${'patches/s'.padStart(10)} ${'peak MB'.padStart(9)}`,
    row(`co2sat (concurrency ${r.co2sat.concurrency})`, r.co2sat),
    row(`GDAL python (${r.gdal.processes} processes)`, r.gdal),
    row('co2sat (concurrency 1)', r.co2sat_single),
    row('GDAL python (1 process)', r.gdal_single),
    `at ${r.concurrency}: patches/s ratio co2sat/GDAL ${r.ratio_patches_per_s.toFixed(2)}, peak RSS ratio ${r.ratio_peak_rss.toFixed(2)}`,
    `at 1: patches/s ratio ${r.ratio_patches_per_s_single.toFixed(2)}, peak RSS ratio ${r.ratio_peak_rss_single.toFixed(2)}`,
    `peak RSS: ${r.rss_counting}`,
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}
