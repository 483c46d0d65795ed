/** weather.csv and the one rule that gives train, evaluate and predict the weather at an overpass. */
import { describe, expect, it } from 'vitest';
import { formatWeatherCsv, parseWeatherCsv, weatherAt } from '../../src/records/weather.js';

const HEADER = 'site_id,datetime,temperature_c,relative_humidity,wind_u,wind_v';
const rows = parseWeatherCsv(
  [
    HEADER,
    'A,2024-05-17T09:00:00Z,10,80,1,-2',
    'A,2024-05-17T12:00:00+02:00,12,70,3,-4', // = 10:00Z: an offset is as good as Z
    'A,2024-05-20T10:30:00Z,15,60,1,2',
    'B,2024-05-17T10:25:59Z,3,90,,',
  ].join('\n'),
  'weather.csv',
);
const t = (iso: string) => Date.parse(iso);

describe('weatherAt', () => {
  const at = weatherAt(rows, 2);
  it('interpolates linearly between the rows around the overpass', () => {
    const w = at('A', t('2024-05-17T09:15:00Z'));
    expect(w?.temperature_c).toBeCloseTo(10.5, 12);
    expect(w?.relative_humidity).toBeCloseTo(77.5, 12);
    expect(w?.wind_u).toBeCloseTo(1.5, 12);
    expect(w?.wind_v).toBeCloseTo(-2.5, 12);
  });
  it('takes a row at the very time as it is, missing values included', () => {
    expect(at('B', t('2024-05-17T10:25:59Z'))).toEqual({ temperature_c: 3, relative_humidity: 90, wind_u: null, wind_v: null });
    expect(at('A', t('2024-05-17T10:00:00Z'))?.temperature_c).toBe(12);
  });
  it('refuses across a gap longer than the limit, outside the rows, and for an unknown site', () => {
    expect(at('A', t('2024-05-18T10:00:00Z'))).toBeNull();
    expect(weatherAt(rows, 80)('A', t('2024-05-18T10:00:00Z'))?.temperature_c).toBeCloseTo(12 + (3 / 72.5) * 24, 9);
    expect(at('A', t('2024-05-17T08:59:59Z'))).toBeNull();
    expect(at('A', t('2024-05-20T10:30:01Z'))).toBeNull();
    expect(at('C', t('2024-05-17T10:00:00Z'))).toBeNull();
  });
  it('a value missing on either side is missing in between', () => {
    const gappy = parseWeatherCsv(`${HEADER}\nS,2024-01-01T00:00:00Z,1,50,,0\nS,2024-01-01T01:00:00Z,3,,2,4\n`, 'w.csv');
    expect(weatherAt(gappy)('S', t('2024-01-01T00:30:00Z'))).toEqual({ temperature_c: 2, relative_humidity: null, wind_u: null, wind_v: 2 });
  });
});

describe('weather.csv', () => {
  it('writes what it reads, to one decimal, blank for missing', () => {
    const text = formatWeatherCsv(rows.map(({ time_ms: _t, ...r }) => r));
    expect(text.split('\n')[0]).toBe(HEADER);
    expect(text).toContain('\nB,2024-05-17T10:25:59Z,3,90,,\n');
    expect(parseWeatherCsv(text, 'again.csv')).toEqual(rows);
  });
  it('names file, line and column of a bad value', () => {
    expect(() => parseWeatherCsv(`${HEADER}\nA,2024-05-17T09:00:00Z,10,180,1,2\n`, 'w.csv')).toThrow("w.csv: line 2, column 'relative_humidity': 180 outside [0, 100]");
    expect(() => parseWeatherCsv(`${HEADER}\nA,2024-05-17T09:00:00Z,warm,80,1,2\n`, 'w.csv')).toThrow("w.csv: line 2, column 'temperature_c': 'warm' is not a number");
  });
});
