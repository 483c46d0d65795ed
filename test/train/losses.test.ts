import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bceWithLogits, gaussianNll, laplaceNll, maskedMean, taskLosses } from '../../src/train/losses.js';
import type { ModelOutputs } from '../../src/model/physicsModes/index.js';
import { makeTargets } from '../../src/train/targets.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('per-sample likelihoods', () => {
  it('match the Gaussian, Laplace and BCE formulas', () => {
    const r = tf.tensor1d([0.5, -2]);
    const s = tf.tensor1d([0.3, -1]);
    const g = gaussianNll(r, s).arraySync();
    expect(g[0]).toBeCloseTo(0.5 * Math.exp(-0.3) * 0.25 + 0.15, 6);
    expect(g[1]).toBeCloseTo(0.5 * Math.exp(1) * 4 - 0.5, 5);
    const l = laplaceNll(r, s).arraySync();
    expect(l[0]).toBeCloseTo(Math.exp(-0.3) * 0.5 + 0.3, 6);
    const b = bceWithLogits(tf.tensor1d([2, -30]), tf.tensor1d([1, 1])).arraySync();
    expect(b[0]).toBeCloseTo(-Math.log(1 / (1 + Math.exp(-2))), 6);
    expect(b[1]).toBeCloseTo(30, 4); // stable for large negative logits
  });
});

describe('masking (δ)', () => {
  const outputs = (v: tf.Variable): ModelOutputs => ({
    activityLogit: tf.mul(v, 1) as tf.Tensor1D,
    generationMW: tf.mul(v, 100) as tf.Tensor1D,
    generationLogVar: tf.mul(v, 0.1) as tf.Tensor1D,
    co2TPerH: tf.mul(v, 90) as tf.Tensor1D,
    co2LogVar: tf.mul(v, 0.2) as tf.Tensor1D,
  });
  const scales = { generation: { mean: 300, std: 200 }, co2: { mean: 250, std: 180 } };

  it('a sample without labels contributes exactly zero gradient, whatever its placeholder', () => {
    const v = tf.variable(tf.tensor1d([0.3, -0.7, 1.1]));
    const grad = (placeholder: number) => {
      const y = makeTargets([
        { active: true, generation_mw: 500, co2_t_per_h: 400, fuel: 'coal', capacity_mw: 800 },
        { active: null, generation_mw: null, co2_t_per_h: null, fuel: 'coal', capacity_mw: 800 },
        { active: false, generation_mw: 0, co2_t_per_h: 0, fuel: 'gas', capacity_mw: 400 },
      ]);
      // Put an absurd value where the label is missing: the mask must make it irrelevant.
      y.generationMW = tf.tensor1d([500, placeholder, 0]);
      y.co2TPerH = tf.tensor1d([400, placeholder, 0]);
      y.active = tf.tensor1d([1, placeholder > 0 ? 1 : 0, 0]);
      const g = tf.grad((x: tf.Tensor) => {
        const l = taskLosses(outputs(x as tf.Variable), y, ['activity', 'generation', 'co2'], 'gaussian', scales);
        return tf.addN([l.activity!, l.generation!, l.co2!]);
      })(v);
      return g.arraySync() as number[];
    };
    const a = grad(0);
    const b = grad(1e6);
    expect(a[1]).toBe(0);
    expect(b[1]).toBe(0);
    expect(a).toEqual(b);
    expect(Math.abs(a[0]!)).toBeGreaterThan(0);
  });

  it('a sample with only an activity label trains the activity head and nothing else', () => {
    const v = tf.variable(tf.tensor1d([0.4]));
    const y = makeTargets([{ active: true, generation_mw: null, co2_t_per_h: null, fuel: 'coal', capacity_mw: 800 }]);
    const losses = taskLosses(outputs(v), y, ['activity', 'generation', 'co2'], 'gaussian', scales);
    expect(losses.generation!.arraySync()).toBe(0);
    expect(losses.co2!.arraySync()).toBe(0);
    expect(losses.activity!.arraySync()).toBeGreaterThan(0);
    const g = tf.grad((x: tf.Tensor) => taskLosses(outputs(x as tf.Variable), y, ['generation', 'co2'], 'gaussian', scales).generation!)(v);
    expect(g.arraySync()).toEqual([0]);
  });

  it('L_t is the mean over labelled samples only', () => {
    const m = maskedMean(tf.tensor1d([1, 100, 3]), tf.tensor1d([1, 0, 1])).arraySync();
    expect(m).toBe(2);
    expect(maskedMean(tf.tensor1d([5]), tf.tensor1d([0])).arraySync()).toBe(0);
  });
});
