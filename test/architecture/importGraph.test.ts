/**
 * The layers run one way: every relative import under src/, pipeline/ and bench/ must point
 * to the same area or to a lower layer, so the data's path (geo → tiling → model/train →
 * postprocess → pipeline → cli, docs/architecture.md) is also the code's. bench/ is loaded
 * by the CLI only through dynamic import() inside the `bench` command, so it never ships in
 * the CLI's start-up path.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/oracle.js';

/** Lower numbers are lower layers; an area may import its own layer's area or lower ones. */
export const LAYERS: Record<string, number> = {
  'src/errors': 0,
  'src/random': 0,
  'src/statistics': 0,
  'src/io': 0.5, // file publishing, package files, JSON Schema checks: may raise src/errors
  'src/geo': 1,
  'src/backend': 1,
  'src/records': 1.5, // formats hold geo's types (a manifest's pixel window)
  'src/tiling': 2,
  'src/model': 3,
  'src/synth': 4, // writes worlds with geo's writer and the model's physics
  'src/train': 5, // reads synth's truth for the noise floor
  'src/postprocess': 5,
  'src/predict': 6,
  pipeline: 7,
  bench: 7,
  'src/cli': 8,
};

interface ImportEdge {
  from: string;
  to: string;
  dynamic: boolean;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** The area of a repo-relative path: src/<folder> (or src/<file> for a leaf file), pipeline, bench. */
export function areaOf(rel: string): string {
  const parts = rel.split('/');
  if (parts[0] === 'src') return `src/${(parts[1] ?? '').replace(/\.(ts|js)$/, '')}`;
  return parts[0] ?? rel;
}

export function importsOf(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  // Static: `import … from '…'`, `export … from '…'`, `import '…'`; dynamic: `import('…')`.
  const re = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec) continue;
    const target = path.relative(REPO_ROOT, path.resolve(path.dirname(file), spec));
    edges.push({ from: path.relative(REPO_ROOT, file), to: target, dynamic: m[3] !== undefined });
  }
  return edges;
}

/** Every rule broken by `edges`, as readable lines. */
export function violations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const a = areaOf(e.from);
    const b = areaOf(e.to);
    if (a === b) continue;
    const ra = LAYERS[a];
    const rb = LAYERS[b];
    if (ra === undefined) out.push(`${e.from}: area ${a} has no layer (add it to LAYERS and docs/architecture.md)`);
    else if (rb === undefined) out.push(`${e.from} imports ${e.to}: area ${b} has no layer`);
    else if (a === 'src/cli' && b === 'bench') {
      if (!e.dynamic) out.push(`${e.from} imports ${e.to} at load time: bench code must be loaded lazily (import())`);
    } else if (rb >= ra) out.push(`${e.from} (${a}) imports upward or sideways: ${e.to} (${b})`);
  }
  return out;
}

const files = ['src', 'pipeline', 'bench'].flatMap((d) => tsFiles(path.join(REPO_ROOT, d)));
const edges = files.flatMap((f) => importsOf(f, readFileSync(f, 'utf8')));

describe('import graph', () => {
  it('parses the imports of every module', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(300);
    expect(edges.some((e) => e.dynamic && areaOf(e.from) === 'src/cli' && areaOf(e.to) === 'bench')).toBe(true);
  });

  it('runs one way: no module imports a higher layer, and the CLI loads bench lazily', () => {
    expect(violations(edges)).toEqual([]);
  });

  it('names the rule a wrong edge breaks', () => {
    expect(violations([{ from: 'src/geo/x.ts', to: 'src/cli/errors', dynamic: false }])).toEqual(['src/geo/x.ts (src/geo) imports upward or sideways: src/cli/errors (src/cli)']);
    expect(violations([{ from: 'src/tiling/x.ts', to: 'pipeline/atomicWrite', dynamic: true }])).toHaveLength(1);
    expect(violations([{ from: 'pipeline/x.ts', to: 'src/cli/config', dynamic: false }])).toHaveLength(1);
    expect(violations([{ from: 'src/cli/commands/b.ts', to: 'bench/train', dynamic: false }])).toEqual(['src/cli/commands/b.ts imports bench/train at load time: bench code must be loaded lazily (import())']);
    expect(violations([{ from: 'src/cli/commands/b.ts', to: 'bench/train', dynamic: true }])).toEqual([]);
  });
});
