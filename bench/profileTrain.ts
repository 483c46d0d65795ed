/**
 * Per-kernel profile of one training step of the bench network on wasm: every kernel
 * registered for wasm is wrapped with a timer, and each top-level call (a kernel the
 * engine dispatches, not one our composite kernels call inside themselves) is charged to
 * the forward or the backward pass. tfjs's own profiler (env DEBUG / tf.profile) reads
 * every output back and is too slow to say where a step's time goes.
 *
 * Run: `node dist/bench/profileTrain.js [default|wide] [fused] [steps]`.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import type { Tf } from '../src/backend/index.js';
import { ARCHS } from './train.js';
import { forward, initParams, paramList } from './trainModel.js';

export interface KernelTotals {
  calls: number;
  ms: number;
}
export interface TrainProfile {
  step_ms: number;
  kernel_ms: number;
  forward: Record<string, KernelTotals>;
  backward: Record<string, KernelTotals>;
}

/** Wraps every wasm kernel with a timer; returns the tallies and a function that unwraps. */
function instrument(tf: Tf): { tallies: { forward: Map<string, KernelTotals>; backward: Map<string, KernelTotals> }; restore: () => void } {
  const tallies = { forward: new Map<string, KernelTotals>(), backward: new Map<string, KernelTotals>() };
  const originals: KernelConfig[] = [];
  let depth = 0;
  const inBackward = (): boolean => {
    const state = (tf.engine() as unknown as { state: { scopeStack: { name: string }[]; activeScope: { name: string } | null } }).state;
    return state.scopeStack.some((s) => s.name === 'backward') || state.activeScope?.name === 'backward';
  };
  for (const config of tf.getKernelsForBackend('wasm')) {
    originals.push(config);
    const inner = config.kernelFunc;
    const timed: KernelFunc = (args) => {
      if (depth > 0) {
        if (process.env['PROFILE_INNER'] === undefined) return inner(args);
        const t1 = performance.now();
        try {
          return inner(args);
        } finally {
          const key = `  (inside) ${config.kernelName}`;
          const t = tallies.backward.get(key) ?? { calls: 0, ms: 0 };
          t.calls++;
          t.ms += performance.now() - t1;
          tallies.backward.set(key, t);
        }
      }
      depth++;
      const t0 = performance.now();
      try {
        return inner(args);
      } finally {
        const ms = performance.now() - t0;
        depth--;
        const map = inBackward() ? tallies.backward : tallies.forward;
        const shapeKey = process.env['PROFILE_SHAPES']?.split(',').includes(config.kernelName)
          ? ` ${Object.values(args.inputs).map((i) => i?.shape.join('x') ?? '').join(' ')}`
          : '';
        const key = config.kernelName + shapeKey;
        const t = map.get(key) ?? { calls: 0, ms: 0 };
        t.calls++;
        t.ms += ms;
        map.set(key, t);
      }
    };
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel({ ...config, kernelFunc: timed });
  }
  return {
    tallies,
    restore: () => {
      for (const c of originals) {
        tf.unregisterKernel(c.kernelName, 'wasm');
        tf.registerKernel(c);
      }
    },
  };
}

/** Profiles `steps` Adam steps (after a warm-up), returning per-step averages. */
export async function profileTrainStep(archName: string, fused: boolean, steps: number): Promise<TrainProfile> {
  const arch = ARCHS[archName];
  if (arch === undefined) throw new Error(`unknown arch '${archName}'`);
  const { selectBackend } = await import('../src/backend/index.js');
  const { tf } = await selectBackend('wasm');
  const params = initParams(tf, arch, 1, true);
  const vars = paramList(params) as tfjs.Variable[];
  const x = tf.randomNormal([16, 64, 64, arch.in_channels]) as tfjs.Tensor4D;
  const y = tf.randomNormal([16, arch.outputs]);
  const opt = tf.train.adam(1e-3);
  const step = () => {
    const loss = opt.minimize(() => tf.losses.meanSquaredError(y, forward(tf, params, x, fused ? 'fused' : undefined)) as tfjs.Scalar, true, vars);
    loss?.dataSync();
    loss?.dispose();
  };
  step();
  const { tallies, restore } = instrument(tf);
  const t0 = performance.now();
  try {
    for (let i = 0; i < steps; i++) step();
  } finally {
    restore();
  }
  const stepMs = (performance.now() - t0) / steps;
  const per = (m: Map<string, KernelTotals>) =>
    Object.fromEntries([...m].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => [k, { calls: v.calls / steps, ms: v.ms / steps }]));
  const forwardT = per(tallies.forward);
  const backwardT = per(tallies.backward);
  const kernelMs = [...Object.values(forwardT), ...Object.values(backwardT)].reduce((a, b) => a + b.ms, 0);
  tf.dispose([x, y, ...vars]);
  opt.dispose();
  return { step_ms: stepMs, kernel_ms: kernelMs, forward: forwardT, backward: backwardT };
}

export function formatProfile(p: TrainProfile): string {
  const table = (name: string, t: Record<string, KernelTotals>) => {
    const total = Object.values(t).reduce((a, b) => a + b.ms, 0);
    return [
      `${name}: ${total.toFixed(1)} ms`,
      ...Object.entries(t)
        .filter(([, v]) => v.ms >= 0.05)
        .map(([k, v]) => `  ${k.padEnd(24)} ${v.ms.toFixed(2).padStart(8)} ms  ${String(v.calls).padStart(4)} calls`),
    ].join('\n');
  };
  return [`step ${p.step_ms.toFixed(1)} ms, in kernels ${p.kernel_ms.toFixed(1)} ms`, table('forward', p.forward), table('backward', p.backward)].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const [arch = 'default', mode = 'plain', steps = '5'] = process.argv.slice(2);
  console.log(formatProfile(await profileTrainStep(arch, mode === 'fused', Number(steps))));
}
