/**
 * makeInputs stacks a batch into tensors; on wasm it assembles the images in one reused array
 * (a fresh multi-MiB array per step costs page faults), which is only safe because the
 * backend copies the values when the tensor is made. Every batch's tensor must keep its own
 * values after later batches are made, on every backend.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { disposeInputs, makeInputs } from '../../src/model/inputs.js';
import { stepBatch } from '../train/helpers/stepBatch.js';
import { imageValues } from '../../src/model/patchImage.js';

afterAll(async () => {
  await selectBackend('wasm');
});

describe('makeInputs', () => {
  it.each(['wasm', 'cpu'] as const)('on %s: a batch keeps its own image values after later, larger and smaller, batches are made', async (backend) => {
    await selectBackend(backend);
    const { samples, ctx } = stepBatch(7, { seed: 3, size: 8, channels: 5 });
    const px = ctx.patchSize * ctx.patchSize * ctx.channels;
    const first = makeInputs(samples.slice(0, 3), ctx);
    const later = [makeInputs(samples.slice(3, 7), ctx), makeInputs(samples.slice(6, 7), ctx)];
    const values = first.images.dataSync();
    expect(values.length).toBe(3 * px);
    for (let i = 0; i < 3; i++) expect(Array.from(values.subarray(i * px, (i + 1) * px))).toEqual(Array.from(imageValues(samples[i]!.image)));
    const last = later[1]!.images.dataSync();
    expect(Array.from(last)).toEqual(Array.from(imageValues(samples[6]!.image)));
    [first, ...later].forEach(disposeInputs);
  });
});
