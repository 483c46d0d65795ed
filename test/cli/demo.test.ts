import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildProgram } from '../../src/cli/index.js';
import { demoPaths } from '../../src/cli/commands/demo.js';

// The README's first command runs `co2sat demo`; this runs a miniature of it end to end
// through the real commands (synth → tile → train → evaluate → run).
describe('co2sat demo', () => {
  it('goes from nothing to a per-site GeoJSON and a map', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'co2sat-demo-'));
    const program = await buildProgram();
    const before = process.exitCode;
    await program.parseAsync(['node', 'co2sat', 'demo', '--out', out, '--sites', '4', '--dates', '8', '--size', '256', '--epochs', '2', '--quiet']);
    const code = process.exitCode ?? 0;
    process.exitCode = before;
    expect(code).toBe(0);
    const p = demoPaths(out);
    const fc = JSON.parse(readFileSync(p.geojson, 'utf8')) as { type: string; features: { properties: { site_id: string } }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(new Set(fc.features.map((f) => f.properties.site_id)).size).toBe(4);
    expect(readFileSync(p.map).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(existsSync(path.join(p.model, 'model.json'))).toBe(true);
    expect(readFileSync(p.preview).subarray(1, 4).toString('latin1')).toBe('PNG');
  }, 180_000);
});
