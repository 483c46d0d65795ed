/**
 * What `co2sat --help` loads: every module reachable from the CLI's entry through static,
 * value (not type-only) imports. tfjs and bench/ must not be among them, so help and usage
 * errors stay fast; commands load their heavy parts with import() inside their actions.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/oracle.js';

/** Static value imports of a module's source: relative paths and package names. */
export function staticValueImports(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) {
    if (m[5]) {
      out.push(m[5]);
      continue;
    }
    if (m[2]) continue; // `import type …` is erased
    const clause = m[3] ?? '';
    // `import { type A, type B } from …` is erased too.
    const names = /^\{([^}]*)\}$/.exec(clause.trim());
    if (names && names[1]!.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue;
    out.push(m[4]!);
  }
  return out;
}

/** Package names and repo-relative module paths loaded at start-up from `entries`. */
function loadedAtStartup(entries: readonly string[]): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (modules.has(file)) continue;
    modules.add(file);
    for (const spec of staticValueImports(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      const ts = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
      if (existsSync(ts)) queue.push(ts);
    }
  }
  return { modules: new Set([...modules].map((m) => path.relative(REPO_ROOT, m))), packages };
}

describe('start-up imports of the CLI', () => {
  // buildProgram() imports every command module to register it, so all of them load for --help.
  const commands = readdirSync(path.join(REPO_ROOT, 'src/cli/commands')).filter((f) => f.endsWith('.ts'));
  const { modules, packages } = loadedAtStartup([path.join(REPO_ROOT, 'src/cli/main.ts'), ...commands.map((f) => path.join(REPO_ROOT, 'src/cli/commands', f))]);

  it('reads type-only imports as erased', () => {
    expect(staticValueImports("import type { A } from './a.js';\nimport { type B } from './b.js';\nimport { c, type D } from './c.js';\nimport * as tf from '@tensorflow/tfjs';")).toEqual(['./c.js', '@tensorflow/tfjs']);
  });

  it('loads neither tfjs nor bench/ for --help', () => {
    expect(commands.length).toBeGreaterThan(5);
    expect(modules.has('src/cli/index.ts') && modules.has('src/cli/commands/train.ts') && modules.has('src/train/weighting/names.ts')).toBe(true);
    expect([...packages].filter((p) => p.startsWith('@tensorflow'))).toEqual([]);
    expect([...modules].filter((m) => m.startsWith('bench/'))).toEqual([]);
  });
});
