import { describe, expect, it } from 'vitest';
import { weatherLookup } from '../../src/predict/modelPredictor.js';
import { parseWeatherCsv } from '../../src/model/data/weather.js';

const rows = parseWeatherCsv(
  [
    'site_id,datetime,temperature_c,relative_humidity,wind_u,wind_v',
    'A,2024-05-17T09:00:00Z,10,80,1,2',
    'A,2024-05-17T11:00:00Z,12,70,1,2',
    'A,2024-05-20T10:30:00Z,15,60,1,2',
    'B,2024-05-17T10:25:59Z,3,90,,',
  ].join('\n'),
  'weather.csv',
);

describe('weatherLookup', () => {
  const find = weatherLookup(rows, 3);
  it('takes the same site\'s nearest row within the tolerance', () => {
    expect(find('A', '2024-05-17T10:40:00Z')?.temperature_c).toBe(12);
    expect(find('A', '2024-05-17T09:20:00Z')?.temperature_c).toBe(10);
    expect(find('B', '2024-05-17T10:25:59Z')?.relative_humidity).toBe(90);
    expect(find('A', '2024-05-20T13:29:00Z')?.temperature_c).toBe(15);
  });
  it('returns null outside the tolerance or for an unknown site (the model imputes)', () => {
    expect(find('A', '2024-05-18T10:00:00Z')).toBeNull();
    expect(find('C', '2024-05-17T10:00:00Z')).toBeNull();
    expect(weatherLookup(rows, 0)('A', '2024-05-17T10:00:00Z')).toBeNull();
  });
});
