import { describe, expect, it } from 'vitest';
import type { SamplePrediction } from '../../src/model/predictor.js';
import { mulberry32 } from '../../src/random.js';
import { coolingClassOf, COOLINGS } from '../../src/records/sites.js';
import { evaluationMetrics, type Truth } from '../../src/train/metrics.js';

const rand = mulberry32(8);
const technologies = [...COOLINGS, 'hybrid', null];
const n = 90;
const truths: Truth[] = Array.from({ length: n }, (_, i) => {
  const active = rand() < 0.6;
  const cap = 200 + 1000 * rand();
  const gen = active ? cap * (0.2 + 0.7 * rand()) : 0;
  return { active, generation_mw: gen, co2_t_per_h: i % 9 === 0 ? null : gen * 0.8, fuel: i % 2 ? 'gas' : 'coal', capacity_mw: cap, technology: technologies[i % technologies.length]! };
});
const preds: SamplePrediction[] = truths.map((t) => {
  const g = Math.max(0, (t.generation_mw ?? 0) + 150 * (rand() - 0.5));
  return { p_on: rand(), generation_mw: g, generation_mw_sd: 40, generation_mw_half90: 60 + 40 * rand(), co2_t_per_h: g * 0.8, co2_t_per_h_sd: 30, co2_t_per_h_half90: 50 };
});

describe('evaluationMetrics per cooling class', () => {
  it('scores each class exactly as the metrics of its samples alone', () => {
    const m = evaluationMetrics(preds, truths, ['activity', 'generation', 'co2']);
    expect(Object.keys(m.per_cooling_class).sort()).toEqual(['no_plume', 'plume', 'unknown']);
    let total = 0;
    for (const c of ['plume', 'no_plume', 'unknown'] as const) {
      const idx = truths.flatMap((t, i) => (coolingClassOf(t.technology) === c ? [i] : []));
      const alone = evaluationMetrics(idx.map((i) => preds[i]!), idx.map((i) => truths[i]!), ['activity', 'generation', 'co2']);
      const got = m.per_cooling_class[c]!;
      expect(got.n).toBe(idx.length);
      expect(got.activity).toEqual(alone.activity);
      expect(got.generation).toEqual(alone.generation);
      expect(got.co2).toEqual(alone.co2);
      total += got.n;
    }
    expect(total).toBe(n);
    // Three plume coolings, two without, and two unknown (an unlisted name and none) of every seven.
    expect(m.per_cooling_class.plume!.n).toBe(39);
    expect(m.per_cooling_class.plume!.generation!.mae).not.toBe(m.per_cooling_class.no_plume!.generation!.mae);
  });

  it('is empty when no plant has a known cooling technology', () => {
    const unknown = truths.map((t) => ({ ...t, technology: null }));
    expect(evaluationMetrics(preds, unknown, ['generation']).per_cooling_class).toEqual({});
  });

  it('classes coolings by whether they make a plume', () => {
    expect(['natural_draught', 'mechanical_draught', 'wet_fgd_stack', 'once_through', 'air', 'hybrid', null, undefined].map(coolingClassOf)).toEqual([
      'plume',
      'plume',
      'plume',
      'no_plume',
      'no_plume',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });
});
