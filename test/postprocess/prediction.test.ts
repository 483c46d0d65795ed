import { describe, expect, it } from 'vitest';
import { makePredictionRecord } from '../../src/postprocess/prediction.js';
import { formatPredictionLine, formatPredictions, parsePredictionLine, parsePredictions, PredictionParseError } from '../../src/records/predictions.js';
import { mergePredictions, PredictionConflictError } from '../../src/postprocess/mergePredictions.js';

const manifest = { scene_id: 'S2A_20240517', site_id: 'p1', datetime: '2024-05-17T10:25:59.000Z', valid_fraction: 0.97, cloud_fraction: 0.1, fingerprint: 'abc' };

describe('prediction records', () => {
  it('derives 90% intervals, clips at zero and round-trips through a line', () => {
    const r = makePredictionRecord(
      manifest,
      { p_on: 0.8, generation_mw: 20, generation_mw_sd: 30, co2_t_per_h: 400, co2_t_per_h_sd: 10 },
      { id: 'm1', backend: 'wasm' },
    );
    expect(r.datetime).toBe('2024-05-17T10:25:59Z');
    expect(r.generation_mw_p05).toBe(0);
    expect(r.generation_mw_p95).toBeCloseTo(20 + 1.6448536 * 30, 5);
    expect(r.co2_t_per_h_p05).toBeCloseTo(400 - 16.448536, 5);
    const line = formatPredictionLine(r);
    expect(Object.keys(JSON.parse(line) as object)[0]).toBe('scene_id');
    expect(parsePredictionLine(line, 1)).toEqual(r);
  });
  it('keeps nulls for tasks the model does not have', () => {
    const r = makePredictionRecord(
      manifest,
      { p_on: 0.3, generation_mw: null, generation_mw_sd: null, co2_t_per_h: null, co2_t_per_h_sd: null },
      { id: 'm1', backend: 'cpu' },
    );
    expect(r.generation_mw_p05).toBeNull();
    expect(parsePredictions(`${formatPredictionLine(r)}\n\n`)).toEqual([r]);
  });
  it('names the line and the problem of a bad record', () => {
    const good = JSON.parse(
      formatPredictionLine(makePredictionRecord(manifest, { p_on: 1, generation_mw: 1, generation_mw_sd: 1, co2_t_per_h: 1, co2_t_per_h_sd: 1 }, { id: 'm', backend: 'b' })),
    ) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>) => `${JSON.stringify(good)}\n${JSON.stringify({ ...good, ...patch })}\n`;
    expect(() => parsePredictions(bad({ p_on: 1.5 }))).toThrow(/^line 2: p_on must be a number in \[0, 1\] or null$/);
    expect(() => parsePredictions(bad({ generation_mw_sd: -1 }))).toThrow(/line 2: generation_mw_sd/);
    expect(() => parsePredictions(bad({ datetime: 'yesterday' }))).toThrow(/line 2: datetime 'yesterday' is not ISO 8601/);
    expect(() => parsePredictions(bad({ model_id: '' }))).toThrow(/line 2: model_id/);
    expect(() => parsePredictions('{"a":1')).toThrow(PredictionParseError);
    const { backend: _, ...noBackend } = good;
    expect(() => parsePredictions(JSON.stringify(noBackend))).toThrow(/line 1: backend/);
  });
});

describe('mergePredictions', () => {
  const mk = (scene: string, site: string, gen: number, model = 'm1', backend = 'wasm') =>
    makePredictionRecord({ ...manifest, scene_id: scene, site_id: site }, { p_on: 1, generation_mw: gen, generation_mw_sd: 5, co2_t_per_h: gen, co2_t_per_h_sd: 5 }, { id: model, backend });
  it('is order-independent and keeps exact duplicates once', () => {
    const a = [mk('s2', 'p1', 10), mk('s1', 'p1', 11)];
    const b = [mk('s1', 'p2', 12), mk('s2', 'p1', 10)];
    const ab = mergePredictions([{ label: 'a', records: a }, { label: 'b', records: b }]);
    const ba = mergePredictions([{ label: 'b', records: b }, { label: 'a', records: a }]);
    expect(formatPredictions(ab)).toBe(formatPredictions(ba));
    expect(ab.map((r) => `${r.scene_id}/${r.site_id}`)).toEqual(['s1/p1', 's1/p2', 's2/p1']);
  });
  it('refuses conflicting duplicates and mixed models, naming the files', () => {
    expect(() => mergePredictions([{ label: 'a.jsonl', records: [mk('s1', 'p1', 10)] }, { label: 'b.jsonl', records: [mk('s1', 'p1', 99)] }])).toThrow(
      /b.jsonl: scene s1 site p1 is also in a.jsonl with different values/,
    );
    expect(() => mergePredictions([{ label: 'a.jsonl', records: [mk('s1', 'p1', 10)] }, { label: 'b.jsonl', records: [mk('s2', 'p1', 10, 'm2')] }])).toThrow(
      PredictionConflictError,
    );
  });
  it('picks one of two backends deterministically', () => {
    const x = mk('s1', 'p1', 10, 'm1', 'wasm');
    const y = mk('s1', 'p1', 10.000001, 'm1', 'tensorflow');
    const xy = mergePredictions([{ label: 'x', records: [x] }, { label: 'y', records: [y] }]);
    const yx = mergePredictions([{ label: 'y', records: [y] }, { label: 'x', records: [x] }]);
    expect(xy).toEqual(yx);
  });
});
