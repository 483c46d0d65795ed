/**
 * Compiles the pipeline (and only what it imports) to JavaScript in a temporary folder, so
 * tests can run it in a child process and kill it: tsx is not installed and vitest's
 * transform does not reach child processes. Much faster than building the whole project.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/oracle.js';

export function compilePipeline(): string {
  const outDir = mkdtempSync(path.join(tmpdir(), 'co2sat-pipeline-dist-'));
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [
    tsc,
    '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--types', 'node',
    '--skipLibCheck', '--resolveJsonModule', '--strict', '--rootDir', REPO_ROOT, '--outDir', outDir,
    path.join(REPO_ROOT, 'pipeline', 'runPipeline.ts'),
  ];
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc failed: ${r.stdout}${r.stderr}`);
  // Packages (pngjs…) resolve from the repository's node_modules.
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  return outDir;
}
