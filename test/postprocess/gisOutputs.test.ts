/**
 * The run's GIS layers as OGR (QGIS, ogr2ogr) reads them: predictions.csv (+ .csvt, .prj),
 * predictions.geojsonl and sites.fgb, with their documented field types, counts, SRS and values;
 * GDAL's answers are kept as goldens (test/helpers/oracle.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { geojson as fgb } from 'flatgeobuf';
import { describe, expect, it } from 'vitest';
import { SITE_FIELDS } from '../../src/postprocess/formatGeoJSON.js';
import { makePredictionRecord } from '../../src/postprocess/prediction.js';
import { parseWindowSpec } from '../../src/postprocess/windowSpec.js';
import { writeAggregates } from '../../src/postprocess/writeAggregates.js';
import { parseCsvTable } from '../../src/records/csv.js';
import { PREDICTION_TABLE_FIELDS } from '../../src/records/predictionTables.js';
import type { Site } from '../../src/records/sites.js';
import { ORACLE_NOTE, oracle } from '../helpers/oracle.js';
import { ogrDump, type OgrLayer } from './ogr.js';

const SITES: Site[] = [
  { site_id: 'lippendorf', lon: 12.3712345678, lat: 51.1787654321, name: 'Lippendorf', fuel: 'lignite', capacity_mw: 1840, technology: null },
  { site_id: 'belchatow', lon: 19.3263, lat: 51.2655, name: 'Bełchatów, "B"', fuel: 'lignite', capacity_mw: 5102, technology: null },
  { site_id: 'eemshaven', lon: 6.835, lat: 53.437, name: null, fuel: 'coal', capacity_mw: null, technology: null },
];
const OGR_TYPE = { string: 'String', integer: 'Integer', real: 'Real', datetime: 'DateTime' } as const;

async function writeRun() {
  const rows = [
    ['s1', 'lippendorf', '2024-05-02T10:26:41Z', 1000, 100, 0, 0.97],
    ['s2', 'lippendorf', '2024-05-12T10:26:41Z', 1200.5, 80, 0.5, 0.88],
    ['s1', 'belchatow', '2024-05-02T10:26:41Z', 3000, 0, 0, 1],
    ['s3', 'belchatow', '2024-06-20T09:56:02Z', 2000, 300, 1, 0.42],
    ['s2', 'eemshaven', '2024-05-12T10:26:41Z', 0, 5, null, 0.03],
  ] as const;
  const predictions = rows.map(([scene, site, dt, gen, sd, cloud, pOn]) =>
    makePredictionRecord(
      { scene_id: scene, site_id: site, datetime: dt, valid_fraction: 0.75 + (gen % 7) / 40, cloud_fraction: cloud, fingerprint: scene },
      { p_on: pOn, generation_mw: gen, generation_mw_sd: sd, co2_t_per_h: gen * 1.1, co2_t_per_h_sd: sd },
      { id: 'model-gis', backend: 'wasm' },
    ),
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'co2sat-gis-'));
  const files = { geojson: path.join(dir, 'sites.geojson'), fgb: path.join(dir, 'sites.fgb'), csv: path.join(dir, 'predictions.csv'), geojsonl: path.join(dir, 'predictions.geojsonl') };
  await writeAggregates({ predictions, sites: SITES, window: parseWindowSpec('month'), geojsonFile: files.geojson, fgbFile: files.fgb, predictionTables: { csvFile: files.csv, geojsonlFile: files.geojsonl } });
  return { predictions, files };
}

describe('GIS layers', () => {
  it(`predictions.csv: typed columns from .csvt, the wkt point as geometry, WGS 84 from .prj (${ORACLE_NOTE})`, async () => {
    const { predictions, files } = await writeRun();
    const inputs = { 'predictions.csv': files.csv, 'predictions.csvt': `${files.csv}t`, 'predictions.prj': files.csv.replace('.csv', '.prj') };
    const layer = oracle<OgrLayer>('postprocess/predictions-csv', () => ogrDump(files.csv), { inputs });
    expect(layer.driver).toBe('CSV');
    expect(layer.count).toBe(predictions.length);
    expect(layer.srs_epsg).toBe('4326');
    expect(layer.fields).toEqual([...PREDICTION_TABLE_FIELDS.map(([n, t]) => [n, OGR_TYPE[t]]), ['wkt', 'String']]);
    // Sorted by site then time; the point is the site's.
    expect(layer.features.map((f) => f.values.site_id)).toEqual(['belchatow', 'belchatow', 'eemshaven', 'lippendorf', 'lippendorf']);
    expect(layer.features[0]?.values.name).toBe('Bełchatów, "B"');
    expect(layer.features[3]?.x).toBeCloseTo(12.3712346, 7);
    expect(layer.features[3]?.values.datetime).toBe('2024/05/02 10:26:41+00');
    expect(layer.features[2]?.values.cloud_fraction).toBeNull();
    expect(layer.features[2]?.values.capacity_mw).toBeNull();
    // The same values read back by co2sat's own CSV reader.
    const table = parseCsvTable(readFileSync(files.csv, 'utf8'), files.csv, ['site_id', 'generation_mw']);
    expect(table.rows.find((r) => r.cells.scene_id === 's2' && r.cells.site_id === 'lippendorf')?.cells.generation_mw).toBe('1200.5');
  });

  it(`predictions.geojsonl: one Point feature per line, GeoJSONSeq with the same typed fields (${ORACLE_NOTE})`, async () => {
    const { predictions, files } = await writeRun();
    const lines = readFileSync(files.geojsonl, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(predictions.length);
    for (const l of lines) expect((JSON.parse(l) as { type: string }).type).toBe('Feature');
    const layer = oracle<OgrLayer>('postprocess/predictions-geojsonl', () => ogrDump(files.geojsonl), { inputs: { 'predictions.geojsonl': files.geojsonl } });
    expect(layer.driver).toBe('GeoJSONSeq');
    expect(layer.count).toBe(predictions.length);
    expect(layer.srs_epsg).toBe('4326');
    const expected = PREDICTION_TABLE_FIELDS.filter(([n]) => n !== 'lon' && n !== 'lat').map(([n, t]) => [n, OGR_TYPE[t]]);
    expect(layer.fields).toEqual(expected);
    expect(layer.features.map((f) => [f.values.site_id, f.values.scene_id])).toEqual([['belchatow', 's1'], ['belchatow', 's3'], ['eemshaven', 's2'], ['lippendorf', 's1'], ['lippendorf', 's2']]);
    expect(Number(layer.features[1]?.values.generation_mw)).toBe(2000);
  });

  it(`sites.fgb: the GeoJSON's features with the same declared types, EPSG:4326 (${ORACLE_NOTE})`, async () => {
    const { files } = await writeRun();
    const layer = oracle<OgrLayer>('postprocess/sites-fgb', () => ogrDump(files.fgb), { inputs: { 'sites.fgb': files.fgb } });
    const geo = oracle<OgrLayer>('postprocess/sites-geojson-for-fgb', () => ogrDump(files.geojson), { inputs: { 'sites.geojson': files.geojson } });
    expect(layer.driver).toBe('FlatGeobuf');
    expect(layer.srs_epsg).toBe('4326');
    expect(layer.fields).toEqual(SITE_FIELDS.map(([n, t]) => [n, OGR_TYPE[t]]));
    expect(layer.fields).toEqual(geo.fields);
    expect(layer.count).toBe(geo.count);
    layer.features.forEach((f, i) => {
      const g = geo.features[i];
      expect([f.x, f.y]).toEqual([g?.x, g?.y]);
      for (const [name, type] of SITE_FIELDS) {
        const a = f.values[name] ?? null;
        const b = g?.values[name] ?? null;
        if (type === 'real' && a !== null && b !== null) expect(Number(a)).toBeCloseTo(Number(b), 5);
        else expect([name, a]).toEqual([name, b]);
      }
    });
    // And the flatgeobuf package itself reads it back.
    const back: unknown[] = [];
    for await (const f of fgb.deserialize(new Uint8Array(readFileSync(files.fgb)))) back.push(f);
    expect(back).toHaveLength(geo.count);
  });
});
