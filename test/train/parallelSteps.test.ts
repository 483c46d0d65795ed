/**
 * Data-parallel training over 2 worker threads equals single-thread training for the same
 * seed and batches, up to float summation order: losses and every parameter after several
 * steps of the real network, with learned task uncertainty (its own ½·s_t term must count
 * once), the soft physics penalty (batch means), labels missing unevenly across the shards,
 * and an odd batch that splits 4 + 3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { BASE_AUX_FEATURES } from '../../src/model/features.js';
import { disposeInputs, makeInputs } from '../../src/model/inputs.js';
import { Network } from '../../src/model/network.js';
import type { ModelSpec, Task } from '../../src/model/spec.js';
import { lossFloor } from '../../src/train/losses.js';
import { FusedAdam } from '../../src/train/optimizer/fusedAdam.js';
import { ParallelSteps } from '../../src/train/parallel/parallelSteps.js';
import type { TrainSample } from '../../src/train/prepare.js';
import { trainStep } from '../../src/train/step.js';
import { disposeTargets, makeTargets } from '../../src/train/targets.js';
import { createWeighting, type StepContext } from '../../src/train/weighting/index.js';
import { stepBatch } from './helpers/stepBatch.js';

const SPEC: ModelSpec = {
  bandCount: 3,
  patchSize: 16,
  auxFeatures: BASE_AUX_FEATURES,
  stemWidth: 8,
  stemStride: 1,
  stageWidths: [8, 16],
  blocksPerStage: 1,
  hidden: 16,
  likelihood: 'gaussian',
  physics: 'soft',
};
const TASKS: Task[] = ['activity', 'generation', 'co2'];
const STEPS = 4;
const LR = 3e-3;

const { samples, ctx } = stepBatch(14, { seed: 11 });
/** Two different batches of 7, alternating; each has labels missing for some task. */
const batches: TrainSample[][] = [samples.slice(0, 7), samples.slice(7, 14)];
const stepCtx = (step: number): StepContext => ({ epoch: 0, step, history: [], lossFloor: lossFloor('gaussian') });

function singleThread(spec: ModelSpec = SPEC): { totals: number[]; params: Map<string, Float32Array> } {
  const net = new Network(spec, 5);
  const weighting = createWeighting('uncertainty', TASKS, {});
  weighting.declare(net.store);
  const optimizer = new FusedAdam(net.store.list(), LR);
  const totals: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const batch = batches[step % 2]!;
    const inputs = makeInputs(batch, ctx);
    const y = makeTargets(batch.map((s) => s.truth));
    totals.push(trainStep({ net, weighting, optimizer, tasks: TASKS, likelihood: 'gaussian' }, inputs, y, stepCtx(step)).total);
    disposeInputs(inputs);
    disposeTargets(y);
  }
  const params = net.store.snapshot();
  net.dispose();
  return { totals, params };
}

async function dataParallel(threads: number, spec: ModelSpec = SPEC): Promise<{ totals: number[]; params: Map<string, Float32Array>; threads: number }> {
  const net = new Network(spec, 5);
  const weighting = createWeighting('uncertainty', TASKS, {});
  weighting.declare(net.store);
  const steps = await ParallelSteps.start({ net, seed: 5, tasks: TASKS, likelihood: 'gaussian', weighting: 'uncertainty', weightingOptions: {}, ctx, learningRate: LR, threads, maxBatch: 7 });
  const totals: number[] = [];
  try {
    for (let step = 0; step < STEPS; step++) totals.push((await steps.step(batches[step % 2]!, stepCtx(step))).total);
    steps.syncNetwork();
  } finally {
    await steps.close();
  }
  const params = net.store.snapshot();
  net.dispose();
  return { totals, params, threads: steps.threads };
}

let referenceRun: Awaited<ReturnType<typeof singleThread>>;
beforeAll(async () => {
  await selectBackend('wasm');
  referenceRun = singleThread();
});
afterAll(() => undefined);

describe('data-parallel training steps', () => {
  it('every batch used here has a label missing for some task, in one shard only', () => {
    for (const b of batches) {
      const missing = TASKS.map((t) => b.findIndex((s) => (t === 'activity' ? s.truth.active : t === 'generation' ? s.truth.generation_mw : s.truth.co2_t_per_h) === null));
      expect(missing.some((i) => i >= 0)).toBe(true);
    }
  });

  it.each([
    ['soft physics, shared trunk', SPEC],
    ['hard physics, trunk trained by activity alone (stop-gradients in the workers)', { ...SPEC, physics: 'hard', trunkTasks: 'activity' } satisfies ModelSpec],
  ])('2 workers give the losses and parameters of 1 thread: %s', async (_name, spec) => {
    const ref = spec === SPEC ? referenceRun : singleThread(spec);
    const got = await dataParallel(2, spec);
    expect(got.threads).toBe(2);
    expect(ref.totals[STEPS - 1]).not.toBeCloseTo(ref.totals[0]!, 3); // training moved
    for (let i = 0; i < STEPS; i++) expect(Math.abs(got.totals[i]! - ref.totals[i]!), `step ${i}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.totals[i]!)));
    let moved = 0;
    for (const [name, want] of ref.params) {
      const have = got.params.get(name)!;
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(have[i]! - want[i]!));
      expect(worst, name).toBeLessThan(2e-5);
      moved++;
    }
    expect(moved).toBe(ref.params.size);
  });
});
