/**
 * Files shipped with co2sat (configs/, package.json), found the same way from the sources
 * (`src/io`), the compiled package (`dist/src/io`) and test bundles: walk up from this module
 * to the folder whose package.json names co2sat. One lookup instead of one per caller.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/** The co2sat package root (the folder holding its package.json and configs/). */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && existsSync(path.join(dir, 'configs'))) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === 'co2sat') return (cachedRoot = dir);
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('the co2sat package root (package.json with configs/) was not found above this module');
    dir = up;
  }
}

/** A path inside the package, e.g. packageFile('configs', 'default.json'). */
export function packageFile(...segments: string[]): string {
  return path.join(packageRoot(), ...segments);
}

/** The version in co2sat's package.json ('0.0.0' where it has none). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
