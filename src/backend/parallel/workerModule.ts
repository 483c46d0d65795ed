/**
 * The URL a worker thread can import for one of co2sat's modules. Workers run plain
 * JavaScript: from dist/ (the built CLI, an installed package) the compiled .js is used as
 * is; from the TypeScript sources (vitest, `npm test` on a fresh clone) the module is
 * bundled once with esbuild (a devDependency, so only the source tree needs it) into
 * node_modules/.cache/co2sat-workers/, packages left external so the worker shares tfjs
 * with nothing but itself and resolves it from the project's node_modules.
 *
 * Why a bundle rather than a loader hook (node:module `register`): hooks registered in the
 * parent do not reach workers on Node 20, and a hook registered inside each worker must also
 * map every `.js` import to its `.ts` file; one bundle per module and content is simpler,
 * and the built CLI never takes this path.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundles = new Map<string, string>();

/** `moduleUrl` as is when it is JavaScript; a cached esbuild bundle of it when it is TypeScript. */
export async function workerModuleUrl(moduleUrl: string): Promise<string> {
  if (!moduleUrl.endsWith('.ts')) return moduleUrl;
  const known = bundles.get(moduleUrl);
  if (known !== undefined) return known;
  const entry = fileURLToPath(moduleUrl);
  const require = createRequire(moduleUrl);
  const esbuild = (await import(pathToFileURL(require.resolve('esbuild')).href)) as typeof import('esbuild');
  const built = await esbuild.build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', write: false, logLevel: 'silent' });
  const code = built.outputFiles[0]?.text ?? '';
  const tfjs = path.dirname(require.resolve('@tensorflow/tfjs/package.json'));
  // node_modules/@tensorflow/tfjs → node_modules/.cache: bare imports in the bundle resolve from there.
  const dir = path.join(tfjs, '..', '..', '.cache', 'co2sat-workers');
  const file = path.join(dir, `${path.basename(entry, '.ts')}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file) || readFileSync(file, 'utf8') !== code) {
    mkdirSync(dir, { recursive: true });
    // Test files run in parallel processes: write under a private name, then rename into place.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  const url = pathToFileURL(file).href;
  bundles.set(moduleUrl, url);
  return url;
}
