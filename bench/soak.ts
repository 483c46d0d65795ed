/**
 * Soak test of `co2sat run` as a scheduler drives it (issue "Runs that need no babysitting").
 * Not a unit test: minutes of work, run by hand and recorded in BENCHMARKS.md.
 *
 *   npm run build && node dist/bench/soak.js [--sites 500] [--dates 20] [--kills 20] [--size 2560] [--out DIR] [--seed 7]
 *
 * 1. A synthetic world of `--sites` plants × `--dates` scenes, and a tiny model trained on a
 *    separate small world (the soak tests the run mechanics, not the model's skill).
 * 2. Incremental rounds, as a schedule sees them: round r adds scene r to the scenes folder.
 *    A reference folder is run once per round, uninterrupted. The soak folder's run is
 *    `kill -9`ed at a random moment within the reference round's duration (20 kills spread
 *    over the rounds), then rerun to completion; its sites.geojson, predictions.jsonl and
 *    state.json scenes must equal the reference's after every round.
 * 3. Two schedulers against one folder: two runs started together on a new scene; one must
 *    exit 75 (the live lease) or find nothing to do, the other 0; outputs equal the reference.
 * 4. At the end a fresh run over all scenes must equal both.
 * Prints one JSON object with every round's outcome.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../src/random.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, '..', 'src', 'cli', 'main.js');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const outIndex = process.argv.indexOf('--out');
const root = outIndex >= 0 ? path.resolve(process.argv[outIndex + 1]!) : path.join(tmpdir(), `co2sat-soak-${process.pid}`);
const SITES = arg('sites', 500);
const DATES = arg('dates', 20);
const KILLS = arg('kills', 20);
const SIZE = arg('size', 2560);
const SEED = arg('seed', 7);

// co2sat's own seeded generator, so a soak is repeatable from its seed.
const random = mulberry32(SEED);

function co2sat(args: string[]): { status: number | null; stdout: string; stderr: string; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
}

function must(args: string[]): number {
  const r = co2sat(args);
  if (r.status !== 0) throw new Error(`co2sat ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.seconds;
}

function runArgs(scenes: string, world: string, model: string, out: string): string[] {
  return ['run', scenes, '--sites', path.join(world, 'sites.geojson'), '--model', model, '--weather', path.join(world, 'weather.csv'), '--out', out, '--quiet'];
}

/** What must be equal between two run folders. */
function outputsOf(out: string): string {
  const state = JSON.parse(readFileSync(path.join(out, 'state.json'), 'utf8')) as { scenes: unknown };
  return JSON.stringify([readFileSync(path.join(out, 'sites.geojson'), 'utf8'), readFileSync(path.join(out, 'predictions.jsonl'), 'utf8'), state.scenes]);
}

/** Starts a run, kill -9s it after `ms`; says whether the kill reached a live process. */
function runAndKill(args: string[], ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
    let killed = false;
    const t = setTimeout(() => {
      killed = p.exitCode === null && p.kill('SIGKILL');
    }, ms);
    p.on('close', () => {
      clearTimeout(t);
      resolve(killed);
    });
  });
}

function runTogether(args: string[]): Promise<(number | null)[]> {
  const one = () => new Promise<number | null>((resolve) => spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' }).on('close', resolve));
  return Promise.all([one(), one()]);
}

const started = Date.now();
mkdirSync(root, { recursive: true });
const world = path.join(root, 'world');
const small = path.join(root, 'train-world');
const model = path.join(root, 'model');
if (!existsSync(path.join(world, 'sites.geojson'))) must(['synth', '--out', world, '--sites', String(SITES), '--dates', String(DATES), '--size', String(SIZE), '--seed', String(SEED), '--quiet']);
if (!existsSync(path.join(model, 'model.json'))) {
  must(['synth', '--out', small, '--sites', '6', '--dates', '6', '--size', '384', '--seed', String(SEED), '--quiet']);
  must(['tile', path.join(small, 'scenes'), '--sites', path.join(small, 'sites.geojson'), '--out', path.join(small, 'tiles'), '--quiet']);
  const cfg = path.join(root, 'tiny.json');
  writeFileSync(cfg, JSON.stringify({ architecture: { stem_width: 4, stage_widths: [4], blocks_per_stage: 1, hidden: 8 } }));
  must(['train', '--tiles', path.join(small, 'tiles'), '--labels', path.join(small, 'labels.csv'), '--weather', path.join(small, 'weather.csv'), '--sites', path.join(small, 'sites.geojson'), '--out', model, '--epochs', '1', '--train-config', cfg, '--quiet']);
}

const allScenes = readdirSync(path.join(world, 'scenes')).sort();
const scenes = path.join(root, 'scenes');
const ref = path.join(root, 'ref');
const soak = path.join(root, 'soak');
for (const d of [scenes, ref, soak]) rmSync(d, { recursive: true, force: true });
mkdirSync(scenes);

// Spread the kills over the rounds: round r gets ⌊KILLS·(r+1)/R⌋ − ⌊KILLS·r/R⌋ kills.
const rounds = allScenes.length - 1; // the last scene is kept for the two-scheduler round
const rows: { round: number; scenes: number; ref_seconds: number; kills: number; landed: number; equal: boolean }[] = [];
for (let r = 0; r < rounds; r++) {
  cpSync(path.join(world, 'scenes', allScenes[r]!), path.join(scenes, allScenes[r]!), { recursive: true });
  const refSeconds = must(runArgs(scenes, world, model, ref));
  const kills = Math.floor((KILLS * (r + 1)) / rounds) - Math.floor((KILLS * r) / rounds);
  let landed = 0;
  for (let k = 0; k < kills; k++) {
    // Node's start-up is part of a run: kill anywhere from start to the reference's end.
    if (await runAndKill(runArgs(scenes, world, model, soak), Math.max(50, random() * refSeconds * 1000))) landed++;
  }
  const finish = co2sat(runArgs(scenes, world, model, soak));
  const equal = finish.status === 0 && outputsOf(soak) === outputsOf(ref);
  rows.push({ round: r + 1, scenes: r + 1, ref_seconds: Number(refSeconds.toFixed(2)), kills, landed, equal });
  process.stderr.write(`round ${r + 1}/${rounds}: ${kills} kills (${landed} reached a live run), equal ${equal}\n`);
}

// Two schedulers at once on the last scene.
const last = allScenes[allScenes.length - 1]!;
cpSync(path.join(world, 'scenes', last), path.join(scenes, last), { recursive: true });
must(runArgs(scenes, world, model, ref));
const codes = await runTogether(runArgs(scenes, world, model, soak));
const twoOk = codes.includes(0) && codes.every((c) => c === 0 || c === 75);
const afterTwo = co2sat(runArgs(scenes, world, model, soak));
const twoEqual = afterTwo.status === 0 && outputsOf(soak) === outputsOf(ref);

const fresh = path.join(root, 'fresh');
rmSync(fresh, { recursive: true, force: true });
const freshSeconds = must(runArgs(scenes, world, model, fresh));
const freshEqual = outputsOf(fresh) === outputsOf(ref);

const result = {
  sites: SITES,
  scenes: allScenes.length,
  kills: rows.reduce((a, r) => a + r.kills, 0),
  kills_landed_mid_run: rows.reduce((a, r) => a + r.landed, 0),
  rounds_equal: rows.filter((r) => r.equal).length,
  rounds: rows.length,
  two_schedulers: { exit_codes: codes, ok: twoOk, equal_after: twoEqual },
  fresh_run_equal: freshEqual,
  fresh_run_seconds: Number(freshSeconds.toFixed(1)),
  total_minutes: Number(((Date.now() - started) / 60000).toFixed(1)),
  load_average: (await import('node:os')).loadavg().map((v) => Number(v.toFixed(2))),
  per_round: rows,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exitCode = rows.every((r) => r.equal) && twoOk && twoEqual && freshEqual ? 0 : 1;
