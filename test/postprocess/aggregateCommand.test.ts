/**
 * `co2sat aggregate` in process: shard files merge into the same GeoJSON whatever their
 * order, bad input gives one line naming the file and exit code 2, nothing half-written.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aggregateCommand } from '../../src/cli/commands/aggregate.js';
import { makePredictionRecord } from '../../src/postprocess/prediction.js';
import { formatPredictions } from '../../src/records/predictions.js';
import { runCommand } from '../helpers/runCommand.js';

const cli = (args: string[]) => runCommand(aggregateCommand, args);

afterEach(() => {
  process.exitCode = 0;
});

function fixture() {
  const dir = mkdtempSync(path.join(tmpdir(), 'co2sat-aggcli-'));
  const sites = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [6.6612345, 51.0412345] }, properties: { site_id: 'niederaussem', name: 'Niederaußem', fuel: 'lignite', capacity_mw: 3396 } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [-1.0, 53.7] }, properties: { site_id: 'drax', name: 'Drax', fuel: 'coal', capacity_mw: 2595 } },
    ],
  };
  writeFileSync(path.join(dir, 'sites.geojson'), JSON.stringify(sites));
  const rec = (scene: string, site: string, day: number, gen: number) =>
    makePredictionRecord(
      { scene_id: scene, site_id: site, datetime: new Date(Date.UTC(2024, 2, 1 + day, 10)).toISOString(), valid_fraction: 1, cloud_fraction: 0.1, fingerprint: scene },
      { p_on: 0.9, generation_mw: gen, generation_mw_sd: 150, co2_t_per_h: gen * 1.1, co2_t_per_h_sd: 160 },
      { id: 'm-cli', backend: 'wasm' },
    );
  const shardA = [rec('A1', 'niederaussem', 1, 2000), rec('A1', 'drax', 1, 1500), rec('A2', 'niederaussem', 40, 2500)];
  const shardB = [rec('B1', 'niederaussem', 12, 2200), rec('B1', 'drax', 12, 1400)];
  writeFileSync(path.join(dir, 'a.jsonl'), formatPredictions(shardA));
  writeFileSync(path.join(dir, 'b.jsonl'), formatPredictions(shardB));
  writeFileSync(path.join(dir, 'all.jsonl'), formatPredictions([...shardB, ...shardA]));
  return dir;
}

describe('co2sat aggregate', () => {
  it('merges shard files into the GeoJSON of a single file, in any order, with a map', async () => {
    const d = fixture();
    const j = (f: string) => path.join(d, f);
    const one = await cli(['--predictions', j('all.jsonl'), '--sites', j('sites.geojson'), '--window', 'month', '--out', j('one.geojson'), '--json']);
    expect(one.code).toBe(0);
    const summary = JSON.parse(one.stdout) as { features: number; windows: number; patches: number };
    expect(summary).toMatchObject({ features: 4, windows: 2, patches: 5 });
    const ab = await cli(['-p', j('b.jsonl'), j('a.jsonl'), '-s', j('sites.geojson'), '-w', 'month', '-o', j('ab.geojson'), '--map', j('map.png'), '-q']);
    expect(ab.code).toBe(0);
    expect(ab.stdout).toBe('');
    expect(readFileSync(j('ab.geojson'), 'utf8')).toBe(readFileSync(j('one.geojson'), 'utf8'));
    expect(readFileSync(j('map.png')).subarray(1, 4).toString()).toBe('PNG');
    const fc = JSON.parse(readFileSync(j('one.geojson'), 'utf8')) as { features: { properties: Record<string, unknown> }[] };
    expect(fc.features[0]!.properties).toMatchObject({ site_id: 'niederaussem', name: 'Niederaußem', n_obs: 2, window_start: '2024-03-01T00:00:00Z', model_id: 'm-cli' });
    expect(fc.features[3]!.properties).toMatchObject({ site_id: 'drax', n_obs: 0, reason: 'no observations in window' });
  });

  it('--format geojson,fgb writes FlatGeobuf beside the GeoJSON with the same features; an unknown format is refused', async () => {
    const d = fixture();
    const j = (f: string) => path.join(d, f);
    const r = await cli(['-p', j('all.jsonl'), '-s', j('sites.geojson'), '-w', 'month', '-o', j('both.geojson'), '--format', 'geojson,fgb', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ fgb: j('both.fgb') });
    const { geojson } = await import('flatgeobuf');
    const back: { properties?: Record<string, unknown> }[] = [];
    for await (const f of geojson.deserialize(new Uint8Array(readFileSync(j('both.fgb'))))) back.push(f as { properties?: Record<string, unknown> });
    const fc = JSON.parse(readFileSync(j('both.geojson'), 'utf8')) as { features: { properties: Record<string, unknown> }[] };
    expect(back.map((f) => f.properties?.site_id)).toEqual(fc.features.map((f) => f.properties.site_id));
    expect(back[0]?.properties?.n_obs).toBe(fc.features[0]?.properties.n_obs);
    // --tables: the per-overpass layers after a merge, as run writes them.
    const t = await cli(['-p', j('b.jsonl'), j('a.jsonl'), '-s', j('sites.geojson'), '-o', j('both.geojson'), '--tables', '--no-report', '--json']);
    expect(JSON.parse(t.stdout)).toMatchObject({ predictions_csv: j('predictions.csv'), predictions_geojsonl: j('predictions.geojsonl') });
    const patches = readFileSync(j('all.jsonl'), 'utf8').trim().split('\n').length;
    expect(readFileSync(j('predictions.geojsonl'), 'utf8').trim().split('\n')).toHaveLength(patches);
    expect(readFileSync(j('predictions.csv'), 'utf8').trim().split('\n')).toHaveLength(patches + 1);
    expect(readFileSync(j('predictions.csvt'), 'utf8')).toContain('"DateTime"');
    // A bad flag value is commander's usage error (exit 2 in the binary, see test/cli/program.test.ts).
    await expect(cli(['-p', j('all.jsonl'), '-s', j('sites.geojson'), '-o', j('x.geojson'), '--format', 'geojson,shp'])).rejects.toThrow("--format: unknown format 'shp' (valid: geojson, fgb)");
  });

  it('names the file and line of a bad record, exits 2, and writes nothing', async () => {
    const d = fixture();
    writeFileSync(path.join(d, 'bad.jsonl'), `${readFileSync(path.join(d, 'a.jsonl'), 'utf8')}{"scene_id": "x"}\n`);
    const r = await cli(['-p', path.join(d, 'bad.jsonl'), '-s', path.join(d, 'sites.geojson'), '-o', path.join(d, 'out.geojson')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^co2sat: .*bad\.jsonl: line 4: \w+ must be/);
    expect(existsSync(path.join(d, 'out.geojson'))).toBe(false);
  });

  it('rejects an unknown window with the accepted forms, and mixed models', async () => {
    const d = fixture();
    const w = await cli(['-p', path.join(d, 'a.jsonl'), '-s', path.join(d, 'sites.geojson'), '-w', 'fortnight']);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--window: window 'fortnight' is not one of: Nd .*month, year, all/);
    writeFileSync(path.join(d, 'other.jsonl'), readFileSync(path.join(d, 'b.jsonl'), 'utf8').replaceAll('m-cli', 'm-other'));
    const m = await cli(['-p', path.join(d, 'a.jsonl'), path.join(d, 'other.jsonl'), '-s', path.join(d, 'sites.geojson'), '-o', path.join(d, 'x.geojson')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/other\.jsonl: predictions from model 'm-other' cannot be merged with model 'm-cli'/);
  });
});
