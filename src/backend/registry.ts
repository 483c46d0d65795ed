/**
 * The backend ladder, best first. Each entry imports its package lazily, so a missing
 * optional package (tfjs-node, tfjs-node-gpu) only removes that entry, as the codec
 * registry does for decoders.
 */
import type { BackendEntry, BackendName, LoadOptions, Tf } from './types.js';
import { registerWasmGradients, unregisterWasmGradients } from './kernels/register.js';
import { wasmBinaryDir } from './wasmPaths.js';

/**
 * Imports a package by a computed name, so TypeScript does not require it to be installed.
 * tfjs-node(-gpu) re-export the whole tfjs namespace, so the module is used as `Tf`.
 */
async function importOptional(specifier: string): Promise<Tf> {
  const mod = (await import(specifier)) as Tf & { default?: Tf };
  // These packages are CommonJS: their module.exports (the ESM default) holds every name even
  // where Node's static export detection misses re-exported ones.
  return mod.default !== undefined && typeof mod.default.setBackend === 'function' ? mod.default : mod;
}

async function activate(tf: Tf, name: string): Promise<Tf> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs could not initialise backend '${name}'`);
  await tf.ready();
  return tf;
}

const tensorflowGpu: BackendEntry = {
  name: 'tensorflow-gpu',
  load: async () => {
    const tf = await importOptional('@tensorflow/tfjs-node-gpu');
    // tfjs-node-gpu registers its backend as 'tensorflow', like tfjs-node.
    return activate(tf, 'tensorflow');
  },
};

const tensorflow: BackendEntry = {
  name: 'tensorflow',
  load: async () => activate(await importOptional('@tensorflow/tfjs-node'), 'tensorflow'),
};

const wasm: BackendEntry = {
  name: 'wasm',
  load: async (opts: LoadOptions) => {
    const tf = (await import('@tensorflow/tfjs')) as Tf;
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(wasmBinaryDir());
    await activate(tf, 'wasm');
    if (opts.gradientKernels === false) unregisterWasmGradients(tf);
    else registerWasmGradients(tf);
    return tf;
  },
};

const cpu: BackendEntry = {
  name: 'cpu',
  load: async () => activate((await import('@tensorflow/tfjs')) as Tf, 'cpu'),
};

/** All entries in `auto` order. */
export const BACKENDS: readonly BackendEntry[] = [tensorflowGpu, tensorflow, wasm, cpu];

export function backendEntry(name: BackendName): BackendEntry {
  const entry = BACKENDS.find((b) => b.name === name);
  if (entry === undefined) throw new Error(`unknown backend '${name}'`);
  return entry;
}
