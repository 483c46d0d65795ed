/**
 * `co2sat bench train`'s result contract on a miniature run (2 patches of 16 × 16, one
 * repetition): every backend row carries step_ms and infer_patches_per_s (or a note saying
 * why not), and the ratios are computed for the backend `auto` picks. PyTorch rows are timed
 * where python3-torch is installed and say so where it is not (no install from tests).
 */
import { describe, expect, it } from 'vitest';
import { formatTrainBench, runTrainBench } from '../../bench/train.js';
import { createTrainer, DEFAULT_ARCH } from '../../bench/trainModel.js';
import { selectBackend } from '../../src/backend/index.js';

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
    // All cores: data-parallel training steps over the worker threads, not inference only.
    expect(r.threads_all_cores).toBe(2);
    expect(r.backends['wasm-workers']!.threads).toBe(2);
    expect(r.backends['wasm-workers']!.step_ms, r.backends['wasm-workers']!.note).toBeGreaterThan(0);
    expect(r.backend).toBe(r.auto_backend);
    expect(typeof r.idle).toBe('boolean');
    expect(r.load_warning === undefined).toBe(r.idle);
    // Stock wasm runs inference but cannot train a convolution.
    expect(r.backends['wasm-stock']!.step_ms).toBeNull();
    expect(r.backends['wasm-stock']!.note).toMatch(/Conv2DBackpropFilter/);
    const torch = r.backends['torch']!;
    if (torch.step_ms === null) {
      expect(torch.note).toMatch(/PyTorch not installed/);
      expect(r.ratio_step_vs_torch).toBeNull();
      expect(r.ratio_step_vs_torch_all_cores).toBeNull();
    } else {
      expect(r.ratio_step_vs_torch_all_cores).toBeCloseTo(r.backends['wasm-workers']!.step_ms! / r.backends['torch-2t']!.step_ms!, 6);
      expect(r.ratio_infer_vs_torch_all_cores).toBeCloseTo(r.backends['wasm-workers']!.infer_patches_per_s! / r.backends['torch-2t']!.infer_patches_per_s!, 6);
      expect(r.ratio_step_vs_torch).toBeCloseTo(wasm.step_ms! / torch.step_ms, 6);
      expect(r.ratio_infer_vs_torch).toBeCloseTo(wasm.infer_patches_per_s! / torch.infer_patches_per_s!, 6);
    }
    expect(formatTrainBench(r)).toMatch(/\| wasm \| 1 \| \d+ \|/);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('splits a step over workers without changing its gradient: shard gradients sum to the whole batch’s', async () => {
    const { tf } = await selectBackend('wasm');
    const size = 8;
    const batch = 3;
    const pixels = size * size * DEFAULT_ARCH.in_channels;
    const x = Float32Array.from({ length: batch * pixels }, (_, i) => Math.sin(i * 0.37));
    const y = Float32Array.from({ length: batch * DEFAULT_ARCH.outputs }, (_, i) => Math.cos(i));
    const trainer = await createTrainer(tf, { arch: DEFAULT_ARCH, seed: 3, size, x, y });
    const whole = new Float32Array(trainer.size);
    const lossWhole = trainer.step({ start: 0, rows: batch, batch }, whole);
    const a = new Float32Array(trainer.size);
    const b = new Float32Array(trainer.size);
    const lossA = trainer.step({ start: 0, rows: 1, batch }, a);
    const lossB = trainer.step({ start: 1, rows: 2, batch }, b);
    expect(lossA + lossB).toBeCloseTo(lossWhole, 5);
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < whole.length; i++) {
      worst = Math.max(worst, Math.abs(a[i]! + b[i]! - whole[i]!));
      scale = Math.max(scale, Math.abs(whole[i]!));
    }
    expect(scale).toBeGreaterThan(0);
    expect(worst / scale).toBeLessThan(1e-4);
  });
});
