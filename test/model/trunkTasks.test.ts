/**
 * trunkTasks 'activity': the generation and CO₂ losses train their own layers and leave the
 * trunk and the activity path alone (their gradients there are exactly zero), while the
 * activity loss still trains the trunk; with 'all' the regression losses do reach the trunk.
 * Checked on the cpu backend and on the embedded wasm backend with its own gradient kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { BASE_AUX_FEATURES } from '../../src/model/features.js';
import { disposeInputs, makeInputs } from '../../src/model/inputs.js';
import { Network } from '../../src/model/network.js';
import type { ModelSpec, PhysicsName, Task, TrunkTasks } from '../../src/model/spec.js';
import { taskLosses } from '../../src/train/losses.js';
import { disposeTargets, makeTargets } from '../../src/train/targets.js';
import { stepBatch } from '../train/helpers/stepBatch.js';

const spec = (trunkTasks: TrunkTasks | undefined, physics: PhysicsName): ModelSpec => ({
  bandCount: 3,
  patchSize: 16,
  auxFeatures: BASE_AUX_FEATURES,
  stemWidth: 8,
  stemStride: 1,
  stageWidths: [8],
  blocksPerStage: 1,
  hidden: 8,
  likelihood: 'gaussian',
  physics,
  ...(trunkTasks ? { trunkTasks } : {}),
});

const { samples, ctx } = stepBatch(12, { seed: 4 });

/** Largest |gradient| per parameter of the summed losses of `tasks`. */
function gradientSizes(net: Network, tasks: Task[]): Map<string, number> {
  const inputs = makeInputs(samples, ctx);
  const y = makeTargets(samples.map((s) => s.truth));
  const vars = net.store.list();
  const { value, grads } = tf.variableGrads(() => {
    const l = taskLosses(net.forward(inputs), y, tasks, 'gaussian', inputs.physics.scales);
    return tf.addN(tasks.map((t) => l[t]!)) as tf.Scalar;
  }, vars);
  const sizes = new Map<string, number>();
  for (const v of vars) {
    const g = grads[v.name];
    sizes.set(v.name, g ? tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]!) : 0);
  }
  value.dispose();
  Object.values(grads).forEach((g) => g.dispose());
  disposeInputs(inputs);
  disposeTargets(y);
  return sizes;
}

const largest = (sizes: Map<string, number>, prefix: string): number => Math.max(...[...sizes].filter(([n]) => n.startsWith(prefix)).map(([, v]) => v));

describe.each(['cpu', 'wasm'] as const)('trunkTasks on %s', (backend) => {
  it.each(['hard', 'none', 'soft'] as const)('with %s physics, only the activity loss reaches the trunk and the activity head', async (physics) => {
    await selectBackend(backend);
    const net = new Network(spec('activity', physics), 3);
    try {
      const regression = gradientSizes(net, ['generation', 'co2']);
      for (const prefix of ['trunk/', 'fusion/hidden/', 'head/activity/']) expect(largest(regression, prefix), prefix).toBe(0);
      for (const prefix of ['fusion/regression/', 'head/generation/', 'head/co2/', 'fusion/aux/']) expect(largest(regression, prefix), prefix).toBeGreaterThan(0);
      const activity = gradientSizes(net, ['activity']);
      for (const prefix of ['trunk/', 'fusion/hidden/', 'head/activity/']) expect(largest(activity, prefix), prefix).toBeGreaterThan(0);
      for (const prefix of ['fusion/regression/', 'head/generation/', 'head/co2/']) expect(largest(activity, prefix), prefix).toBe(0);
    } finally {
      net.dispose();
    }
  });

  it('with every task training it (the default, and absent in model.json) the regression losses reach the trunk', async () => {
    await selectBackend(backend);
    for (const trunkTasks of [undefined, 'all'] as const) {
      const net = new Network(spec(trunkTasks, 'hard'), 3);
      try {
        expect(net.store.list().some((v) => v.name.startsWith('fusion/regression'))).toBe(false);
        const regression = gradientSizes(net, ['generation', 'co2']);
        for (const prefix of ['trunk/', 'fusion/hidden/', 'head/activity/']) expect(largest(regression, prefix), prefix).toBeGreaterThan(0);
      } finally {
        net.dispose();
      }
    }
  });

  it('keeps the physics: hard generation is still 0 where P(on) is 0 and never above capacity', async () => {
    await selectBackend(backend);
    const net = new Network(spec('activity', 'hard'), 8);
    const inputs = makeInputs(samples, ctx);
    try {
      const out = net.forward(inputs);
      const gen = out.generationMW.arraySync();
      const cap = inputs.physics.capacityMW.arraySync();
      const pOn = tf.sigmoid(out.activityLogit).arraySync();
      gen.forEach((g, i) => {
        expect(g).toBeGreaterThanOrEqual(0);
        expect(g).toBeLessThanOrEqual(cap[i]! * pOn[i]! * (1 + 1e-5));
      });
    } finally {
      disposeInputs(inputs);
      net.dispose();
    }
  });
});
