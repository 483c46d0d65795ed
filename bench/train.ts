/**
 * `co2sat bench train`: training-step time and inference throughput of the trunk network
 * (bench/trainModel.ts) on batches of 16 × 12 × 64 × 64, side by side in one process:
 * wasm with co2sat's gradient kernels, stock wasm, wasm with the model's im2col convolution,
 * data-parallel wasm inference and training over worker threads (all cores by default, as
 * `co2sat train` and `predict` run), cpu (one step), tensorflow when installed, and PyTorch
 * CPU (bench/train_torch.py) at the same thread counts. Steps use the trainer's fused Adam
 * (src/train/optimizer/), so a step here costs what a `co2sat train` step costs.
 *
 * Ratios mean something only on an idle machine: the 1-minute load average is read before
 * anything runs and the result says when it exceeds half the cores.
 *
 * The machine is shared, so the rows that the ratios compare run interleaved: one tfjs
 * repetition, one PyTorch repetition, and so on, each side keeping its fastest (other load
 * only ever adds time). PyTorch times itself inside its process, so no IPC is counted.
 */
import os from 'node:os';
import type * as tfjs from '@tensorflow/tfjs';
import type { SelectedBackend, Tf } from '../src/backend/index.js';
import { findTorchPython, TorchServer } from './torchPeer.js';
import { splitBatch } from '../src/backend/parallel/workerGroup.js';
import { FlatAdam } from '../src/train/optimizer/flatAdam.js';
import { FlatParams } from '../src/train/optimizer/flatParams.js';
import { FusedAdam } from '../src/train/optimizer/fusedAdam.js';
import { DEFAULT_ARCH, forward, initParams, paramList, WIDE_ARCH, type BenchArch, type BenchShard, type BenchTrainerInit, type Conv3x3 } from './trainModel.js';

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
  /** load_avg_1m is read before the bench starts (its own threads would raise it). */
  machine: { cpus: number; cpu_model: string; node: string; load_avg_1m: number };
  /** Load average ≤ half the cores when the bench started: only then do the ratios compare designs rather than load. */
  idle: boolean;
  /** Set when not idle: what the load was and that the ratios include it. */
  load_warning?: string;
  /** The backend `co2sat train` picks here (auto), whose rows the main ratios use. */
  backend: string;
  /** Threads of the all-cores rows (--workers, default: available cores). */
  threads_all_cores: number;
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
  /** wasm-fused step time / PyTorch's, 1 thread each (the formulation to recommend on wasm). */
  ratio_step_fused_vs_torch: number | null;
  /** wasm-fused patches/s / PyTorch's, 1 thread each. */
  ratio_infer_fused_vs_torch: number | null;
  /** wasm worker pool patches/s / PyTorch's on as many threads as workers. */
  ratio_infer_workers_vs_torch: number | null;
  /** Data-parallel step over all cores' worker threads / PyTorch's step on as many threads (aim ≤ 2; wide ≤ 3). */
  ratio_step_vs_torch_all_cores: number | null;
  /** Worker pool patches/s / PyTorch's on as many threads (aim ≥ 0.5); same as ratio_infer_workers_vs_torch. */
  ratio_infer_vs_torch_all_cores: number | null;
}

export interface TrainBenchOptions {
  arch: string;
  steps: number;
  workers: number;
  batch: number;
  size: number;
  /** Also time one cpu step (slow: minutes for a full batch). */
  cpu: boolean;
  installTorch: boolean;
  log: (message: string) => void;
}

/** Something to time: each call runs once and returns its milliseconds. */
interface Subject {
  infer: () => Promise<number>;
  step?: () => Promise<number>;
  dispose: () => Promise<void> | void;
}

function firstLine(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0] ?? m;
}

async function timed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * The bench network on the active tfjs backend: training steps on MSE (gradients by
 * tf.variableGrads, one fused Adam update as co2sat's trainer applies), and forward passes.
 */
function tfjsSubject(tf: Tf, arch: BenchArch, batch: number, size: number, conv?: Conv3x3 | 'fused'): Subject {
  const params = initParams(tf, arch, 1, true);
  const vars = paramList(params) as tfjs.Variable[];
  const x = tf.randomNormal([batch, size, size, arch.in_channels]) as tfjs.Tensor4D;
  const y = tf.randomNormal([batch, arch.outputs]);
  const opt = new FusedAdam(vars, 1e-3);
  return {
    infer: () => timed(() => tf.tidy(() => void forward(tf, params, x, conv).dataSync())),
    step: () =>
      timed(() => {
        const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, forward(tf, params, x, conv)) as tfjs.Scalar, vars);
        value.dataSync();
        opt.applyGradients(grads);
        tf.dispose([value, ...Object.values(grads)]);
      }),
    dispose: () => {
      tf.dispose([x, y, ...vars]);
      opt.dispose();
    },
  };
}

/**
 * Training on all cores as `co2sat train --threads N` runs it: the batch split into N
 * contiguous shards, each worker's gradient summed in shard order through shared memory
 * (createTrainPool), one flat Adam step on the shared parameters.
 */
async function threadsSubject(tf: Tf, arch: BenchArch, o: TrainBenchOptions): Promise<Subject> {
  const { createTrainPool } = await import('../src/backend/parallel/trainPool.js');
  // The workers' starting weights: the same seeded parameters, read into the shared vector.
  const initial = new FlatParams(paramList(initParams(tf, arch, 1, true)) as tfjs.Variable[]);
  const count = initial.size;
  const pixels = o.size * o.size * arch.in_channels;
  const xShared = new SharedArrayBuffer(o.batch * pixels * 4);
  const yShared = new SharedArrayBuffer(o.batch * arch.outputs * 4);
  new Float32Array(xShared).forEach((_, i, a) => (a[i] = Math.random() * 2 - 1));
  new Float32Array(yShared).forEach((_, i, a) => (a[i] = Math.random() * 2 - 1));
  const trainerInit: BenchTrainerInit = { arch, seed: 1, size: o.size, x: xShared, y: yShared };
  const pool = await createTrainPool({ moduleUrl: trainModelUrl(), init: trainerInit, paramCount: count, workers: o.workers });
  initial.read(pool.params);
  tf.dispose([...initial.vars]);
  const adam = new FlatAdam(count, { learningRate: 1e-3 });
  const shards: BenchShard[] = splitBatch(o.batch, pool.size).map(([start, rows]) => ({ start, rows, batch: o.batch }));
  const infer = await workersSubject(arch, o);
  return {
    infer: infer.infer,
    step: () =>
      timed(async () => {
        const { grads } = await pool.step(shards);
        adam.update(pool.params, grads);
      }),
    dispose: async () => {
      await infer.dispose();
      await pool.close();
    },
  };
}

/** The worker module: the compiled trainModel.js next to this file, or trainModel.ts when run from the sources (tests). */
function trainModelUrl(): string {
  return new URL(`./trainModel${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
}

async function workersSubject(arch: BenchArch, o: TrainBenchOptions): Promise<Subject> {
  const { createInferencePool } = await import('../src/backend/index.js');
  const pool = await createInferencePool({ moduleUrl: trainModelUrl(), init: { arch, seed: 1 }, workers: o.workers });
  const shape = [o.batch, o.size, o.size, arch.in_channels];
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => Math.random() * 2 - 1);
  return { infer: () => timed(() => pool.predict(values, shape)), dispose: () => pool.close() };
}

function torchSubject(server: TorchServer): Subject {
  return { infer: () => server.time('infer'), step: () => server.time('step'), dispose: () => server.close() };
}

/**
 * Times the subjects interleaved, `reps` repetitions each after one warm-up, and returns each
 * one's fastest inference and step (null with the error where a subject cannot train).
 */
async function interleave(subjects: Subject[], reps: number, train: boolean): Promise<{ infer: number; step: number | null; note?: string }[]> {
  const out = subjects.map(() => ({ infer: Infinity, step: (train ? Infinity : null) as number | null, note: undefined as string | undefined }));
  // Warm-up beyond the first call: PyTorch's oneDNN runs its first few no-grad forwards ~10×
  // slower than later ones (15 ms against 1.5 ms on the default arch), and it warms its
  // forward, backward and no-grad paths separately, so each subject does both a few times
  // before anything is timed (reps 1 is the quick test mode: no warm-up).
  if (reps > 1) {
    for (const s of subjects) {
      for (let w = 0; w < 3; w++) {
        await s.infer();
        if (train && s.step) await s.step().catch(() => undefined);
      }
    }
  }
  for (let r = 0; r <= reps; r++) {
    for (const [i, s] of subjects.entries()) {
      const ms = await s.infer();
      if (r > 0 || reps === 1) out[i]!.infer = Math.min(out[i]!.infer, ms);
    }
  }
  if (!train) return out;
  for (let r = 0; r <= reps; r++) {
    for (const [i, s] of subjects.entries()) {
      if (s.step === undefined || out[i]!.note !== undefined) continue;
      try {
        const ms = await s.step();
        if (r > 0 || reps === 1) out[i]!.step = Math.min(out[i]!.step ?? Infinity, ms);
      } catch (err) {
        out[i]!.step = null;
        out[i]!.note = `cannot train: ${firstLine(err)}`;
      }
    }
    if (reps === 1) break;
  }
  return out;
}

function row(batch: number, r: { infer: number; step: number | null; note?: string }, threads: number, note?: string): BackendRow {
  const n = r.note ?? note;
  return { step_ms: r.step, infer_ms: r.infer, infer_patches_per_s: (batch / r.infer) * 1000, threads, ...(n !== undefined ? { note: n } : {}) };
}

export async function runTrainBench(o: TrainBenchOptions): Promise<TrainBenchResult> {
  const arch = ARCHS[o.arch];
  if (arch === undefined) throw new Error(`unknown arch '${o.arch}' (valid: ${Object.keys(ARCHS).join(', ')})`);
  const { selectBackend, registerWasmGradients, unregisterWasmGradients } = await import('../src/backend/index.js');
  const backends: Record<string, BackendRow> = {};
  const missing = (name: string, reason: string, threads = 1) => {
    backends[name] = { step_ms: null, infer_ms: null, infer_patches_per_s: null, threads, note: reason };
  };
  const torch = findTorchPython(o.installTorch, o.log);
  const startTorch = async (threads: number): Promise<{ subject: Subject; version: string } | null> => {
    if (torch.python === null) return null;
    const server = new TorchServer(torch.python, arch, { batch: o.batch, size: o.size, threads });
    return { subject: torchSubject(server), version: await server.version };
  };

  const cpus = os.availableParallelism();
  const loadBefore = os.loadavg()[0] ?? 0;
  const idle = loadBefore <= 0.5 * cpus;
  const loadWarning = idle ? undefined : `machine not idle: load average ${loadBefore.toFixed(2)} on ${cpus} cores (> ${(0.5 * cpus).toFixed(1)}); the ratios measure that load too`;
  if (loadWarning !== undefined) o.log(loadWarning);
  const auto: SelectedBackend = await selectBackend('auto');
  o.log(`auto backend: ${auto.name}`);
  if (auto.name !== 'tensorflow' && auto.name !== 'tensorflow-gpu') missing('tensorflow', 'not installed (optional dependency @tensorflow/tfjs-node)');

  // The auto backend (and, on wasm, its fused-conv formulation) against PyTorch on one
  // thread, interleaved.
  o.log(`timing ${auto.name} and PyTorch (1 thread) side by side…`);
  {
    const mine = tfjsSubject(auto.tf, arch, o.batch, o.size);
    const fused = auto.name === 'wasm' ? tfjsSubject(auto.tf, arch, o.batch, o.size, 'fused') : null;
    const peer = await startTorch(1);
    try {
      const subjects = [mine, ...(fused ? [fused] : []), ...(peer ? [peer.subject] : [])];
      const r = await interleave(subjects, o.steps, true);
      backends[auto.name] = row(o.batch, r[0]!, 1, auto.name === 'wasm' ? 'co2sat gradient kernels' : undefined);
      if (fused) backends['wasm-fused'] = row(o.batch, r[1]!, 1, 'tf.fused.conv2d with bias and relu');
      if (peer) backends['torch'] = row(o.batch, r[r.length - 1]!, 1, `torch ${peer.version}`);
      else missing('torch', torch.reason ?? 'PyTorch not available');
    } finally {
      mine.dispose();
      fused?.dispose();
      await peer?.subject.dispose();
    }
  }

  const wasm = await selectBackend('wasm');
  const tf = wasm.tf;
  if (auto.name !== 'wasm') {
    o.log('timing wasm with co2sat gradient kernels…');
    const s = tfjsSubject(tf, arch, o.batch, o.size);
    backends['wasm'] = row(o.batch, (await interleave([s], o.steps, true))[0]!, 1, 'co2sat gradient kernels');
    s.dispose();
  }

  if (backends['wasm-fused'] === undefined) {
    o.log('timing wasm with fused conv + bias + relu (tf.fused.conv2d)…');
    const s = tfjsSubject(tf, arch, o.batch, o.size, 'fused');
    backends['wasm-fused'] = row(o.batch, (await interleave([s], o.steps, true))[0]!, 1, 'tf.fused.conv2d with bias and relu');
    s.dispose();
  }

  o.log('timing wasm with the model’s im2col convolution (the stock-kernel workaround)…');
  try {
    const { conv3x3Im2col } = await import('../src/model/conv.js');
    const s = tfjsSubject(tf, arch, o.batch, o.size, conv3x3Im2col);
    backends['wasm-im2col'] = row(o.batch, (await interleave([s], Math.min(o.steps, 2), true))[0]!, 1, 'src/model/conv.ts im2col');
    s.dispose();
  } catch (err) {
    missing('wasm-im2col', firstLine(err));
  }

  o.log('timing stock wasm…');
  unregisterWasmGradients(tf);
  try {
    const s = tfjsSubject(tf, arch, o.batch, o.size);
    backends['wasm-stock'] = row(o.batch, (await interleave([s], o.steps, true))[0]!, 1);
    s.dispose();
  } finally {
    registerWasmGradients(tf);
  }

  // Data-parallel training and the inference pool against PyTorch on as many threads, interleaved.
  o.log(`timing wasm training and inference over ${o.workers} worker threads and PyTorch (${o.workers} threads) side by side…`);
  const torchN = o.workers === 1 ? 'torch' : `torch-${o.workers}t`;
  try {
    const pool = await threadsSubject(tf, arch, o);
    const peer = o.workers === 1 ? null : await startTorch(o.workers);
    try {
      const r = await interleave(peer ? [pool, peer.subject] : [pool], o.steps, true);
      backends['wasm-workers'] = row(o.batch, r[0]!, o.workers, 'data-parallel steps (shared-memory gradient sum, fused Adam); inference pool');
      if (peer) backends[torchN] = row(o.batch, r[1]!, o.workers, `torch ${peer.version}`);
    } finally {
      await pool.dispose();
      await peer?.subject.dispose();
    }
  } catch (err) {
    missing('wasm-workers', firstLine(err), o.workers);
  }
  if (backends[torchN] === undefined) missing(torchN, torch.reason ?? 'PyTorch not available', o.workers);

  if (o.cpu) {
    // One full batch takes minutes on the cpu backend; its time is linear in the batch, so one
    // step on a small batch is timed and scaled.
    const small = Math.min(o.batch, 2);
    o.log(`timing cpu (one step on ${small} patches, scaled to ${o.batch})…`);
    await selectBackend('cpu');
    const s = tfjsSubject(tf, arch, small, o.size);
    const r = (await interleave([s], 1, true))[0]!;
    s.dispose();
    const k = o.batch / small;
    backends['cpu'] = {
      step_ms: r.step === null ? null : r.step * k,
      infer_ms: r.infer * k,
      infer_patches_per_s: (small / r.infer) * 1000,
      threads: 1,
      note: k === 1 ? 'one step' : `one step on ${small} patches, times ×${k}`,
    };
  } else {
    missing('cpu', 'skipped (--no-cpu)');
  }
  await selectBackend(auto.name);

  const autoRow = backends[auto.name];
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : a / b);
  return {
    bench: 'train',
    date: new Date().toISOString(),
    machine: { cpus, cpu_model: os.cpus()[0]?.model ?? 'unknown', node: process.version, load_avg_1m: loadBefore },
    idle,
    ...(loadWarning !== undefined ? { load_warning: loadWarning } : {}),
    backend: auto.name,
    threads_all_cores: o.workers,
    arch_name: o.arch,
    arch,
    batch: [o.batch, arch.in_channels, o.size, o.size],
    steps: o.steps,
    auto_backend: auto.name,
    backends,
    ratio_step_vs_torch: ratio(autoRow?.step_ms, backends['torch']?.step_ms),
    ratio_infer_vs_torch: ratio(autoRow?.infer_patches_per_s, backends['torch']?.infer_patches_per_s),
    ratio_step_fused_vs_torch: ratio(backends['wasm-fused']?.step_ms, backends['torch']?.step_ms),
    ratio_infer_fused_vs_torch: ratio(backends['wasm-fused']?.infer_patches_per_s, backends['torch']?.infer_patches_per_s),
    ratio_infer_workers_vs_torch: ratio(backends['wasm-workers']?.infer_patches_per_s, backends[torchN]?.infer_patches_per_s),
    ratio_step_vs_torch_all_cores: ratio(backends['wasm-workers']?.step_ms, backends[torchN]?.step_ms),
    ratio_infer_vs_torch_all_cores: ratio(backends['wasm-workers']?.infer_patches_per_s, backends[torchN]?.infer_patches_per_s),
  };
}

const num = (v: number | null | undefined, d = 0) => (v == null ? '–' : v.toFixed(d));

/** A plain table for the terminal (and the body of the BENCHMARKS.md section). */
export function formatTrainBench(r: TrainBenchResult): string {
  const lines = [
    `arch ${r.arch_name} (stem ${r.arch.stem} stride ${r.arch.stem_stride}, stages ${r.arch.stages.join('/')}, ${r.arch.blocks} block/stage), batch ${r.batch.join('×')}, best of ${r.steps}`,
    `machine: ${r.machine.cpus} cores, ${r.machine.cpu_model}, node ${r.machine.node}, load ${r.machine.load_avg_1m.toFixed(1)} before the bench${r.idle ? ' (idle)' : ''}; ${r.date}`,
    ...(r.load_warning !== undefined ? [`WARNING: ${r.load_warning}`] : []),
    '',
    '| backend | threads | step ms | infer ms | patches/s | note |',
    '|---|---|---|---|---|---|',
    ...Object.entries(r.backends).map(([name, b]) => `| ${name} | ${b.threads} | ${num(b.step_ms)} | ${num(b.infer_ms)} | ${num(b.infer_patches_per_s, 1)} | ${b.note ?? ''} |`),
    '',
    `auto = ${r.auto_backend}: step ${num(r.ratio_step_vs_torch, 2)}× PyTorch's time (aim ≤ 2), inference ${num(r.ratio_infer_vs_torch, 2)}× PyTorch's patches/s (aim ≥ 0.5), 1 thread each; ` +
      `fused conv: step ${num(r.ratio_step_fused_vs_torch, 2)}×, inference ${num(r.ratio_infer_fused_vs_torch, 2)}×; ` +
      `all cores (${r.threads_all_cores} threads each): step ${num(r.ratio_step_vs_torch_all_cores, 2)}× PyTorch's time, inference ${num(r.ratio_infer_vs_torch_all_cores, 2)}× PyTorch's patches/s`,
  ];
  return lines.join('\n');
}
