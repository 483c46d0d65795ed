/**
 * Types shared by backend selection, the wasm gradient kernels and the worker pool.
 */
import type * as tfjs from '@tensorflow/tfjs';

/** The tfjs namespace a caller computes with (`@tensorflow/tfjs`, or tfjs-node's superset). */
export type Tf = typeof tfjs;

/** Concrete compute engines, best first. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What `--backend` accepts: a concrete engine or `auto` (the first that loads). */
export type BackendChoice = BackendName | 'auto';

/** A loaded backend: its name and the tfjs namespace whose engine runs on it. */
export interface SelectedBackend {
  readonly name: BackendName;
  readonly tf: Tf;
  /** Why earlier entries of the ladder were skipped (empty when the first one loaded). */
  readonly skipped: readonly { name: BackendName; reason: string }[];
  /** For wasm: whether our gradient kernels are registered (false: stock kernels only). */
  readonly gradientKernels: boolean;
}

/** One entry of the backend ladder: loading it either yields a ready tfjs or throws. */
export interface BackendEntry {
  readonly name: BackendName;
  /** Imports the package lazily, registers and activates the backend, returns the namespace. */
  readonly load: (opts: LoadOptions) => Promise<Tf>;
}

export interface LoadOptions {
  /** Register co2sat's wasm gradient kernels (default true; false gives stock wasm, for benches). */
  readonly gradientKernels?: boolean;
}
