/**
 * The fused Adam (one update over one flat vector) follows tf.train.adam: the same losses
 * and parameters after several steps of the real network, with learned task uncertainty
 * and the soft physics penalty, on a batch with missing labels.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { disposeInputs, makeInputs } from '../../src/model/inputs.js';
import { Network } from '../../src/model/network.js';
import { BASE_AUX_FEATURES } from '../../src/model/features.js';
import type { ModelSpec } from '../../src/model/spec.js';
import { lossFloor } from '../../src/train/losses.js';
import { FlatAdam } from '../../src/train/optimizer/flatAdam.js';
import { FusedAdam } from '../../src/train/optimizer/fusedAdam.js';
import { trainStep, type StepOptimizer } from '../../src/train/step.js';
import { disposeTargets, makeTargets } from '../../src/train/targets.js';
import { createWeighting } from '../../src/train/weighting/index.js';
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

function run(makeOptimizer: (vars: tf.Variable[]) => StepOptimizer & { dispose(): void }, steps: number): { losses: number[]; params: Map<string, Float32Array> } {
  const tasks = ['activity', 'generation', 'co2'] as const;
  const net = new Network(SPEC, 3);
  const weighting = createWeighting('uncertainty', tasks, {});
  weighting.declare(net.store);
  const optimizer = makeOptimizer(net.store.list());
  const { samples, ctx } = stepBatch(8);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const inputs = makeInputs(samples, ctx);
    const y = makeTargets(samples.map((s) => s.truth));
    const r = trainStep({ net, weighting, optimizer, tasks, likelihood: 'gaussian' }, inputs, y, { epoch: 0, step, history: [], lossFloor: lossFloor('gaussian') });
    losses.push(r.total);
    disposeInputs(inputs);
    disposeTargets(y);
  }
  const params = net.store.snapshot();
  optimizer.dispose();
  net.dispose();
  return { losses, params };
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('FlatAdam', () => {
  it('applies the update tf.train.adam applies, step by step', () => {
    const start = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i) * 0.5);
    const v = tf.variable(tf.tensor1d(start));
    const tfAdam = tf.train.adam(0.01);
    const flat = new FlatAdam(start.length, { learningRate: 0.01 });
    const mine = start.slice();
    for (let k = 1; k <= 5; k++) {
      const g = Float32Array.from({ length: start.length }, (_, i) => Math.cos(i * k) * (i % 7 === 0 ? 0 : 1));
      tfAdam.applyGradients([{ name: v.name, tensor: tf.tensor1d(g) }]);
      flat.update(mine, g);
    }
    const want = v.dataSync();
    for (let i = 0; i < mine.length; i++) expect(mine[i]).toBeCloseTo(want[i]!, 6);
    expect(Math.abs(mine[1]! - start[1]!)).toBeGreaterThan(0.001); // the parameters moved
    tfAdam.dispose();
    v.dispose();
  });
});

describe('FusedAdam in the training step', () => {
  it('trains the network exactly as tf.train.adam does', () => {
    const ref = run(() => tf.train.adam(2e-3), 5);
    const got = run((vars) => new FusedAdam(vars, 2e-3), 5);
    expect(ref.losses[4]).toBeLessThan(ref.losses[0]!);
    for (let i = 0; i < ref.losses.length; i++) expect(got.losses[i]).toBeCloseTo(ref.losses[i]!, 4);
    for (const [name, want] of ref.params) {
      const have = got.params.get(name)!;
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(have[i]! - want[i]!));
      expect(worst, name).toBeLessThan(1e-5);
    }
  });
});
