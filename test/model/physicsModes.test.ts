import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParamStore } from '../../src/model/params.js';
import { co2TPerH, generationMW, loadEmissionFactors } from '../../src/model/physics.js';
import { createPhysics, PHYSICS_NAMES } from '../../src/model/physicsModes/index.js';
import { FUEL_CORRECTION_PARAM, hardGenerationMW } from '../../src/model/physicsModes/hard.js';
import { makePhysicsBatch } from '../../src/model/network.js';
import type { RawHeads } from '../../src/model/heads.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const efs = loadEmissionFactors();
const scales = { generation: { mean: 400, std: 250 }, co2: { mean: 350, std: 220 } };
const plants = [
  { fuel: 'lignite' as const, capacity_mw: 900 },
  { fuel: 'gas' as const, capacity_mw: 400 },
  { fuel: 'coal' as const, capacity_mw: 1200 },
];
const raw = (activityLogit: number[], cf: number[]): RawHeads => ({
  activityLogit: tf.tensor1d(activityLogit),
  generationRaw: tf.tensor1d(cf),
  generationLogVar: tf.zeros([cf.length]),
  co2Raw: tf.tensor1d(cf.map(() => 3)),
  co2LogVar: tf.zeros([cf.length]),
});

describe('hard physics', () => {
  it('gives exactly zero generation and CO2 when P(on) = 0', () => {
    const g = hardGenerationMW(tf.tensor1d([0, 0, 0]), tf.tensor1d([0.9, 0.5, 1]), tf.tensor1d([900, 400, 1200]));
    expect(g.arraySync()).toEqual([0, 0, 0]);
    const store = new ParamStore(0);
    const hard = createPhysics('hard');
    hard.declare(store);
    // A logit of −∞ is P(on) = 0 exactly.
    const out = hard.compose(raw([-Infinity, -Infinity, -Infinity], [2, 0, -1]), makePhysicsBatch(plants, efs, scales), store);
    expect(out.generationMW.arraySync()).toEqual([0, 0, 0]);
    expect(out.co2TPerH.arraySync()).toEqual([0, 0, 0]);
  });

  it('gives generation = P(on)·CF·capacity and CO2 = EF(fuel) × generation, matching the pure functions', () => {
    const store = new ParamStore(0);
    const hard = createPhysics('hard');
    hard.declare(store);
    const logits = [1.5, -0.3, 4];
    const cfRaw = [0.2, -1, 2];
    const out = hard.compose(raw(logits, cfRaw), makePhysicsBatch(plants, efs, scales), store);
    const gen = out.generationMW.arraySync();
    const co2 = out.co2TPerH.arraySync();
    const sig = (x: number): number => 1 / (1 + Math.exp(-x));
    plants.forEach((p, i) => {
      const expectedGen = generationMW(sig(logits[i]!) * sig(cfRaw[i]!), p.capacity_mw);
      expect(gen[i]).toBeCloseTo(expectedGen, 2);
      expect(gen[i]!).toBeLessThanOrEqual(p.capacity_mw);
      expect(co2[i]).toBeCloseTo(co2TPerH(efs[p.fuel].median, gen[i]!), 2);
    });
  });

  it('applies the learned per-fuel correction, bounded to ±10 %', () => {
    const store = new ParamStore(0);
    const hard = createPhysics('hard');
    hard.declare(store);
    store.get(FUEL_CORRECTION_PARAM).assign(tf.tensor1d([100, -100, 0, 0])); // lignite, coal, gas, oil
    const out = hard.compose(raw([3, 3, 3], [1, 1, 1]), makePhysicsBatch(plants, efs, scales), store);
    const gen = out.generationMW.arraySync();
    const co2 = out.co2TPerH.arraySync();
    expect(co2[0]! / (efs.lignite.median * gen[0]!)).toBeCloseTo(Math.exp(0.1), 4);
    expect(co2[1]! / (efs.gas.median * gen[1]!)).toBeCloseTo(1, 5);
  });
});

describe('soft physics', () => {
  it('penalises CO2 ≠ EF × generation, generation above capacity and generation when off', () => {
    const soft = createPhysics('soft');
    const batch = makePhysicsBatch(plants, efs, scales);
    const mk = (gen: number[], co2: number[], logit: number[]) => ({
      activityLogit: tf.tensor1d(logit),
      generationMW: tf.tensor1d(gen),
      generationLogVar: tf.zeros([3]) as tf.Tensor1D,
      co2TPerH: tf.tensor1d(co2),
      co2LogVar: tf.zeros([3]) as tf.Tensor1D,
    });
    const gen = [500, 300, 600];
    const consistent = gen.map((g, i) => efs[plants[i]!.fuel].median * g);
    const ok = soft.penalty(mk(gen, consistent, [30, 30, 30]), batch)!.arraySync() as number;
    expect(ok).toBeCloseTo(0, 4);
    expect(soft.penalty(mk(gen, consistent.map((c) => c * 1.5), [30, 30, 30]), batch)!.arraySync()).toBeGreaterThan(0.1);
    expect(soft.penalty(mk([1500, 300, 600], [1.18 * 1500, consistent[1]!, consistent[2]!], [30, 30, 30]), batch)!.arraySync()).toBeGreaterThan(0.1);
    expect(soft.penalty(mk(gen, consistent, [-30, -30, -30]), batch)!.arraySync()).toBeGreaterThan(0.1);
  });

  it('the registry lists the valid modes on an unknown name', () => {
    expect(PHYSICS_NAMES).toEqual(['none', 'soft', 'hard']);
    expect(() => createPhysics('strict')).toThrow(/valid: none, soft, hard/);
  });
});
