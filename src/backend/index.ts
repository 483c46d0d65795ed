/**
 * co2sat's compute backends: selection with an ordered fallback, the wasm gradient kernels
 * that make training on the embedded backend practical, and a worker pool for inference.
 */
export type { BackendChoice, BackendEntry, BackendName, LoadOptions, SelectedBackend, Tf } from './types.js';
export { BACKEND_NAMES } from './types.js';
export { BACKEND_CHOICES, describeBackend, parseBackendChoice, selectBackend } from './select.js';
export { BACKENDS } from './registry.js';
export { registerWasmGradients, unregisterWasmGradients, wasmGradientsRegistered, WASM_GRADIENT_KERNELS } from './kernels/register.js';
export { wasmBinaryDir } from './wasmPaths.js';
export { createInferencePool, type InferencePool, type InferencePoolOptions, type PredictResult } from './parallel/inferencePool.js';
export { hasFastConvGradients } from './capabilities.js';
