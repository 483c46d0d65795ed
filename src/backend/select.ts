/**
 * `selectBackend('auto' | name)`: the one call every model command makes before touching
 * tensors. `auto` walks the ladder (tensorflow-gpu, tensorflow, wasm, cpu) and keeps the
 * first that loads, remembering why the others did not; a named backend must load or the
 * call fails with the reason.
 */
import { UsageError } from '../errors.js';
import { backendEntry, BACKENDS } from './registry.js';
import { BACKEND_NAMES, type BackendChoice, type BackendName, type LoadOptions, type SelectedBackend } from './types.js';
import { wasmGradientsRegistered } from './kernels/register.js';

/** Valid values of `--backend`, for help texts and errors. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...BACKEND_NAMES];

/** Parses a `--backend` value, with an error that lists the valid ones. */
export function parseBackendChoice(value: string): BackendChoice {
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new UsageError(`unknown backend '${value}' (valid: ${BACKEND_CHOICES.join(', ')})`);
}

function reasonOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Cannot find (package|module)/.test(msg)) return 'package not installed';
  return msg.split('\n')[0] ?? msg;
}

/** Loads the chosen backend and makes it tfjs's active one. */
export async function selectBackend(choice: BackendChoice = 'auto', opts: LoadOptions = {}): Promise<SelectedBackend> {
  const ladder: readonly BackendName[] = choice === 'auto' ? BACKENDS.map((b) => b.name) : [choice];
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const name of ladder) {
    try {
      const tf = await backendEntry(name).load(opts);
      return { name, tf, skipped, gradientKernels: name === 'wasm' && wasmGradientsRegistered() };
    } catch (err) {
      skipped.push({ name, reason: reasonOf(err) });
    }
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  if (choice === 'auto') throw new Error(`no tfjs backend could be loaded (${why})`);
  throw new UsageError(`backend '${choice}' is not available: ${why}`);
}

/** One line for logs and `--json`: e.g. `wasm (tensorflow-gpu: package not installed; …)`. */
export function describeBackend(b: SelectedBackend): string {
  const kernels = b.name === 'wasm' ? (b.gradientKernels ? ', co2sat gradient kernels' : ', stock kernels') : '';
  const skipped = b.skipped.length > 0 ? `; skipped ${b.skipped.map((s) => `${s.name}: ${s.reason}`).join(', ')}` : '';
  return `${b.name}${kernels}${skipped}`;
}
