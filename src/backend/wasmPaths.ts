/**
 * Where the wasm backend's .wasm binaries live. tfjs-backend-wasm looks for them next to
 * the page in a browser; in Node we point it at the installed package's dist/ folder,
 * resolved through Node's module resolution so it works from src/ (vitest), dist/ (the
 * built CLI) and a fresh clone alike.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/** Absolute path of node_modules/@tensorflow/tfjs-backend-wasm/dist/, with a trailing slash. */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  // The package's "main" points into dist/ (dist/tf-backend-wasm.node.js); its folder holds the binaries.
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return `${path.dirname(main)}${path.sep}`;
}
