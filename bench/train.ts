/**
 * `co2sat bench train`: training-step time and inference throughput of the trunk network
 * (bench/trainModel.ts) on batches of 16 × 12 × 64 × 64, side by side in one process:
 * wasm with co2sat's gradient kernels, stock wasm, wasm with the model's im2col convolution,
 * data-parallel wasm inference over worker threads, cpu (one step), tensorflow when
 * installed, and PyTorch CPU (bench/train_torch.py) at the same thread counts.
 */
import os from 'node:os';
import type * as tfjs from '@tensorflow/tfjs';
import type { SelectedBackend, Tf } from '../src/backend/index.js';
import { findTorchPython, runTorch } from './torchPeer.js';
import { DEFAULT_ARCH, forward, initParams, paramList, WIDE_ARCH, type BenchArch, type Conv3x3 } from './trainModel.js';

export const ARCHS: Record<string, BenchArch> = { default: DEFAULT_ARCH, wide: WIDE_ARCH };

export interface BackendRow {
  step_ms: number | null;
  infer_ms: number | null;
  infer_patches_per_s: number | null;
  threads: number;
  note?: string;
}

export interface TrainBenchResult {
  bench: 'train';
  date: string;
  machine: { cpus: number; cpu_model: string; node: string };
  arch_name: string;
  arch: BenchArch;
  /** Batch as N × C × H × W. */
  batch: [number, number, number, number];
  steps: number;
  auto_backend: string;
  backends: Record<string, BackendRow>;
  /** auto backend's step time / PyTorch's, both on 1 thread (aim ≤ 2). */
  ratio_step_vs_torch: number | null;
  /** auto backend's patches/s / PyTorch's, both on 1 thread (aim ≥ 0.5). */
  ratio_infer_vs_torch: number | null;
  /** wasm worker pool patches/s / PyTorch's on as many threads as workers. */
  ratio_infer_workers_vs_torch: number | null;
}

export interface TrainBenchOptions {
  arch: string;
  steps: number;
  workers: number;
  batch: number;
  size: number;
  /** Also time one cpu step (slow: tens of seconds on the wide arch). */
  cpu: boolean;
  installTorch: boolean;
  log: (message: string) => void;
}

/**
 * The fastest of the timed repetitions: on a shared machine other processes only ever add
 * time, so the minimum is the least disturbed estimate (PyTorch's side reports the same).
 */
const best = (xs: number[]) => Math.min(...xs);

function firstLine(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0] ?? m;
}

/** Times `steps` Adam steps (after one warm-up unless steps = 1) and as many forward passes; keeps the fastest. */
function timeTfjs(tf: Tf, arch: BenchArch, o: TrainBenchOptions, steps: number, conv?: Conv3x3, train = true): BackendRow {
  const params = initParams(tf, arch, 1, true);
  const vars = paramList(params) as tfjs.Variable[];
  const x = tf.randomNormal([o.batch, o.size, o.size, arch.in_channels]) as tfjs.Tensor4D;
  const y = tf.randomNormal([o.batch, arch.outputs]);
  const opt = tf.train.adam(1e-3);
  const row: BackendRow = { step_ms: null, infer_ms: null, infer_patches_per_s: null, threads: 1 };
  const timed = (fn: () => void) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  try {
    const infer = () => tf.tidy(() => void forward(tf, params, x, conv).dataSync());
    if (steps > 1) infer();
    row.infer_ms = best(Array.from({ length: steps }, () => timed(infer)));
    row.infer_patches_per_s = (o.batch / row.infer_ms) * 1000;
    if (train) {
      const step = () => {
        const loss = opt.minimize(() => tf.losses.meanSquaredError(y, forward(tf, params, x, conv)) as tfjs.Scalar, true, vars);
        loss?.dataSync();
        loss?.dispose();
      };
      try {
        if (steps > 1) step();
        row.step_ms = best(Array.from({ length: steps }, () => timed(step)));
      } catch (err) {
        row.note = `cannot train: ${firstLine(err)}`;
      }
    }
  } finally {
    tf.dispose([x, y, ...vars]);
    opt.dispose();
  }
  return row;
}

async function timeWorkers(arch: BenchArch, o: TrainBenchOptions): Promise<BackendRow> {
  const { createInferencePool } = await import('../src/backend/index.js');
  const moduleUrl = new URL('./trainModel.js', import.meta.url).href;
  const pool = await createInferencePool({ moduleUrl, init: { arch, seed: 1 }, workers: o.workers });
  try {
    const n = o.batch * o.size * o.size * arch.in_channels;
    const values = new Float32Array(n).map(() => Math.random() * 2 - 1);
    const shape = [o.batch, o.size, o.size, arch.in_channels];
    await pool.predict(values, shape);
    const times: number[] = [];
    for (let i = 0; i < o.steps; i++) {
      const t0 = performance.now();
      await pool.predict(values, shape);
      times.push(performance.now() - t0);
    }
    const ms = best(times);
    return { step_ms: null, infer_ms: ms, infer_patches_per_s: (o.batch / ms) * 1000, threads: pool.size, note: 'inference only' };
  } finally {
    await pool.close();
  }
}

/**
 * PyTorch rows at 1 thread and at `workers` threads. Called before and after the tfjs rows;
 * each run keeps its fastest repetitions, and the faster of the two runs is reported, so a
 * burst of load from other processes penalises neither side alone.
 */
function timeTorch(arch: BenchArch, o: TrainBenchOptions, into: Record<string, BackendRow>): void {
  const torch = findTorchPython(o.installTorch, o.log);
  for (const threads of [...new Set([1, o.workers])]) {
    const name = threads === 1 ? 'torch' : `torch-${threads}t`;
    if (torch.python === null) {
      into[name] = { step_ms: null, infer_ms: null, infer_patches_per_s: null, threads, note: torch.reason ?? 'PyTorch not available' };
      continue;
    }
    o.log(`timing PyTorch CPU on ${threads} thread(s)…`);
    try {
      const t = runTorch(torch.python, arch, { batch: o.batch, size: o.size, threads, steps: o.steps });
      const prev = into[name];
      into[name] = {
        step_ms: Math.min(t.step_ms, prev?.step_ms ?? Infinity),
        infer_ms: Math.min(t.infer_ms, prev?.infer_ms ?? Infinity),
        infer_patches_per_s: Math.max(t.infer_patches_per_s, prev?.infer_patches_per_s ?? 0),
        threads,
        note: `torch ${t.torch}`,
      };
    } catch (err) {
      into[name] ??= { step_ms: null, infer_ms: null, infer_patches_per_s: null, threads, note: firstLine(err) };
    }
  }
}

export async function runTrainBench(o: TrainBenchOptions): Promise<TrainBenchResult> {
  const arch = ARCHS[o.arch];
  if (arch === undefined) throw new Error(`unknown arch '${o.arch}' (valid: ${Object.keys(ARCHS).join(', ')})`);
  const { selectBackend, registerWasmGradients, unregisterWasmGradients } = await import('../src/backend/index.js');
  const backends: Record<string, BackendRow> = {};
  const note = (name: string, err: unknown) => {
    backends[name] = { step_ms: null, infer_ms: null, infer_patches_per_s: null, threads: 1, note: firstLine(err) };
  };

  // What `auto` picks, without keeping it active (the rows below select their own).
  const auto: SelectedBackend = await selectBackend('auto');
  o.log(`auto backend: ${auto.name}`);
  const torchRows: Record<string, BackendRow> = {};
  timeTorch(arch, o, torchRows);

  if (auto.name === 'tensorflow' || auto.name === 'tensorflow-gpu') {
    o.log(`timing ${auto.name}…`);
    backends[auto.name] = timeTfjs(auto.tf, arch, o, o.steps);
  } else {
    note('tensorflow', 'not installed (optional dependency @tensorflow/tfjs-node)');
  }

  const wasm = await selectBackend('wasm');
  const tf = wasm.tf;
  o.log('timing wasm with co2sat gradient kernels…');
  backends['wasm'] = timeTfjs(tf, arch, o, o.steps);

  o.log('timing wasm with the model’s im2col convolution (stock-kernel workaround)…');
  try {
    const { conv3x3Im2col } = await import('../src/model/conv.js');
    backends['wasm-im2col'] = timeTfjs(tf, arch, o, o.steps, conv3x3Im2col);
  } catch (err) {
    note('wasm-im2col', err);
  }

  o.log('timing stock wasm…');
  unregisterWasmGradients(tf);
  try {
    backends['wasm-stock'] = timeTfjs(tf, arch, o, o.steps);
  } finally {
    registerWasmGradients(tf);
  }

  o.log(`timing wasm inference over ${o.workers} worker threads…`);
  try {
    backends['wasm-workers'] = await timeWorkers(arch, o);
  } catch (err) {
    note('wasm-workers', err);
  }

  if (o.cpu) {
    // The cpu backend needs minutes for one full batch on a busy 2-core box; its time is
    // linear in the batch, so one step on a small batch is timed and scaled.
    const small = Math.min(o.batch, 2);
    o.log(`timing cpu (one step on ${small} patches, scaled to ${o.batch})…`);
    await selectBackend('cpu');
    const row = timeTfjs(tf, arch, { ...o, batch: small }, 1);
    const k = o.batch / small;
    backends['cpu'] = {
      step_ms: row.step_ms === null ? null : row.step_ms * k,
      infer_ms: row.infer_ms === null ? null : row.infer_ms * k,
      infer_patches_per_s: row.infer_patches_per_s,
      threads: 1,
      note: k === 1 ? 'one step' : `one step on ${small} patches, times scaled ×${k}`,
    };
  } else {
    note('cpu', 'skipped (--no-cpu)');
  }
  await selectBackend(auto.name);
  timeTorch(arch, o, torchRows);
  Object.assign(backends, torchRows);

  const autoRow = backends[auto.name];
  const torch1 = backends['torch'];
  const torchN = backends[o.workers === 1 ? 'torch' : `torch-${o.workers}t`];
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : a / b);
  return {
    bench: 'train',
    date: new Date().toISOString(),
    machine: { cpus: os.availableParallelism(), cpu_model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    arch_name: o.arch,
    arch,
    batch: [o.batch, arch.in_channels, o.size, o.size],
    steps: o.steps,
    auto_backend: auto.name,
    backends,
    ratio_step_vs_torch: ratio(autoRow?.step_ms, torch1?.step_ms),
    ratio_infer_vs_torch: ratio(autoRow?.infer_patches_per_s, torch1?.infer_patches_per_s),
    ratio_infer_workers_vs_torch: ratio(backends['wasm-workers']?.infer_patches_per_s, torchN?.infer_patches_per_s),
  };
}

const num = (v: number | null | undefined, d = 0) => (v == null ? '–' : v.toFixed(d));

/** A plain table for the terminal (and the body of the BENCHMARKS.md section). */
export function formatTrainBench(r: TrainBenchResult): string {
  const lines = [
    `arch ${r.arch_name} (stem ${r.arch.stem}, stages ${r.arch.stages.join('/')}, ${r.arch.blocks} block/stage), batch ${r.batch.join('×')}, best of ${r.steps}`,
    `machine: ${r.machine.cpus} cores, ${r.machine.cpu_model}, node ${r.machine.node}; ${r.date}`,
    '',
    '| backend | threads | step ms | infer ms | patches/s | note |',
    '|---|---|---|---|---|---|',
    ...Object.entries(r.backends).map(([name, b]) => `| ${name} | ${b.threads} | ${num(b.step_ms)} | ${num(b.infer_ms)} | ${num(b.infer_patches_per_s, 1)} | ${b.note ?? ''} |`),
    '',
    `auto = ${r.auto_backend}: step ${num(r.ratio_step_vs_torch, 2)}× PyTorch's time (aim ≤ 2), inference ${num(r.ratio_infer_vs_torch, 2)}× PyTorch's patches/s (aim ≥ 0.5), 1 thread each; ` +
      `worker pool ${num(r.ratio_infer_workers_vs_torch, 2)}× PyTorch's patches/s on as many threads`,
  ];
  return lines.join('\n');
}
