import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultConfigPath, loadConfig } from '../../src/records/runConfig.js';
import { InputError } from '../../src/errors.js';
import { loadEmissionFactors } from '../../src/model/physics.js';
import { DEFAULT_TRAIN_CONFIG } from '../../src/train/config.js';

function tmpConfig(content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'co2sat-config-'));
  const file = path.join(dir, 'co2sat.json');
  writeFileSync(file, content);
  return file;
}

describe('run configuration', () => {
  it('loads the shipped defaults, which match the schema keys', () => {
    const cfg = loadConfig();
    expect(cfg.tile.size).toBe(64);
    expect(cfg.train.weighting).toBe('uncertainty');
    expect(cfg.aggregate.window).toBe('30d');
    const schema = JSON.parse(readFileSync(path.join(path.dirname(defaultConfigPath()), 'config.schema.json'), 'utf8')) as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    for (const section of ['tile', 'train', 'aggregate'] as const) {
      expect(Object.keys(cfg[section]).sort()).toEqual(Object.keys(schema.properties[section]!.properties!).sort());
    }
  });

  it('merges a user file section by section', () => {
    const cfg = loadConfig(tmpConfig(JSON.stringify({ tile: { size: 128 }, aggregate: { window: 'month' } })));
    expect(cfg.tile.size).toBe(128);
    expect(cfg.tile.bands).toBe('sentinel2-l2a');
    expect(cfg.aggregate.window).toBe('month');
    expect(cfg.train.physics).toBe('hard');
  });

  it('names the file and the key for a bad value, an unknown key and bad JSON', () => {
    const bad = tmpConfig(JSON.stringify({ train: { physics: 'strong' } }));
    expect(() => loadConfig(bad)).toThrow(InputError);
    expect(() => loadConfig(bad)).toThrow(`${bad}: train.physics must be one of none|soft|hard, got "strong" (rule enum)`);
    const unknown = tmpConfig(JSON.stringify({ tiles: {} }));
    expect(() => loadConfig(unknown)).toThrow(/unknown key 'tiles' \(rule additionalProperties\)/);
    const notJson = tmpConfig('{ size: 1 ');
    expect(() => loadConfig(notJson)).toThrow(/not valid JSON/);
    expect(() => loadConfig('/nonexistent/co2sat.json')).toThrow(/cannot read config: ENOENT/);
  });

  it('checks every rule of the schema, the ones hand-written checks had drifted from included', () => {
    const dup = tmpConfig(JSON.stringify({ train: { tasks: ['activity', 'activity'] } }));
    expect(() => loadConfig(dup)).toThrow(`${dup}: train.tasks must NOT have duplicate items (items ## 0 and 1 are identical), got ["activity","activity"] (rule uniqueItems)`);
    const window = tmpConfig(JSON.stringify({ aggregate: { window: '0d' } }));
    expect(() => loadConfig(window)).toThrow(/aggregate\.window must match pattern .*, got "0d" \(rule pattern\)/);
    const nested = tmpConfig(JSON.stringify({ tile: { size: 64, extra: 1 } }));
    expect(() => loadConfig(nested)).toThrow(`${nested}: tile: unknown key 'extra' (rule additionalProperties)`);
    const type = tmpConfig(JSON.stringify({ tile: { concurrency: 'two' } }));
    expect(() => loadConfig(type)).toThrow(/tile\.concurrency must be integer,null, got "two" \(rule type\)/);
  });

  it('checks emission-factor tables against their schema too', () => {
    const good = { unit: 't_co2_per_mwh', fuels: { lignite: { median: 1.18 }, coal: { median: 1 }, gas: { median: 0.39 }, oil: { median: 0.82 } } };
    expect(loadEmissionFactors(tmpConfig(JSON.stringify(good))).gas.median).toBe(0.39);
    const negative = tmpConfig(JSON.stringify({ ...good, fuels: { ...good.fuels, gas: { median: -0.4 } } }));
    expect(() => loadEmissionFactors(negative)).toThrow(`${negative}: fuels.gas.median must be > 0, got -0.4 (rule exclusiveMinimum)`);
    const missing = tmpConfig(JSON.stringify({ ...good, fuels: { coal: { median: 1 } } }));
    expect(() => loadEmissionFactors(missing)).toThrow(InputError);
    expect(() => loadEmissionFactors(missing)).toThrow(/fuels\.lignite is missing/);
  });

  it('has one set of training defaults: the trainer\'s come from configs/default.json', () => {
    const shipped = loadConfig().train;
    const d = DEFAULT_TRAIN_CONFIG;
    expect([d.tasks, d.weighting, d.physics, d.epochs, d.batch_size, d.seed, d.split_by]).toEqual([
      shipped.tasks, shipped.weighting, shipped.physics, shipped.epochs, shipped.batch, shipped.seed, shipped.split,
    ]);
  });
});
