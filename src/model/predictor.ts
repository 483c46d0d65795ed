/**
 * A network plus everything saved beside it (normalisation, scales, EFs), turned into plain
 * numbers per sample. Used by `evaluate`, by the training loop's validation and by the
 * public inference API, so all three read predictions the same way.
 */
import * as tf from '@tensorflow/tfjs';
import { halfWidth90, sdFromLogVar } from './distribution.js';
import { disposeInputs, makeInputs, type InputContext, type PreparedSample } from './inputs.js';
import type { Network } from './network.js';
import type { Likelihood } from './spec.js';

export interface SamplePrediction {
  p_on: number;
  generation_mw: number;
  generation_mw_sd: number;
  /** Half-width of the 90 % interval (MW). */
  generation_mw_half90: number;
  co2_t_per_h: number;
  co2_t_per_h_sd: number;
  co2_t_per_h_half90: number;
}

/** Runs the network in batches without recording gradients. */
export function predictPrepared(net: Network, samples: readonly PreparedSample[], ctx: InputContext, batchSize = 64): SamplePrediction[] {
  const out: SamplePrediction[] = [];
  const likelihood: Likelihood = net.spec.likelihood;
  for (let i = 0; i < samples.length; i += batchSize) {
    const chunk = samples.slice(i, i + batchSize);
    const inputs = makeInputs(chunk, ctx);
    const arrays = tf.tidy(() => {
      const o = net.forward(inputs);
      return [tf.sigmoid(o.activityLogit), o.generationMW, o.generationLogVar, o.co2TPerH, o.co2LogVar];
    });
    disposeInputs(inputs);
    const [p, g, gs, c, cs] = arrays.map((a) => a.dataSync() as Float32Array) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    arrays.forEach((a) => a.dispose());
    const gScale = ctx.scales.generation.std * (ctx.intervalScale?.generation ?? 1);
    const cScale = ctx.scales.co2.std * (ctx.intervalScale?.co2 ?? 1);
    for (let k = 0; k < chunk.length; k++) {
      out.push({
        p_on: p[k]!,
        generation_mw: g[k]!,
        generation_mw_sd: sdFromLogVar(gs[k]!, gScale, likelihood),
        generation_mw_half90: halfWidth90(gs[k]!, gScale, likelihood),
        co2_t_per_h: c[k]!,
        co2_t_per_h_sd: sdFromLogVar(cs[k]!, cScale, likelihood),
        co2_t_per_h_half90: halfWidth90(cs[k]!, cScale, likelihood),
      });
    }
  }
  return out;
}
