import type { NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { kernelInputs } from '../../src/backend/kernels/kernelInputs.js';

const info = (id: number, shape: number[]): TensorInfo => ({ dataId: { id }, shape, dtype: 'float32' });

describe('kernelInputs', () => {
  const inputs: NamedTensorInfoMap = { dy: info(1, [1, 4, 4, 2]), x: info(2, [1, 8, 8, 3]) };
  it('returns the named inputs in the order asked, not the map order', () => {
    const [x, dy] = kernelInputs('K', inputs, ['x', 'dy']);
    expect(x.shape).toEqual([1, 8, 8, 3]);
    expect(dy.shape).toEqual([1, 4, 4, 2]);
  });
  it('names the kernel and the missing input', () => {
    expect(() => kernelInputs('Conv2DBackpropInput', inputs, ['dy', 'filter'])).toThrow('Conv2DBackpropInput: missing input filter');
  });
});
