/**
 * 3×3 'same' convolution, stride 1 or 2, with the semantics of `tf.conv2d` (HWIO weights,
 * TensorFlow's SAME padding, which for stride 2 on even sizes pads only bottom/right).
 *
 * Why not always `tf.conv2d`: stock tfjs wasm has no Conv2DBackpropFilter and the cpu
 * backend's one is very slow (≈ 8 s for one 16×32×32×12→16 step on our machines). Written
 * as im2col — nine shifted slices concatenated, then one matMul — every backend trains it
 * with kernels it already has (slice, concat, reshape, matMul), ~50× faster on wasm than
 * cpu conv2d. Native TensorFlow backends, and wasm once co2sat's gradient kernels are
 * registered (src/backend), keep `tf.conv2d`. Both read the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import { wasmGradientsRegistered } from '../backend/index.js';

/** Backends with a fast native conv2d and its gradients. */
const NATIVE_CONV_BACKENDS = new Set(['tensorflow', 'webgl', 'webgpu']);

/** True when tf.conv2d can be trained fast on the active backend (wasm: with co2sat's gradient kernels, ~15× faster than im2col). */
export function nativeConvTrains(): boolean {
  const b = tf.getBackend();
  return NATIVE_CONV_BACKENDS.has(b) || (b === 'wasm' && wasmGradientsRegistered());
}

/** Takes every second row and column starting at index 1 (TF SAME stride-2 alignment). */
function subsample2(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const rows = tf.slice(tf.reshape(x, [b * (h / 2), 2, w, c]), [0, 1, 0, 0], [-1, 1, -1, -1]);
  const cols = tf.slice(tf.reshape(rows, [b * (h / 2), w / 2, 2, c]), [0, 0, 1, 0], [-1, -1, 1, -1]);
  return tf.reshape(cols, [b, h / 2, w / 2, c]);
}

/** im2col form of a 3×3 SAME convolution; exported so tests can compare it with tf.conv2d. */
export function conv3x3Im2col(x: tf.Tensor4D, w: tf.Tensor4D, stride: 1 | 2): tf.Tensor4D {
  const [b, h, wd, c] = x.shape;
  const outC = w.shape[3];
  if (stride === 2 && (h % 2 !== 0 || wd % 2 !== 0)) throw new Error(`stride-2 convolution needs even sizes, got ${h}×${wd}`);
  const p = tf.pad(x, [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const cols: tf.Tensor4D[] = [];
  for (let dy = 0; dy < 3; dy++) {
    for (let dx = 0; dx < 3; dx++) {
      const s = tf.slice(p, [0, dy, dx, 0], [b, h, wd, c]);
      cols.push(stride === 2 ? subsample2(s) : s);
    }
  }
  const oh = stride === 2 ? h / 2 : h;
  const ow = stride === 2 ? wd / 2 : wd;
  const patches = tf.reshape(tf.concat(cols, 3), [b * oh * ow, 9 * c]);
  return tf.reshape(tf.matMul(patches, tf.reshape(w, [9 * c, outC])), [b, oh, ow, outC]);
}

/** 3×3 SAME convolution on whatever backend is active. */
export function conv3x3(x: tf.Tensor4D, w: tf.Tensor4D, stride: 1 | 2): tf.Tensor4D {
  if (nativeConvTrains()) return tf.conv2d(x, w, stride, 'same');
  return conv3x3Im2col(x, w, stride);
}
