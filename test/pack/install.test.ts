/**
 * What the container image does, without a container runtime (images cannot be pulled here):
 * pack the package as npm would publish it, install the tarball into an empty folder without
 * devDependencies (as the Dockerfile's runtime stage does), and run the installed `co2sat`:
 * `--help`, then a miniature `co2sat demo` (synth → tile → train → evaluate → run). A file
 * the package forgets to ship (configs, wasm assets, a compiled module) fails here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/oracle.js';

let app = '';
let bin = '';

function run(cmd: string, args: string[], cwd: string, timeoutMs = 300_000) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return r;
}

describe('production install from the packed tarball', () => {
  beforeAll(() => {
    const root = mkdtempSync(path.join(tmpdir(), 'co2sat-pack-'));
    const packs = path.join(root, 'packs');
    mkdirSync(packs);
    // `npm pack` runs `prepare` (tsc), so the tarball carries a fresh dist/.
    run('npm', ['pack', '--silent', '--pack-destination', packs], REPO_ROOT);
    const tarball = readdirSync(packs).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack wrote no tarball');
    app = path.join(root, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'co2sat-install-check', private: true }));
    run('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', path.join(packs, tarball)], app);
    bin = path.join(app, 'node_modules', '.bin', 'co2sat');
  }, 600_000);

  it('installs no devDependency and ships what runs need', () => {
    // The build and test tools stay out (other devDependencies, such as @types/geojson, can
    // also arrive as a runtime dependency's own dependency).
    for (const dev of ['typescript', 'vitest', 'esbuild']) expect(existsSync(path.join(app, 'node_modules', dev)), dev).toBe(false);
    const installed = path.join(app, 'node_modules', 'co2sat');
    expect(existsSync(path.join(installed, 'configs', 'default.json'))).toBe(true);
    expect(existsSync(path.join(installed, 'dist', 'src', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(path.join(installed, 'src'))).toBe(false);
    expect(readdirSync(path.join(app, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')).some((f) => f.endsWith('.wasm'))).toBe(true);
  });

  it('runs co2sat --help and a miniature demo pipeline from the installed package', () => {
    const help = run(bin, ['--help'], app);
    expect(help.stdout).toContain('Usage: co2sat');
    const out = path.join(app, 'demo');
    const demo = run(bin, ['demo', '--out', out, '--sites', '3', '--dates', '6', '--size', '256', '--epochs', '1', '--json'], app);
    const summary = JSON.parse(demo.stdout.trim().split('\n').pop() ?? '{}') as { ok?: boolean; paths?: { geojson: string } };
    expect(summary.ok).toBe(true);
    const fc = JSON.parse(readFileSync(summary.paths!.geojson, 'utf8')) as { type: string; features: unknown[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThan(0);
  }, 300_000);
});
