import { describe, expect, it } from 'vitest';
import { isoUtc, timeWindowOf, windowHours } from '../../src/postprocess/timeWindowOf.js';
import { formatWindowSpec, parseWindowSpec, WindowSpecError } from '../../src/postprocess/windowSpec.js';

const t = (s: string) => Date.parse(s);
const iso = (w: { start: number; end: number }) => [isoUtc(w.start), isoUtc(w.end)];

describe('parseWindowSpec', () => {
  it.each([
    ['30d', { kind: 'days', days: 30 }],
    ['1D', { kind: 'days', days: 1 }],
    ['month', { kind: 'month' }],
    [' Year ', { kind: 'year' }],
    ['all', { kind: 'all' }],
  ])('%s', (text, spec) => {
    expect(parseWindowSpec(text)).toEqual(spec);
    expect(formatWindowSpec(parseWindowSpec(text))).toBe(text.trim().toLowerCase());
  });
  it.each(['0d', '30', 'week', '-5d', '1.5d', ''])('rejects %j listing the forms', (text) => {
    expect(() => parseWindowSpec(text)).toThrow(WindowSpecError);
    expect(() => parseWindowSpec(text)).toThrow(/Nd .*month, year, all/);
  });
});

describe('timeWindowOf', () => {
  it('bins N days from the epoch, half-open', () => {
    const spec = parseWindowSpec('30d');
    // 2024-01-01 is day 19723 since the epoch; 19723 = 657*30 + 13 → bin starts day 19710 = 2023-12-19
    expect(iso(timeWindowOf(t('2024-01-01T00:00:00Z'), spec))).toEqual(['2023-12-19T00:00:00Z', '2024-01-18T00:00:00Z']);
    expect(iso(timeWindowOf(t('2024-01-17T23:59:59.999Z'), spec))).toEqual(['2023-12-19T00:00:00Z', '2024-01-18T00:00:00Z']);
    expect(iso(timeWindowOf(t('2024-01-18T00:00:00Z'), spec))).toEqual(['2024-01-18T00:00:00Z', '2024-02-17T00:00:00Z']);
    expect(iso(timeWindowOf(t('1970-01-01T00:00:00Z'), spec))).toEqual(['1970-01-01T00:00:00Z', '1970-01-31T00:00:00Z']);
    expect(iso(timeWindowOf(t('1969-12-31T23:00:00Z'), spec))).toEqual(['1969-12-02T00:00:00Z', '1970-01-01T00:00:00Z']);
    expect(windowHours(timeWindowOf(0, spec))).toBe(720);
  });
  it('uses UTC calendar months, leap years included', () => {
    const spec = parseWindowSpec('month');
    expect(iso(timeWindowOf(t('2024-02-29T23:59:59Z'), spec))).toEqual(['2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z']);
    expect(iso(timeWindowOf(t('2024-12-31T23:30:00Z'), spec))).toEqual(['2024-12-01T00:00:00Z', '2025-01-01T00:00:00Z']);
    // 01:30 at +02:00 is still the previous month in UTC
    expect(iso(timeWindowOf(t('2024-03-01T01:30:00+02:00'), spec))).toEqual(['2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z']);
    expect(windowHours(timeWindowOf(t('2023-02-10T00:00:00Z'), spec))).toBe(28 * 24);
  });
  it('uses UTC calendar years', () => {
    const spec = parseWindowSpec('year');
    expect(iso(timeWindowOf(t('2024-07-01T00:00:00Z'), spec))).toEqual(['2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z']);
    expect(windowHours(timeWindowOf(t('2024-07-01T00:00:00Z'), spec))).toBe(8784);
    expect(windowHours(timeWindowOf(t('2023-07-01T00:00:00Z'), spec))).toBe(8760);
  });
  it('spans whole days from the first to the last observation for all', () => {
    const spec = parseWindowSpec('all');
    const w = timeWindowOf(t('2024-03-05T10:00:00Z'), spec, [t('2024-03-01T23:00:00Z'), t('2024-03-05T10:00:00Z')]);
    expect(iso(w)).toEqual(['2024-03-01T00:00:00Z', '2024-03-06T00:00:00Z']);
    expect(() => timeWindowOf(0, spec)).toThrow(/range/);
  });
});
