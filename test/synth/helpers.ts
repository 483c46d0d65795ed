/**
 * Small synthetic worlds for the synth tests, generated once per test file into a
 * temporary folder, and helpers to read the written files back as other stages would.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateWorld, type SynthOptions, type SynthSummary } from '../../src/synth/index.js';
import { readTruth, type TruthDocument } from '../../src/records/truth.js';

export interface TestWorld {
  dir: string;
  summary: SynthSummary;
  truth: TruthDocument;
  cleanup(): void;
}

export async function makeWorld(options: Omit<SynthOptions, 'out'>): Promise<TestWorld> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'co2sat-synth-'));
  const dir = path.join(root, 'world');
  const summary = await generateWorld({ out: dir, ...options });
  const truth = readTruth(path.join(dir, 'truth.json'));
  return { dir, summary, truth, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Every file under `dir`, relative, sorted. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** The per-band file of `band` in the scene acquired at `datetime` (ISO, Z). */
export function bandFile(dir: string, datetime: string, band: string): string {
  const stamp = datetime.replace(/[-:]/g, '').replace('Z', '');
  const product = readdirSync(path.join(dir, 'scenes')).find((p) => p.split('_')[2] === stamp);
  if (!product) throw new Error(`no scene for ${datetime}`);
  const file = readdirSync(path.join(dir, 'scenes', product)).find((f) => f.includes(`_${band}_`));
  if (!file) throw new Error(`no ${band} in ${product}`);
  return path.join(dir, 'scenes', product, file);
}
