import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParamStore } from '../../src/model/params.js';
import { dwaWeights } from '../../src/train/weighting/dwa.js';
import { createWeighting, WEIGHTING_NAMES, type StepContext } from '../../src/train/weighting/index.js';
import { logVarParam } from '../../src/train/weighting/uncertainty.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ctx: StepContext = { epoch: 0, step: 0, history: [], lossFloor: { activity: 0, generation: -3, co2: -3 } };

describe('uncertainty weighting (Kendall et al. 2018)', () => {
  it('learns σ_t for classification, exp(−s)·L + ½·s, and takes the heteroscedastic NLL of regression as it is', () => {
    const store = new ParamStore(0);
    const w = createWeighting('uncertainty', ['activity', 'generation', 'co2']);
    w.declare(store);
    // Only the classification task has a homoscedastic log-variance.
    expect(store.list('weighting/').length).toBe(1);
    store.get(logVarParam('activity')).assign(tf.scalar(0.4));
    for (const L of [
      { activity: 0.7, generation: 2.5, co2: 0.3 },
      { activity: 0.2, generation: -0.6, co2: -0.97 },
    ]) {
      const c = w.combine({ activity: tf.scalar(L.activity), generation: tf.scalar(L.generation), co2: tf.scalar(L.co2) }, ctx, store);
      expect(c.total.arraySync()).toBeCloseTo(Math.exp(-0.4) * L.activity + 0.2 + L.generation + L.co2, 5);
      expect(c.weights.activity).toBeCloseTo(Math.exp(-0.4), 6);
      expect([c.weights.generation, c.weights.co2]).toEqual([1, 1]);
      expect(c.sigmas!.activity).toBeCloseTo(Math.exp(0.2), 6);
      expect(c.sigmas!.generation).toBeUndefined();
    }
  });

  it('moves log σ² towards log L for classification and stays finite when a regression NLL is negative', () => {
    const opt = tf.train.sgd(0.1);
    for (const L of [5, 0.1]) {
      const store = new ParamStore(0);
      const w = createWeighting('uncertainty', ['activity', 'generation']);
      w.declare(store);
      const vars = store.list('weighting/');
      const before = vars.map((v) => v.dataSync()[0]!);
      for (let i = 0; i < 50; i++) {
        // A well-fitted heteroscedastic head has a negative NLL; it must not drag any σ to 0.
        opt.minimize(() => w.combine({ activity: tf.scalar(L), generation: tf.scalar(-0.8) }, ctx, store).total, false, vars);
      }
      const after = vars.map((v) => v.dataSync()[0]!);
      // The optimum of e^{−s}L + ½s is s = log 2L; gradient steps approach it from s = 0.
      expect(Math.abs(after[0]! - Math.log(2 * L))).toBeLessThan(Math.abs(before[0]! - Math.log(2 * L)));
      expect(Math.abs(after[0]! - Math.log(2 * L))).toBeLessThan(0.5);
    }
  });
});

describe('the weighting registry', () => {
  it('lists valid names on an unknown one', () => {
    expect(() => createWeighting('magic', ['co2'])).toThrow(/valid: equal, fixed, uncertainty, dwa, gradnorm/);
    expect(WEIGHTING_NAMES).toHaveLength(5);
  });

  it('fixed needs a weight per task and applies it', () => {
    expect(() => createWeighting('fixed', ['co2', 'generation'], { fixed: { co2: 1 } })).toThrow(/generation/);
    const w = createWeighting('fixed', ['co2', 'generation'], { fixed: { co2: 2, generation: 0.5 } });
    const c = w.combine({ co2: tf.scalar(3), generation: tf.scalar(4) }, ctx, new ParamStore(0));
    expect(c.total.arraySync()).toBeCloseTo(8, 6);
    expect(c.weights).toEqual({ co2: 2, generation: 0.5 });
  });

  it('equal returns weight 1 per task', () => {
    const c = createWeighting('equal', ['activity', 'co2']).combine({ activity: tf.scalar(1), co2: tf.scalar(2) }, ctx, new ParamStore(0));
    expect(c.total.arraySync()).toBe(3);
    expect(c.weights).toEqual({ activity: 1, co2: 1 });
  });
});

describe('DWA (Liu et al. 2019)', () => {
  it('weights K·softmax(r/T) of the loss ratios, 1 before two epochs exist', () => {
    expect(dwaWeights(['generation', 'co2'], ctx, 2)).toEqual({ generation: 1, co2: 1 });
    const c: StepContext = { ...ctx, lossFloor: { activity: 0, generation: 0, co2: 0 }, history: [{ generation: 2, co2: 2 }, { generation: 1, co2: 2 }] };
    const w = dwaWeights(['generation', 'co2'], c, 2);
    const e1 = Math.exp(0.5 / 2);
    const e2 = Math.exp(1 / 2);
    expect(w.generation).toBeCloseTo((2 * e1) / (e1 + e2), 6);
    expect(w.co2).toBeCloseTo((2 * e2) / (e1 + e2), 6);
  });
});

describe('GradNorm (Chen et al. 2018)', () => {
  it('raises the weight of the task with the smaller gradient norm and keeps Σw = T', () => {
    const w = createWeighting('gradnorm', ['generation', 'co2']);
    expect(w.needsSharedGradNorms).toBe(true);
    for (let i = 0; i < 5; i++) w.observe!({ losses: { generation: 1, co2: 1 }, sharedGradNorms: { generation: 4, co2: 1 }, ctx });
    const c = w.combine({ generation: tf.scalar(1), co2: tf.scalar(1) }, ctx, new ParamStore(0));
    expect(c.weights.co2!).toBeGreaterThan(c.weights.generation!);
    expect(c.weights.co2! + c.weights.generation!).toBeCloseTo(2, 6);
  });
});
