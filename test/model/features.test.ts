/**
 * The aux vector only grows at its end: a model trained before the cooling inputs (12
 * features) must get exactly the vector it was trained on, and a model with them the same 12
 * followed by the cooling one-hot.
 */
import { describe, expect, it } from 'vitest';
import { AUX_FEATURE_NAMES, AUX_FEATURES, BASE_AUX_FEATURE_NAMES, BASE_AUX_FEATURES, computeAuxStats, toAuxInput, writeAuxFeatures } from '../../src/model/features.js';
import { COOLINGS, FUELS } from '../../src/records/sites.js';
import { mulberry32 } from '../../src/random.js';

const rand = mulberry32(41);
const technologies = [...COOLINGS, 'hybrid_tower', null];
const inputs = Array.from({ length: 24 }, (_, i) =>
  toAuxInput(
    { fuel: FUELS[i % FUELS.length]!, capacity_mw: 100 + 1500 * rand(), technology: technologies[i % technologies.length]! },
    i % 5 === 0 ? null : { temperature_c: 30 * rand() - 5, relative_humidity: 100 * rand(), wind_u: 10 * rand() - 5, wind_v: 10 * rand() - 5 },
    i % 7 === 0 ? null : rand(),
  ),
);
const stats = computeAuxStats(inputs);

const vectorOf = (i: number, count: number): number[] => {
  const out = new Float32Array(count + 2).fill(-9);
  writeAuxFeatures(inputs[i]!, stats, out, 1, count);
  expect(out[0]).toBe(-9);
  expect(out[count + 1]).toBe(-9);
  return Array.from(out.subarray(1, count + 1));
};

describe('writeAuxFeatures', () => {
  it('writes the base 12 for a model without cooling inputs and the same 12 then the cooling one-hot for one with them', () => {
    expect(BASE_AUX_FEATURES).toBe(12);
    expect(AUX_FEATURE_NAMES.slice(0, BASE_AUX_FEATURES)).toEqual([...BASE_AUX_FEATURE_NAMES]);
    expect(AUX_FEATURES).toBe(BASE_AUX_FEATURES + COOLINGS.length + 1);
    const distinct = new Set<string>();
    inputs.forEach((a, i) => {
      const base = vectorOf(i, BASE_AUX_FEATURES);
      const full = vectorOf(i, AUX_FEATURES);
      expect(full.slice(0, BASE_AUX_FEATURES)).toEqual(base);
      const cooling = full.slice(BASE_AUX_FEATURES);
      // Exactly one of the cooling columns is set: the technology's, or "unknown".
      expect(cooling.reduce((x, y) => x + y, 0)).toBe(1);
      const at = COOLINGS.indexOf(a.technology as (typeof COOLINGS)[number]);
      expect(cooling.indexOf(1)).toBe(at >= 0 ? at : COOLINGS.length);
      expect(AUX_FEATURE_NAMES[BASE_AUX_FEATURES + cooling.indexOf(1)]).toBe(at >= 0 ? `cooling_${a.technology}` : 'cooling_unknown');
      distinct.add(base.join(','));
    });
    expect(distinct.size).toBe(inputs.length);
  });

  it('refuses an aux length this version does not write', () => {
    expect(() => vectorOf(0, BASE_AUX_FEATURES + 1)).toThrow(/aux vector of 13 features: this version writes 12 or 18/);
  });

  it('takes the technology from the site, null when the site has none', () => {
    expect(toAuxInput({ fuel: 'coal', capacity_mw: 500, technology: 'air' }, null, null).technology).toBe('air');
    expect(toAuxInput({ fuel: 'coal', capacity_mw: 500 }, null, null).technology).toBeNull();
  });
});
