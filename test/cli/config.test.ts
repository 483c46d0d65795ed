import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultConfigPath, loadConfig } from '../../src/cli/config.js';
import { InputError } from '../../src/errors.js';

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
    expect(() => loadConfig(bad)).toThrow(`${bad}: train.physics must be none|soft|hard, got "strong"`);
    const unknown = tmpConfig(JSON.stringify({ tiles: {} }));
    expect(() => loadConfig(unknown)).toThrow(/unknown key 'tiles'/);
    const notJson = tmpConfig('{ size: 1 ');
    expect(() => loadConfig(notJson)).toThrow(/not valid JSON/);
    expect(() => loadConfig('/nonexistent/co2sat.json')).toThrow(/cannot read config: ENOENT/);
  });
});
