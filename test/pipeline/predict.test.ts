/**
 * `co2sat predict` with a real (tiny, quickly trained) model on a tiny world of patch
 * GeoTIFFs: one line per manifest patch, the model's own numbers, intervals derived from
 * them, the model id and backend; then `aggregate` turns them into per-site features.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { predictCommand } from '../../src/cli/commands/predict.js';
import { readModelSites } from '../../src/records/sites.js';
import { readWeatherCsv, weatherAt } from '../../src/records/weather.js';
import { loadModel } from '../../src/model/inference.js';
import { parsePredictions } from '../../src/records/predictions.js';
import { Z90 } from '../../src/postprocess/interval.js';
import { parseManifest } from '../../src/records/manifest.js';
import { withDefaults } from '../../src/train/config.js';
import { loadData } from '../../src/train/loadData.js';
import { train } from '../../src/train/trainer.js';

import { makeTinyWorld, type TinyWorld } from '../train/helpers/tinyWorld.js';
import { runCommand } from '../helpers/runCommand.js';

let dir: string;
let world: TinyWorld;
let modelDir: string;

const cli = (args: string[]) => runCommand(predictCommand, args);

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-predict-'));
  world = await makeTinyWorld(dir, { sites: 6, dates: 4, size: 16, seed: 5 });
  const data = loadData({ tiles: world.tiles, labels: world.labels, weather: world.weather, sites: world.sites }, 0.5);
  modelDir = path.join(dir, 'model');
  const config = withDefaults({ epochs: 2, batch_size: 8, seed: 1, val_fraction: 0.2, test_fraction: 0.2, architecture: { stem_width: 4, stage_widths: [4], blocks_per_stage: 1, hidden: 8 } });
  const r = await train({ samples: data.samples, tilesDir: world.tiles, manifestFile: data.manifestFile }, config, modelDir, { backend: 'wasm' });
  r.net.dispose();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('co2sat predict', () => {
  it('writes one line per patch with the model\'s own estimates, intervals, id and backend', async () => {
    const out = path.join(dir, 'predictions.jsonl');
    const r = await cli(['--model', modelDir, '--tiles', world.tiles, '--sites', world.sites, '--weather', world.weather, '--out', out, '--backend', 'wasm', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { patches: number; model_id: string; backend: string };
    const manifest = parseManifest(readFileSync(world.manifest, 'utf8'));
    expect(summary.patches).toBe(manifest.length);
    const preds = parsePredictions(readFileSync(out, 'utf8'));
    expect(preds).toHaveLength(manifest.length);

    // The same patches through the model API directly give the same numbers.
    const model = await loadModel(modelDir, { backend: 'wasm' });
    try {
      expect(summary.model_id).toBe(model.id);
      expect(summary.backend).toBe(model.backend);
      const sites = new Map(readModelSites(world.sites).map((s) => [s.site_id, s]));
      const weatherOf = weatherAt(readWeatherCsv(world.weather));
      const direct = await model.predict(manifest.map((record) => ({ record, tilesDir: world.tiles, site: sites.get(record.site_id)!, weather: weatherOf(record.site_id, Date.parse(record.datetime)) })));
      const byKey = new Map(preds.map((p) => [`${p.scene_id}/${p.site_id}`, p]));
      manifest.forEach((m, i) => {
        const p = byKey.get(`${m.scene_id}/${m.site_id}`)!;
        expect(p.model_id).toBe(model.id);
        expect(p.p_on).toBe(direct[i]!.p_on);
        expect(p.generation_mw).toBe(direct[i]!.generation_mw);
        expect(p.co2_t_per_h_sd).toBe(direct[i]!.co2_t_per_h_sd);
        expect(p.generation_mw_p95).toBeCloseTo(Math.max(0, p.generation_mw! + Z90 * p.generation_mw_sd!), 9);
        expect(p.generation_mw_p05).toBeCloseTo(Math.max(0, p.generation_mw! - Z90 * p.generation_mw_sd!), 9);
        expect(p.datetime).toBe(m.datetime);
      });
    } finally {
      model.dispose();
    }
  });

  it('names the missing manifest and exits 2', async () => {
    const r = await cli(['-m', modelDir, '-t', path.join(dir, 'nowhere'), '-s', world.sites, '-o', path.join(dir, 'x.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nowhere\/manifest\.jsonl: cannot read the tiles manifest \(ENOENT\): run 'co2sat tile' first/);
  });
});
