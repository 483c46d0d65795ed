/**
 * `co2sat bench train`'s result contract on a miniature run (2 patches of 16 × 16, one
 * repetition): every backend row carries step_ms and infer_patches_per_s (or a note saying
 * why not), and the ratios are computed for the backend `auto` picks. PyTorch rows are timed
 * where python3-torch is installed and say so where it is not (no install from tests).
 */
import { describe, expect, it } from 'vitest';
import { formatTrainBench, runTrainBench } from '../../bench/train.js';

describe('runTrainBench', () => {
  it('returns one row per backend and ratios for the auto backend', async () => {
    const r = await runTrainBench({ arch: 'default', steps: 1, workers: 2, batch: 2, size: 16, cpu: true, installTorch: false, log: () => {} });
    expect(r.batch).toEqual([2, 12, 16, 16]);
    expect(r.auto_backend).toBe('wasm');
    for (const name of ['wasm', 'wasm-fused', 'wasm-im2col', 'wasm-stock', 'wasm-workers', 'cpu', 'tensorflow', 'torch', 'torch-2t']) {
      expect(r.backends[name], name).toBeDefined();
    }
    const wasm = r.backends['wasm']!;
    expect(wasm.step_ms).toBeGreaterThan(0);
    expect(wasm.infer_patches_per_s).toBeGreaterThan(0);
    expect(r.backends['cpu']!.step_ms).toBeGreaterThan(0);
    // Stock wasm runs inference but cannot train a convolution.
    expect(r.backends['wasm-stock']!.step_ms).toBeNull();
    expect(r.backends['wasm-stock']!.note).toMatch(/Conv2DBackpropFilter/);
    const torch = r.backends['torch']!;
    if (torch.step_ms === null) {
      expect(torch.note).toMatch(/PyTorch not installed/);
      expect(r.ratio_step_vs_torch).toBeNull();
    } else {
      expect(r.ratio_step_vs_torch).toBeCloseTo(wasm.step_ms! / torch.step_ms, 6);
      expect(r.ratio_infer_vs_torch).toBeCloseTo(wasm.infer_patches_per_s! / torch.infer_patches_per_s!, 6);
    }
    expect(formatTrainBench(r)).toMatch(/\| wasm \| 1 \| \d+ \|/);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
