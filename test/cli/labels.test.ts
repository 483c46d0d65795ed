/**
 * `co2sat labels build` on the sources' own layouts (test/fixtures/series): ENTSO-E 16.1.A (two
 * header generations), US EPA CAMPD hourly, and a generic ';' CSV with a BOM; each expected value
 * is computed here from the fixture rows, independently of the reader.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelsCommand } from '../../src/cli/commands/labels.js';
import { parseLabelsCsv } from '../../src/records/labels.js';
import { manifestPath, writeManifest, type ManifestRecord } from '../../src/records/manifest.js';
import { REPO_ROOT } from '../helpers/oracle.js';
import { runCommand } from '../helpers/runCommand.js';
import { overpassRecord } from '../helpers/overpass.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/series');
const dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-labels-'));
const cli = (args: string[]) => runCommand(labelsCommand, ['build', ...args]);

const overpass = (site: string, iso: string): ManifestRecord => overpassRecord(site, iso);

async function tilesWith(name: string, records: ManifestRecord[]): Promise<string> {
  const tiles = path.join(dir, name);
  await writeManifest(manifestPath(tiles), records);
  return tiles;
}

/** The fixture's rows as [unit, epoch ms, value] from a delimited file, read naively. */
function rowsOf(file: string, delimiter: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path.join(FIX, file), 'utf8').trim().split(/\r?\n/);
  const unq = (s: string) => s.replace(/^"|"$/g, '');
  const header = (head ?? '').split(delimiter).map(unq);
  // CAMPD quotes every field; split on '","' so commas inside quotes stay.
  return lines.map((l) => {
    const cells = delimiter === ',' ? l.slice(1, -1).split('","') : l.split(delimiter);
    return Object.fromEntries(header.map((h, i) => [h, unq(cells[i] ?? '')]));
  });
}

const lerp = (t: number, a: [number, number], b: [number, number]) => a[1] + ((t - a[0]) / (b[0] - a[0])) * (b[1] - a[1]);

describe('labels build: ENTSO-E 16.1.A', () => {
  const entsoe = rowsOf('entsoe_actual_generation_per_unit_r3.csv', '\t');
  const at = (code: string, hour: number) => Number(entsoe.find((r) => r.GenerationUnitCode === code && r['DateTime(UTC)'] === `2024-05-17 ${String(hour).padStart(2, '0')}:00:00`)?.['ActualGenerationOutput[MW]']);

  it('sums the two Neurath units at the overpass, period means placed at the period middle', async () => {
    const tiles = await tilesWith('entsoe', [overpass('NEURATH', '2024-05-17T10:26:41Z'), overpass('IRSCHING', '2024-05-17T10:26:41Z'), overpass('MELLACH', '2024-05-17T10:26:41Z')]);
    const units = path.join(dir, 'units.csv');
    writeFileSync(units, 'unit_id,site_id\n11WD7NEUR1-----1,NEURATH\n11WD7NEUR2-----Y,NEURATH\n11WD2IRSCH-2---5,IRSCHING\n14W-MELLACH---Z,MELLACH\n');
    const out = path.join(dir, 'entsoe-labels.csv');
    const r = await cli(['--tiles', tiles, '--series', path.join(FIX, 'entsoe_actual_generation_per_unit_r3.csv'), '--units', units, '--out', out, '--json']);
    expect(r.code).toBe(0);
    const labels = parseLabelsCsv(readFileSync(out, 'utf8'), out);
    const t = Date.UTC(2024, 4, 17, 10, 26, 41);
    // Hourly means stand at hh:30; 10:26:41 lies between 09:30 and 10:30.
    const h = (hour: number) => Date.UTC(2024, 4, 17, hour, 30);
    const neurath = ['11WD7NEUR1-----1', '11WD7NEUR2-----Y'].reduce((s, u) => s + lerp(t, [h(9), at(u, 9)], [h(10), at(u, 10)]), 0);
    const n = labels.find((l) => l.site_id === 'NEURATH');
    expect(n?.generation_mw).toBeCloseTo(neurath, 2);
    expect(n?.active).toBe(true);
    expect(n?.co2_t_per_h).toBeNull(); // ENTSO-E has no CO₂, and none was asked to be derived
    // Irsching has no rows 09:00–11:00: the samples around the overpass are 3 h apart.
    expect(labels.find((l) => l.site_id === 'IRSCHING')).toBeUndefined();
    const json = JSON.parse(r.stdout) as { refusedGap: number; labelled: number; formats: Record<string, string> };
    expect(json).toMatchObject({ refusedGap: 1, labelled: 2 });
    expect(Object.values(json.formats)).toEqual(['entsoe']);
    // The 15-minute unit: means at hh:07:30, hh:22:30, …; 10:26:41 lies between 10:22:30 and 10:37:30.
    const q = (hh: number, mm: number) => Number(entsoe.find((x) => x.GenerationUnitCode === '14W-MELLACH---Z' && x['DateTime(UTC)'] === `2024-05-17 ${hh}:${mm}:00`)?.['ActualGenerationOutput[MW]']);
    const mel = lerp(t, [Date.UTC(2024, 4, 17, 10, 22, 30), q(10, 15)], [Date.UTC(2024, 4, 17, 10, 37, 30), q(10, 30)]);
    expect(labels.find((l) => l.site_id === 'MELLACH')?.generation_mw).toBeCloseTo(mel, 2);
  });

  it('reports the units the mapping does not know, and the gap, in plain words', async () => {
    const tiles = await tilesWith('entsoe2', [overpass('NEURATH', '2024-05-17T10:26:41Z'), overpass('IRSCHING', '2024-05-17T10:26:41Z')]);
    const units = path.join(dir, 'units-partial.csv');
    writeFileSync(units, 'unit_id,site_id\n11WD7NEUR1-----1,NEURATH\n11WD7NEUR2-----Y,NEURATH\n11WD2IRSCH-2---5,IRSCHING\n');
    const r = await cli(['--tiles', tiles, '--series', path.join(FIX, 'entsoe_actual_generation_per_unit_r3.csv'), '--units', units, '--out', path.join(dir, 'l2.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`2 units in the series have no plant in ${units} (ignored): 11WD7BOXB1-----R, 14W-MELLACH---Z`);
    expect(r.stderr).toContain('1 overpasses refused: the samples around them are more than 2 h apart (--max-gap)');
    const wide = await cli(['--tiles', tiles, '--series', path.join(FIX, 'entsoe_actual_generation_per_unit_r3.csv'), '--units', units, '--out', path.join(dir, 'l3.csv'), '--max-gap', '4', '--json']);
    expect(JSON.parse(wide.stdout)).toMatchObject({ refusedGap: 0, labelled: 2 });
  });

  it('reads the older export header too', async () => {
    const tiles = await tilesWith('entsoe-old', [overpass('19W000000000104V', '2024-05-17T09:45:00Z')]);
    const old = rowsOf('entsoe_actual_generation_per_unit_old.csv', '\t');
    const v = (hh: string) => Number(old.find((x) => x['DateTime (UTC)'] === `2024-05-17 ${hh}:00:00.000`)?.['ActualGenerationOutput(MW)']);
    const out = path.join(dir, 'old.csv');
    expect((await cli(['--tiles', tiles, '--series', path.join(FIX, 'entsoe_actual_generation_per_unit_old.csv'), '--out', out])).code).toBe(0);
    const expected = lerp(Date.UTC(2024, 4, 17, 9, 45), [Date.UTC(2024, 4, 17, 9, 30), v('09')], [Date.UTC(2024, 4, 17, 10, 30), v('10')]);
    expect(parseLabelsCsv(readFileSync(out, 'utf8'), out)[0]?.generation_mw).toBeCloseTo(expected, 2);
  });
});

describe('labels build: CAMPD hourly', () => {
  const campd = rowsOf('campd_emissions_hourly.csv', ',');
  it('load × operating time, short tons → t, local standard hours shifted by --utc-offset, units summed per facility', async () => {
    // 17:26 UTC = 11:26 CST (UTC-6): between the 10:30 and 11:30 hour middles.
    const tiles = await tilesWith('campd', [overpass('3470', '2024-05-17T17:26:00Z'), overpass('3470', '2024-05-18T17:26:00Z')]);
    const out = path.join(dir, 'campd.csv');
    const r = await cli(['--tiles', tiles, '--series', path.join(FIX, 'campd_emissions_hourly.csv'), '--utc-offset', '-6', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const f = (t: number) => (t - 30) / 60; // 11:26 lies 56/60 of the way from 10:30 to 11:30
    const value = (unit: string, hour: number, col: string) => {
      const row = campd.find((x) => x['Unit ID'] === unit && x.Hour === String(hour));
      const op = Number(row?.['Operating Time']);
      if (op === 0) return 0;
      return col === 'gen' ? Number(row?.['Gross Load (MW)']) * op : Number(row?.['CO2 Mass (short tons)']) * 0.90718474;
    };
    const sum = (col: string) => ['WAP5', 'WAP6', 'WAP8'].reduce((s, u) => s + value(u, 10, col) + f(86) * (value(u, 11, col) - value(u, 10, col)), 0);
    const labels = parseLabelsCsv(readFileSync(out, 'utf8'), out);
    expect(labels).toHaveLength(1); // the next day lies after the series
    expect(labels[0]?.generation_mw).toBeCloseTo(sum('gen'), 2);
    expect(labels[0]?.co2_t_per_h).toBeCloseTo(sum('co2'), 2);
    expect(labels[0]?.co2_source).toBe('measured');
    expect(JSON.parse(r.stdout)).toMatchObject({ outsideSeries: 1, formats: { [path.join(FIX, 'campd_emissions_hourly.csv')]: 'campd' } });
  });
  it('without --utc-offset: one line saying why, exit 2, nothing written', async () => {
    const tiles = await tilesWith('campd2', [overpass('3470', '2024-05-17T17:26:00Z')]);
    const out = path.join(dir, 'never.csv');
    const r = await cli(['--tiles', tiles, '--series', path.join(FIX, 'campd_emissions_hourly.csv'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("campd_emissions_hourly.csv: CAMPD hours are local standard time: give the plants' UTC offset");
    expect(() => readFileSync(out)).toThrow();
  });
});

describe('labels build: generic CSV', () => {
  const text = '\uFEFFKraftwerk;Zeit;Leistung;Bemerkung\r\nLIPPENDORF;2024-05-17T10:00:00+02:00;"1 210,5";"Block R\r\nund S"\r\nLIPPENDORF;2024-05-17T11:00:00+02:00;1300;\r\nLIPPENDORF;2024-05-17T13:00:00+02:00;1250;\r\n';
  it("';' with a BOM, quoted newlines and a column mapping; refuses a zoneless time unless --assume-utc", async () => {
    const file = path.join(dir, 'plant.csv');
    writeFileSync(file, text.replace('"1 210,5"', '1210,5'));
    const tiles = await tilesWith('generic', [overpass('LIPPENDORF', '2024-05-17T08:30:00Z')]);
    const out = path.join(dir, 'generic.csv');
    const r = await cli(['--tiles', tiles, '--series', file, '--columns', 'site_id=Kraftwerk,datetime=Zeit,generation_mw=Leistung', '--out', out]);
    expect(r.code).toBe(0);
    expect(parseLabelsCsv(readFileSync(out, 'utf8'), out)[0]?.generation_mw).toBeCloseTo(1255.25, 6);
    const zoneless = path.join(dir, 'zoneless.csv');
    writeFileSync(zoneless, 'site_id,datetime,generation_mw\nLIPPENDORF,2024-05-17T08:00:00,1000\nLIPPENDORF,2024-05-17T09:00:00,1100\n');
    const z = await cli(['--tiles', tiles, '--series', zoneless, '--out', out]);
    expect(z.code).toBe(2);
    expect(z.stderr).toContain(`${zoneless}: line 2, column 'datetime': '2024-05-17T08:00:00' has no time zone`);
    const u = await cli(['--tiles', tiles, '--series', zoneless, '--out', out, '--assume-utc']);
    expect(u.code).toBe(0);
    expect(parseLabelsCsv(readFileSync(out, 'utf8'), out)[0]?.generation_mw).toBeCloseTo(1050, 6);
  });
  it('a bad --columns mapping is a usage error', async () => {
    const r = await cli(['--tiles', dir, '--series', 'x.csv', '--columns', 'plant=Kraftwerk']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--columns: unknown key 'plant'");
  });
});
