/**
 * The identity forward and a zero gradient backward (tfjs has no stop_gradient op): a path
 * that reads a tensor without training whatever computed it. tf.customGrad keeps it on every
 * backend, ours included, since it needs only the Identity and ZerosLike kernels.
 */
import * as tf from '@tensorflow/tfjs';

const stopped = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => ({
  value: tf.clone(x as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopped(x) as T;
}
