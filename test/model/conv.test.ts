import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv3x3Im2col } from '../../src/model/conv.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('im2col 3×3 convolution', () => {
  for (const stride of [1, 2] as const) {
    it(`equals tf.conv2d SAME with stride ${stride} (values and weight gradients)`, () => {
      const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 3, 5], 0, 1, 'float32', 2) as tf.Tensor4D;
      const a = conv3x3Im2col(x, w, stride);
      const b = tf.conv2d(x, w, stride, 'same');
      expect(a.shape).toEqual(b.shape);
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-4);
      const ga = tf.grad((k: tf.Tensor) => tf.sum(tf.square(conv3x3Im2col(x, k as tf.Tensor4D, stride))))(w);
      const gb = tf.grad((k: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, k as tf.Tensor4D, stride, 'same'))))(w);
      expect(tf.max(tf.abs(tf.sub(ga, gb))).dataSync()[0]! / tf.max(tf.abs(gb)).dataSync()[0]!).toBeLessThan(1e-4);
    });
  }
});
