/**
 * The validation score training selects epochs by (TrainConfig.selection). `plume_activity`
 * is the activity log-loss on the overpasses of plants whose cooling can show a plume, so
 * what the model does on once-through and air-cooled plants (where no image tells the state)
 * cannot pick the epoch; `all_tasks` is the fleet-wide sum it always was.
 */
import { describe, expect, it } from 'vitest';
import type { SamplePrediction } from '../../src/model/predictor.js';
import { evaluationMetrics, type Truth } from '../../src/train/metrics.js';
import { selectionScoreOf, validationScore } from '../../src/train/trainer.js';
import { createRng } from '../../src/train/rng.js';
import { TASKS } from '../../src/model/spec.js';

const scales = { generation: { mean: 400, std: 250 }, co2: { mean: 300, std: 200 } };
const TECHNOLOGIES = ['natural_draught', 'mechanical_draught', 'wet_fgd_stack', 'once_through', 'air', null] as const;
const PLUME = new Set<string | null>(['natural_draught', 'mechanical_draught', 'wet_fgd_stack']);

function world(seed: number, n: number): { truths: Truth[]; preds: SamplePrediction[] } {
  const rng = createRng(seed);
  const truths: Truth[] = Array.from({ length: n }, (_, i) => {
    const active = rng() < 0.15 ? null : rng() < 0.6;
    const cap = 200 + rng() * 1500;
    const gen = active === null ? null : active ? cap * (0.3 + 0.6 * rng()) : 0;
    return { active, generation_mw: gen, co2_t_per_h: gen === null ? null : gen * 0.8, fuel: 'coal', capacity_mw: cap, technology: TECHNOLOGIES[i % TECHNOLOGIES.length]! };
  });
  const preds = truths.map((t) => {
    const g = t.capacity_mw * rng() * 0.8;
    return { p_on: 0.02 + 0.96 * rng(), generation_mw: g, generation_mw_sd: 50, generation_mw_half90: 80, co2_t_per_h: g * 0.8, co2_t_per_h_sd: 40, co2_t_per_h_half90: 70 };
  });
  return { truths, preds };
}

/** Mean binary cross-entropy written out, the reference. */
function logLoss(pairs: readonly [boolean, number][]): number {
  return -pairs.reduce((a, [y, p]) => a + (y ? Math.log(p) : Math.log(1 - p)), 0) / pairs.length;
}

const score = (selection: 'all_tasks' | 'plume_activity', preds: readonly SamplePrediction[], truths: readonly Truth[]): number =>
  selectionScoreOf(selection, preds, truths, evaluationMetrics(preds, truths, TASKS), scales);

describe('selectionScoreOf', () => {
  for (const seed of [1, 2, 3]) {
    it(`plume_activity is the log-loss on plume-capable plants' labelled overpasses only (seed ${seed})`, () => {
      const { truths, preds } = world(seed, 60);
      const plumePairs = truths.flatMap((t, i): [boolean, number][] => (t.active !== null && PLUME.has(t.technology ?? null) ? [[t.active, preds[i]!.p_on]] : []));
      expect(plumePairs.length).toBeGreaterThan(5);
      expect(score('plume_activity', preds, truths)).toBeCloseTo(logLoss(plumePairs), 12);
      // What the model says on plants no image can tell does not move it; on plume plants it does.
      const others = preds.map((p, i) => (PLUME.has(truths[i]!.technology ?? null) ? p : { ...p, p_on: 1 - p.p_on, generation_mw: 0 }));
      expect(score('plume_activity', others, truths)).toBe(score('plume_activity', preds, truths));
      expect(score('all_tasks', others, truths)).not.toBe(score('all_tasks', preds, truths));
      const flipped = preds.map((p, i) => (PLUME.has(truths[i]!.technology ?? null) ? { ...p, p_on: 1 - p.p_on } : p));
      expect(score('plume_activity', flipped, truths)).not.toBe(score('plume_activity', preds, truths));
    });
  }

  it('all_tasks sums the activity log-loss over every labelled overpass and the scaled MAEs', () => {
    const { truths, preds } = world(7, 40);
    const pairs = truths.flatMap((t, i): [boolean, number][] => (t.active !== null ? [[t.active, preds[i]!.p_on]] : []));
    const m = evaluationMetrics(preds, truths, TASKS);
    expect(score('all_tasks', preds, truths)).toBeCloseTo(logLoss(pairs) + m.generation!.mae / 250 + m.co2!.mae / 200, 12);
    expect(validationScore(m, logLoss(pairs), scales)).toBeCloseTo(score('all_tasks', preds, truths), 12);
  });

  it('with no labelled overpass of a plume-capable plant, the log-loss over all labelled overpasses stands in', () => {
    const { truths, preds } = world(9, 30);
    const noPlume = truths.map((t, i) => ({ ...t, technology: i % 2 === 0 ? 'once_through' : 'air' }));
    const pairs = noPlume.flatMap((t, i): [boolean, number][] => (t.active !== null ? [[t.active, preds[i]!.p_on]] : []));
    expect(score('plume_activity', preds, noPlume)).toBeCloseTo(logLoss(pairs), 12);
    // Unknown technologies (null) count as not plume-capable too.
    const unknown = truths.map((t) => ({ ...t, technology: null }));
    expect(score('plume_activity', preds, unknown)).toBeCloseTo(logLoss(pairs), 12);
  });
});
