/** Acquisition times from names and TIFF tags, and band sets as data. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { bandIdOf, loadBandSet, validateBandSet } from '../../src/tiling/bandSet.js';
import { datetimeFromName, datetimeFromTiffTag, datetimeFromUser, mostPreciseDatetime, sceneIdOfFile } from '../../src/tiling/sceneName.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeGeoTiff } from '../../src/geo/writeGeoTiff.js';
import { openScene } from '../../src/tiling/scene.js';

describe('scene names', () => {
  it.each([
    ['S2B_MSIL2A_20240517T102559_N0510_R065_T32ULB_20240517T131545', '2024-05-17T10:25:59Z'],
    ['T32ULB_20240517T102559_B02_10m.jp2', '2024-05-17T10:25:59Z'],
    ['landsat8_l1tp_016037_20170813', '2017-08-13T00:00:00Z'],
    ['LC08_L1TP_016037_20170813_20170814_01_RT', '2017-08-13T00:00:00Z'],
    ['scene_20240231T000000_x', null],
    ['rgb_lzw', null],
    ['plant_123456789', null],
  ])('%s → %s', (name, iso) => {
    expect(datetimeFromName(name)).toBe(iso);
  });
  it('reads TIFF DateTime tags', () => {
    expect(datetimeFromTiffTag('2021:03:04 05:06:07')).toBe('2021-03-04T05:06:07Z');
    expect(datetimeFromTiffTag('yesterday')).toBeNull();
    expect(datetimeFromTiffTag(null)).toBeNull();
  });
  it('scene ids drop the extension only', () => {
    expect(sceneIdOfFile('S2A_T19UDP_20170729T153641.tif')).toBe('S2A_T19UDP_20170729T153641');
    expect(sceneIdOfFile('a.b.TIFF')).toBe('a.b');
  });
});

describe('--datetime values', () => {
  it.each([
    ['2017-08-13', '2017-08-13T00:00:00Z'],
    ['2017-08-13T15:40:00Z', '2017-08-13T15:40:00Z'],
    ['2017-08-13T15:40Z', '2017-08-13T15:40:00Z'],
    ['2017-08-13T17:40:00+02:00', '2017-08-13T15:40:00Z'],
    ['2017-08-13T00:30:00-01:00', '2017-08-13T01:30:00Z'],
  ])('%s is %s', (text, iso) => expect(datetimeFromUser(text)).toBe(iso));

  it.each(['2017-08-13T15:40:00', '2017-02-30', '13.08.2017', 'yesterday', ''])('refuses %j (no zone, not a date)', (text) =>
    expect(datetimeFromUser(text)).toBeNull(),
  );
});

describe('band sets', () => {
  it('sentinel2-l2a: 12 bands in product order, SCL as the cloud mask', () => {
    const s = loadBandSet('sentinel2-l2a');
    expect(s.bands.map((b) => b.id)).toEqual(['B01', 'B02', 'B03', 'B04', 'B05', 'B06', 'B07', 'B08', 'B8A', 'B09', 'B11', 'B12']);
    expect(s.cloud_mask).toMatchObject({ band: 'SCL', classes: [3, 8, 9, 10] });
    expect(bandIdOf('T32ULB_20240517T102559_B8A_20m.tif', s)).toBe('B8A');
    expect(bandIdOf('B02.tif', s)).toBe('B02');
    expect(bandIdOf('T32ULB_20240517T102559_SCL_20m.tif', s)).toBe('SCL');
    expect(bandIdOf('T32ULB_20240517T102559_TCI_10m.tif', s)).toBeNull();
  });
  it('sentinel2-l1c has 13 bands with B10; landsat8 reads USGS names', () => {
    expect(loadBandSet('sentinel2-l1c').bands.map((b) => b.id)).toContain('B10');
    const l8 = loadBandSet('landsat8');
    expect(l8.bands.map((b) => b.id)).toEqual(['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B9', 'B10', 'B11']);
    expect(bandIdOf('LC08_L1TP_016037_20170813_20170814_01_RT_B10.TIF', l8)).toBe('B10');
    expect(bandIdOf('LC08_L1TP_016037_20170813_20170814_01_RT_B1.TIF', l8)).toBe('B1');
  });
  it('names unknown sets and invalid definitions', () => {
    expect(() => loadBandSet('sentinel3')).toThrow(/sentinel3: unknown band set \(built in: sentinel2-l2a/);
    expect(() => validateBandSet({ name: 'x', file_pattern: '(', bands: [{ id: 'A' }] }, 'x.json')).toThrow(/not a valid regular expression/);
    expect(() => validateBandSet({ name: 'x', file_pattern: '(A)', bands: [{ id: 'A' }, { id: 'a' }] }, 'x.json')).toThrow(/band 'A' listed twice/);
    expect(() => validateBandSet({ name: 'x', file_pattern: '(A)', bands: [] }, 'x.json')).toThrow(InputError);
    expect(() => validateBandSet({ name: 'x', file_pattern: '(A)', bands: [{ id: 'A' }], extra: 1 }, 'x.json')).toThrow(/unknown key 'extra'/);
  });
});

describe('time precedence: the most precise of item datetime, name and DateTime tag', () => {
  it('prefers seconds over a date-only name, sub-seconds over seconds, and ignores a time on another day', () => {
    expect(mostPreciseDatetime([null, '2024-01-02T00:00:00Z', '2024-01-02T10:25:59Z'])).toBe('2024-01-02T10:25:59Z');
    expect(mostPreciseDatetime(['2024-01-02T10:25:59.024Z', '2024-01-02T00:00:00Z', '2024-01-02T10:25:59Z'])).toBe('2024-01-02T10:25:59.024Z');
    expect(mostPreciseDatetime(['2024-01-02T10:25:59Z', null, '2024-01-02T10:26:00Z'])).toBe('2024-01-02T10:25:59Z');
    // A DateTime tag from a later processing day does not replace the name's acquisition day.
    expect(mostPreciseDatetime([null, '2024-01-02T00:00:00Z', '2024-03-09T08:00:00Z'])).toBe('2024-01-02T00:00:00Z');
    expect(mostPreciseDatetime([null, null, null])).toBeNull();
  });

  it('an Earth Search style name S2A_32UPC_20240102_0_L2A with DateTime tag 10:25:59 opens at 10:25:59', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-time-'));
    try {
      const file = path.join(dir, 'S2A_32UPC_20240102_0_L2A.tif');
      const band = Uint16Array.from({ length: 64 }, (_, i) => 100 + i * 7);
      await writeGeoTiff(file, { width: 8, height: 8, dataType: 'uint16', bands: [band], geoTransform: [600000, 10, 0, 5300000, 0, -10], epsg: 32632, datetime: '2024:01:02 10:25:59' });
      const scene = await openScene({ kind: 'multiband', scene_id: 'S2A_32UPC_20240102_0_L2A', source: file, fingerprint: 'x' });
      expect(scene.datetime).toBe('2024-01-02T10:25:59Z');
      await scene.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
