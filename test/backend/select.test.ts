/**
 * Backend selection: `auto` walks the ladder and says why it skipped entries; a named backend
 * loads or fails with a usage error; wasm finds its binaries from the installed package.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { describeBackend, parseBackendChoice, selectBackend, wasmBinaryDir } from '../../src/backend/index.js';

const require = createRequire(import.meta.url);
function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

describe('selectBackend', () => {
  it('auto picks the first backend that loads and names the skipped ones', async () => {
    const b = await selectBackend('auto');
    expect(b.tf.getBackend()).toBe(b.name === 'tensorflow-gpu' ? 'tensorflow' : b.name);
    const expected = installed('@tensorflow/tfjs-node-gpu') ? 'tensorflow-gpu' : installed('@tensorflow/tfjs-node') ? 'tensorflow' : 'wasm';
    expect(b.name).toBe(expected);
    if (expected === 'wasm') {
      expect(b.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
      expect(b.skipped[0]!.reason).toBe('package not installed');
      expect(b.gradientKernels).toBe(true);
      expect(describeBackend(b)).toMatch(/^wasm, co2sat gradient kernels; skipped tensorflow-gpu: package not installed/);
    }
  });

  it('loads cpu and wasm by name and computes on them', async () => {
    for (const name of ['cpu', 'wasm'] as const) {
      const b = await selectBackend(name);
      expect(b.name).toBe(name);
      expect(b.tf.getBackend()).toBe(name);
      expect(Array.from(b.tf.add(b.tf.tensor1d([1, 2]), b.tf.tensor1d([3, 4])).dataSync())).toEqual([4, 6]);
    }
  });

  it.skipIf(installed('@tensorflow/tfjs-node'))('a named backend whose package is missing is a usage error', async () => {
    await expect(selectBackend('tensorflow')).rejects.toBeInstanceOf(UsageError);
    await expect(selectBackend('tensorflow')).rejects.toThrow(/backend 'tensorflow' is not available: tensorflow: package not installed/);
  });

  it('parses --backend values and lists the valid ones on error', () => {
    expect(parseBackendChoice('wasm')).toBe('wasm');
    expect(() => parseBackendChoice('gpu')).toThrow(/unknown backend 'gpu' \(valid: auto, tensorflow-gpu, tensorflow, wasm, cpu\)/);
  });

  it('points wasm at the installed binaries', () => {
    const dir = wasmBinaryDir();
    expect(path.isAbsolute(dir)).toBe(true);
    expect(existsSync(path.join(dir, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
  });
});
