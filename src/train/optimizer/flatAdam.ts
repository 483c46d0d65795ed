/**
 * Adam (Kingma & Ba 2015) over ALL parameters as one loop on one flat Float32Array, with
 * tfjs's exact update (β₁ 0.9, β₂ 0.999, ε 1e-7, bias correction 1 − βᵗ):
 *   m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − lr · (m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
 *
 * Why not tf.train.adam: it runs ~10 small kernels per variable (≈ 500 dispatches a step for
 * the default trunk's 50 variables), which cost 10–20 % of a step on wasm; this is one pass
 * over the flat vector. Flat parameters and gradients are also what the data-parallel
 * trainer shares between threads (src/train/parallel/).
 *
 * One difference from tfjs: a parameter whose gradient is zero still has its moments decayed
 * and moves by its remaining momentum, where tfjs skips variables that got no gradient at
 * all. co2sat's networks differentiate every parameter each step, so this never arises there.
 */
export interface FlatAdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  /** tfjs uses its backend's epsilon: 1e-7 for float32. */
  epsilon?: number;
}

export class FlatAdam {
  /** Read on every update, so a schedule may change it between steps. */
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private steps = 0;

  constructor(
    readonly size: number,
    opts: FlatAdamOptions,
  ) {
    this.learningRate = opts.learningRate;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-7;
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** Number of updates applied so far. */
  get iterations(): number {
    return this.steps;
  }

  /** Updates `params` in place from `grads` (both `size` long, in the same layout). */
  update(params: Float32Array, grads: Float32Array): void {
    if (params.length !== this.size || grads.length !== this.size) {
      throw new Error(`FlatAdam: expected ${this.size} parameters and gradients, got ${params.length} and ${grads.length}`);
    }
    this.steps++;
    const { beta1: b1, beta2: b2, epsilon: eps, m, v } = this;
    const c1 = 1 - Math.pow(b1, this.steps);
    const c2 = 1 - Math.pow(b2, this.steps);
    const lr = this.learningRate;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i]!;
      const mi = b1 * m[i]! + (1 - b1) * g;
      const vi = b2 * v[i]! + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = params[i]! - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
    }
  }
}
