/**
 * The shared convolutional trunk: a 3×3 stem, then stages that halve the resolution with a
 * stride-2 conv and add residual blocks (conv–relu–conv + identity, then relu), ending in
 * global average and max pooling. Only 3×3 convs (conv.ts), relu, add and reductions are
 * used so every backend can train it.
 */
import * as tf from '@tensorflow/tfjs';
import { conv3x3 } from './conv.js';
import type { ParamStore } from './params.js';
import type { ModelSpec } from './spec.js';

function conv(store: ParamStore, name: string, x: tf.Tensor4D, stride: 1 | 2): tf.Tensor4D {
  const w = store.get(`${name}/w`) as unknown as tf.Tensor4D;
  const b = store.get(`${name}/b`);
  return tf.add(conv3x3(x, w, stride), b) as tf.Tensor4D;
}

function declareConv(store: ParamStore, name: string, inC: number, outC: number, zeroInit = false): void {
  if (zeroInit) store.small(`${name}/w`, [3, 3, inC, outC], 1e-3);
  else store.heNormal(`${name}/w`, [3, 3, inC, outC]);
  store.constant(`${name}/b`, [outC], 0);
}

/** Registers the trunk's parameters; returns the pooled feature length. */
export function declareTrunk(store: ParamStore, spec: ModelSpec): number {
  declareConv(store, 'trunk/stem', spec.bandCount, spec.stemWidth);
  let c = spec.stemWidth;
  spec.stageWidths.forEach((w, s) => {
    declareConv(store, `trunk/s${s}/down`, c, w);
    for (let k = 0; k < spec.blocksPerStage; k++) {
      declareConv(store, `trunk/s${s}/b${k}/c1`, w, w);
      // The second conv starts near zero so each block begins as an identity (stable early training).
      declareConv(store, `trunk/s${s}/b${k}/c2`, w, w, true);
    }
    c = w;
  });
  return 2 * c;
}

/** Runs the trunk on a [B, H, W, C] batch; returns [B, 2 × last width] pooled features. */
export function trunkForward(store: ParamStore, spec: ModelSpec, x: tf.Tensor4D): tf.Tensor2D {
  let h = tf.relu(conv(store, 'trunk/stem', x, spec.stemStride ?? 1));
  spec.stageWidths.forEach((_, s) => {
    h = tf.relu(conv(store, `trunk/s${s}/down`, h, 2));
    for (let k = 0; k < spec.blocksPerStage; k++) {
      const r = conv(store, `trunk/s${s}/b${k}/c2`, tf.relu(conv(store, `trunk/s${s}/b${k}/c1`, h, 1)), 1);
      h = tf.relu(tf.add(h, r)) as tf.Tensor4D;
    }
  });
  return tf.concat([tf.mean(h, [1, 2]), tf.max(h, [1, 2])], 1) as tf.Tensor2D;
}
