/**
 * `co2sat synth` as a user runs it: the real binary entry (through vite-node, on the
 * sources) for exit codes and --json, and the commander program in-process for the
 * option checks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/oracle.js';
import { resolveSynthOptions } from '../../src/synth/index.js';
import { UsageError } from '../../src/errors.js';
import { buildProgram } from '../../src/cli/index.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'co2sat-synth-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function co2sat(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/vite-node'), [path.join(REPO_ROOT, 'src/cli/main.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('co2sat synth (CLI)', () => {
  it('writes a world and prints one JSON summary with --json', () => {
    const out = path.join(root, 'w');
    const r = co2sat('synth', '--out', out, '--sites', '1', '--dates', '2', '--size', '128', '--seed', '0', '--json', '--preview');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { scenes: number; files: number; samples: number; preview: string; noise_floor: { generation_mae_mw: number } };
    expect(summary).toMatchObject({ scenes: 2, files: 26, samples: 2, preview: path.join(out, 'preview.png') });
    expect(typeof summary.noise_floor.generation_mae_mw).toBe('number');
    expect(readdirSync(out).sort()).toEqual(['labels.csv', 'preview.png', 'scenes', 'sites.geojson', 'truth.json', 'weather.csv']);
    // Rerunning replaces the earlier world in place.
    expect(co2sat('synth', '--out', out, '--sites', '1', '--dates', '1', '--size', '128', '-q').status).toBe(0);
    expect(readdirSync(path.join(out, 'scenes')).length).toBe(1);
    expect(readdirSync(root).filter((f) => f.includes('.partial-') || f.includes('.old-'))).toEqual([]);
  }, 120_000);

  it('exits 2 with one line naming the flag for a bad option, writing nothing', () => {
    const out = path.join(root, 'bad');
    const r = co2sat('synth', '--out', out, '--sites', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--sites must be a positive integer/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it.each([
    ['--sites', '0'],
    ['--size', 'big'],
    ['--layout', 'cube'],
    ['--missing', '1.5'],
    ['--seed', '-3'],
  ])('rejects %s %s before doing anything', async (flag, value) => {
    const program = await buildProgram();
    const cmd = program.commands.find((c) => c.name() === 'synth')!;
    let err = '';
    cmd.exitOverride();
    cmd.configureOutput({ writeErr: (s) => (err += s), writeOut: () => undefined });
    const out = path.join(root, `bad${flag}`);
    await expect(program.parseAsync(['node', 'co2sat', 'synth', '--out', out, flag, value])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    expect(err).toContain(flag);
    expect(existsSync(out)).toBe(false);
  });

  it('maps a too-small --size to a usage error (exit code 2)', async () => {
    const program = await buildProgram();
    const out = path.join(root, 'tiny');
    const saved = process.exitCode;
    const write = process.stderr.write;
    let err = '';
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      await program.parseAsync(['node', 'co2sat', 'synth', '--out', out, '--size', '64']);
      expect(process.exitCode).toBe(2);
    } finally {
      process.stderr.write = write;
      process.exitCode = saved;
    }
    expect(err).toMatch(/--size must be an integer in \[128, 10980\], got 64/);
    expect(existsSync(out)).toBe(false);
  });

  it('prints the fleet statistics with --report and writes nothing without --out', () => {
    const before = readdirSync(root).sort();
    const r = co2sat('synth', '--report', '--sites', '40', '--dates', '12', '--size', '768', '--fleet', 'us', '--seed', '3');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^fleet 'us': 40 plants, 12 overpasses/);
    for (const row of ['share of plants', 'capacity MW, median [IQR]', 'plants with CF < 0.05', 'P(on→off) / P(off→on) per 5 d', 'cooling: natural draught']) expect(r.stdout).toContain(row);
    const json = co2sat('synth', '--report', '--sites', '40', '--dates', '12', '--size', '768', '--fleet', 'us', '--seed', '3', '--json');
    const stats = JSON.parse(json.stdout) as { fleet: string; plants: number; by_fuel: Record<string, { plants: number } | null> };
    expect(stats.fleet).toBe('us');
    expect(Object.values(stats.by_fuel).reduce((n, f) => n + (f?.plants ?? 0), 0)).toBe(40);
    expect(readdirSync(root).sort()).toEqual(before);
  }, 60_000);

  it('exits 2 naming --fleet for an unknown profile, and the file and rule for a bad one', () => {
    const r = co2sat('synth', '--report', '--fleet', 'mars');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--fleet must be eu, us or a profile file, got 'mars'/);
    const bad = path.join(root, 'fleet.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', description: 'x', fuels: {}, plume_strength: {}, seasonal_on_share: {} }));
    const b = co2sat('synth', '--out', path.join(root, 'never'), '--fleet', bad, '--sites', '1', '--dates', '1', '--size', '128');
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/fleet\.json: fuels must have required property 'lignite'/);
    expect(existsSync(path.join(root, 'never'))).toBe(false);
  }, 60_000);

  it('refuses to replace a folder that is not a synthetic world', () => {
    const out = path.join(root, 'precious');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'keep me');
    const r = co2sat('synth', '--out', out, '--size', '128', '--sites', '1', '--dates', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/precious.*refusing/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
  }, 60_000);
});

describe('resolveSynthOptions', () => {
  it('applies the documented defaults', () => {
    const o = resolveSynthOptions({ out: 'w' }, path.join);
    expect(o).toMatchObject({ sites: 20, dates: 60, size: 1024, seed: 42, layout: 'per-band', missing: 0.3, preview: null, fleet: 'eu' });
    expect(resolveSynthOptions({ out: 'w', preview: true }, path.join).preview).toBe(path.join('w', 'preview.png'));
  });

  it.each([
    [{ out: '' }, /option 'out'/],
    [{ out: 'w', size: 10981 }, /option 'size'/],
    [{ out: 'w', sites: 2.5 }, /option 'sites'/],
    [{ out: 'w', missing: 1 }, /option 'missing'/],
    [{ out: 'w', layout: 'cube' as never }, /option 'layout'/],
  ])('rejects %o, naming the option (the CLI writes it as a flag)', (opts, message) => {
    expect(() => resolveSynthOptions(opts, path.join)).toThrow(UsageError);
    expect(() => resolveSynthOptions(opts, path.join)).toThrow(message);
  });
});
