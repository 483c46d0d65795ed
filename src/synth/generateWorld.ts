/**
 * `generateWorld`: writes a whole synthetic world — Sentinel-2 L2A scenes, sites, labels
 * with missing cells, weather and truth — deterministically from a seed. The demo and
 * `co2sat synth` both call it.
 *
 * The world is built into a temporary sibling folder and swapped in at the end, so a crash
 * leaves the previous world intact and a rerun simply redoes it. Scenes are rendered band
 * by band at native resolution; with per-band layout peak memory is one band (plus cached
 * layers for grids up to 2000²).
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { OptionError } from '../errors.js';
import { loadEmissionFactors } from '../model/physics.js';
import { isAlive, syncDirectory, writeFileAtomic } from '../io/atomicWrite.js';
import { dnToReflectance } from './bands.js';
import { skyPlan, type SkyPlan } from './clouds.js';
import { createLandscape } from './landscape.js';
import { LandCache, SceneLayers } from './layers.js';
import { observeSample, type SampleObservation } from './observe.js';
import { resolveSynthOptions, type ResolvedSynthOptions, type SynthOptions } from './options.js';
import { PreviewCanvas } from './preview.js';
import { writeMultibandScene, writePerBandScene, type BandSink } from './products.js';
import { writeTables } from './tables.js';
import { buildScene, sceneNames } from './scene.js';
import { truthDocument } from './truth.js';
import { formatTruth, type TruthDocument } from '../records/truth.js';
import { buildWorld, type Sample, type World } from './world.js';
import { loadFleetProfile } from './fleet.js';
import { fleetStatistics, type FleetStatistics } from './fleetStatistics.js';

export interface SynthSummary {
  out: string;
  seed: number;
  fleet: string;
  size: number;
  sites: number;
  dates: number;
  layout: string;
  scenes: number;
  files: number;
  bytes: number;
  samples: number;
  /** Blank cells per task in labels.csv. */
  missing_labels: { active: number; generation_mw: number; co2_t_per_h: number };
  noise_floor: TruthDocument['noise_floor'];
  baselines: TruthDocument['baselines'];
  /** The world's fleet statistics (what `--report` prints). */
  fleet_statistics: FleetStatistics;
  preview: string | null;
  seconds: number;
}

/** Radius (10 m pixels) of the disk the naive brightness baseline averages. */
const BRIGHTNESS_RADIUS_PX = 30;

/** The scene the preview shows: the clearest full-swath date with the most plants running. */
function previewDate(world: World, plans: readonly SkyPlan[]): number {
  let best = 0;
  let bestScore = -Infinity;
  plans.forEach((p, d) => {
    const running = world.samples[d]!.filter((s) => s.op.active).length;
    const score = -p.cover * 10 - (p.edge ? 5 : 0) - (p.cirrus ? 1 : 0) + running / Math.max(1, world.plants.length);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  });
  return best;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function prepareOut(out: string): Promise<string> {
  if (existsSync(out)) {
    const entries = await fs.readdir(out).catch(() => null);
    if (entries === null) throw new OptionError('out', `${out} exists and is not a folder`);
    if (entries.length > 0 && !entries.includes('truth.json')) {
      throw new OptionError('out', `${out} is not empty and holds no earlier synthetic world (truth.json): refusing to replace it`);
    }
  }
  const base = out.replace(/[\\/]+$/, '');
  // Leftovers of killed runs (their process is gone) would otherwise pile up beside `out`.
  const parent = path.dirname(base);
  for (const name of await fs.readdir(parent).catch(() => [] as string[])) {
    const m = new RegExp(`^${escapeRegExp(path.basename(base))}\\.(?:partial|old)-(\\d+)$`).exec(name);
    if (m && !isAlive(Number(m[1]))) await fs.rm(path.join(parent, name), { recursive: true, force: true });
  }
  const tmp = `${base}.partial-${process.pid}`;
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  return tmp;
}

async function swapIn(tmp: string, out: string): Promise<void> {
  if (existsSync(out)) {
    const old = `${out.replace(/[\\/]+$/, '')}.old-${process.pid}`;
    await fs.rename(out, old);
    await fs.rename(tmp, out);
    await syncDirectory(path.dirname(out));
    await fs.rm(old, { recursive: true, force: true });
  } else {
    await fs.rename(tmp, out);
    await syncDirectory(path.dirname(out));
  }
}

function brightnessSink(samples: readonly Sample[], grid: World['grid'], acc: { sum: Float64Array; n: Uint32Array }): BandSink {
  const R = BRIGHTNESS_RADIUS_PX;
  const size = grid.size;
  return (bandIdx, res, data) => {
    if (res !== 10 || bandIdx < 1 || bandIdx > 3) return; // B02, B03, B04
    samples.forEach((s, i) => {
      const c0 = Math.floor((s.plant.x - grid.originX) / 10);
      const r0 = Math.floor((grid.originY - s.plant.y) / 10);
      for (let r = Math.max(0, r0 - R); r <= Math.min(size - 1, r0 + R); r++) {
        for (let c = Math.max(0, c0 - R); c <= Math.min(size - 1, c0 + R); c++) {
          if ((r - r0) ** 2 + (c - c0) ** 2 > R * R) continue;
          const v = data[r * size + c]!;
          if (v === 0) continue;
          acc.sum[i]! += dnToReflectance(v);
          acc.n[i]!++;
        }
      }
    });
  };
}

/**
 * Generates a synthetic world into `options.out`.
 * @throws UsageError for bad options or an `out` folder that holds something else
 * @example
 * const summary = await generateWorld({ out: 'world', sites: 6, dates: 36, size: 512, seed: 7 });
 * console.log(summary.noise_floor.generation_mae_mw);
 */
export async function generateWorld(options: SynthOptions): Promise<SynthSummary> {
  const started = Date.now();
  const o: ResolvedSynthOptions = resolveSynthOptions(options, path.join);
  const factors = loadEmissionFactors();
  const world = buildWorld({ seed: o.seed, sites: o.sites, dates: o.dates, size: o.size }, loadFleetProfile(o.fleet));
  const tmp = await prepareOut(o.out);
  try {
    const land = new LandCache(createLandscape(o.seed, world.grid, world.plants));
    const plans = world.acquisitions.map((a) => skyPlan(o.seed, world.grid, a));
    const names = world.acquisitions.map((a) => sceneNames(world.grid.tileId, a));
    const preview = o.preview !== null ? previewDate(world, plans) : -1;
    const filesPerScene = o.layout === 'per-band' ? 13 : 2;
    const total = world.acquisitions.length * filesPerScene;
    let done = 0;
    let bytes = 0;
    const observations: SampleObservation[][] = [];
    const brightness: (number | null)[][] = [];
    const scenesDir = path.join(tmp, 'scenes');
    let canvas: PreviewCanvas | null = null;
    for (let d = 0; d < world.acquisitions.length; d++) {
      const scene = buildScene(world, d);
      const layers = new SceneLayers(scene, world.grid, land);
      const samples = world.samples[d]!;
      observations.push(samples.map((s) => observeSample(s, scene.sky)));
      const acc = { sum: new Float64Array(samples.length), n: new Uint32Array(samples.length) };
      const sinkBright = brightnessSink(samples, world.grid, acc);
      if (d === preview) canvas = new PreviewCanvas(world.grid, 512);
      const c = d === preview ? canvas : null;
      const sink: BandSink = (b, res, data) => {
        sinkBright(b, res, data);
        if (c && res === 10 && data instanceof Uint16Array && b >= 1 && b <= 3) c.add((3 - b) as 0 | 1 | 2, data);
      };
      const onFile = () => {
        done++;
        o.onProgress?.({ done, total, label: scene.sceneId });
      };
      const files =
        o.layout === 'per-band'
          ? await writePerBandScene(scenesDir, world.grid, layers, sink, onFile)
          : await writeMultibandScene(scenesDir, path.join(tmp, 'scl'), world.grid, layers, sink, onFile);
      for (const f of files) bytes += (await fs.stat(f)).size;
      // Mean of three bands' means: each band contributes the same pixel set.
      brightness.push(samples.map((_, i) => (acc.n[i]! > 0 ? acc.sum[i]! / acc.n[i]! : null)));
    }
    const masks = await writeTables(tmp, world, o.seed, o.missing);
    const truth = truthDocument(world, o.layout, o.missing, plans, names, observations, brightness, factors, masks);
    await writeFileAtomic(path.join(tmp, 'truth.json'), formatTruth(truth));
    let previewPath: string | null = null;
    if (canvas && o.preview) {
      const png = (canvas as PreviewCanvas).encode(world.samples[preview]!);
      // A preview path inside --out lands in the world folder; elsewhere it is written directly.
      const rel = path.relative(o.out, o.preview);
      const inside = !rel.startsWith('..') && !path.isAbsolute(rel);
      await writeFileAtomic(inside ? path.join(tmp, rel) : o.preview, png);
      previewPath = o.preview;
    }
    await swapIn(tmp, o.out);
    return {
      out: o.out,
      seed: o.seed,
      fleet: world.fleet.name,
      size: o.size,
      sites: o.sites,
      dates: o.dates,
      layout: o.layout,
      scenes: world.acquisitions.length,
      files: total,
      bytes,
      samples: world.plants.length * world.acquisitions.length,
      missing_labels: {
        active: masks.active.reduce((a, b) => a + b, 0),
        generation_mw: masks.generation.reduce((a, b) => a + b, 0),
        co2_t_per_h: masks.co2.reduce((a, b) => a + b, 0),
      },
      noise_floor: truth.noise_floor,
      baselines: truth.baselines,
      fleet_statistics: fleetStatistics(world),
      preview: previewPath,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
