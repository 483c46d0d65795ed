/**
 * Builds runnable JavaScript of co2sat entry points into a temporary folder, so tests can
 * run them as child processes and kill them (tsx is not installed, and vitest's transform
 * does not reach child processes). esbuild (vitest's own transpiler) bundles our sources in
 * well under a second; packages stay external and resolve through a node_modules link, and
 * configs/ and package.json are linked where the code looks for them (three levels above
 * dist/src/cli), so the bundle behaves like `npm run build` output. Types are checked by
 * `npm run build`, not here.
 */
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../helpers/oracle.js';

/** Bundles `entries` (repo-relative .ts paths) to `<tmp>/dist/<same path>.js`; returns <tmp>. */
export async function compileEntries(entries: readonly string[]): Promise<string> {
  const root = mkdtempSync(path.join(tmpdir(), 'co2sat-dist-'));
  for (const name of ['node_modules', 'configs', 'package.json']) {
    symlinkSync(path.join(REPO_ROOT, name), path.join(root, name));
  }
  await build({
    entryPoints: entries.map((e) => ({ in: path.join(REPO_ROOT, e), out: e.replace(/\.ts$/, '') })),
    outdir: path.join(root, 'dist'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    splitting: true,
    // Chunks sit beside the entry (three levels below the root), where the code looks for configs/.
    chunkNames: 'src/cli/chunk-[hash]',
    logLevel: 'error',
  });
  return root;
}

/** The pipeline library for the toy worker: returns the folder holding dist/. */
export async function compilePipeline(): Promise<string> {
  return compileEntries(['pipeline/runPipeline.ts', 'pipeline/shard.ts', 'src/postprocess/windowSpec.ts']);
}
