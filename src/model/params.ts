/**
 * Named trainable tensors. A network, a physics mode and a weighting strategy register
 * their variables here by name, so saving is one flat Float32 file plus a list of
 * (name, shape) entries, and loading checks that list against the rebuilt architecture.
 */
import * as tf from '@tensorflow/tfjs';

export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();
  private counter = 0;

  constructor(private readonly seed: number) {}

  /** He-normal initialised weight (fan-in = product of all dims but the last). */
  heNormal(name: string, shape: number[]): tf.Variable {
    const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    return this.add(name, tf.tidy(() => tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', this.seed * 1000 + ++this.counter)));
  }

  /** Glorot-style small weight for linear output layers. */
  small(name: string, shape: number[], scale = 0.01): tf.Variable {
    return this.add(name, tf.tidy(() => tf.randomNormal(shape, 0, scale, 'float32', this.seed * 1000 + ++this.counter)));
  }

  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value));
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`no parameter '${name}'`);
    return v;
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  /** Variables whose names start with `prefix` (all by default), in registration order. */
  list(prefix = ''): tf.Variable[] {
    return [...this.vars.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
  }

  names(prefix = ''): string[] {
    return [...this.vars.keys()].filter((k) => k.startsWith(prefix));
  }

  /** Copies every value (for keeping the best checkpoint in memory). */
  snapshot(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [k, v] of this.vars) out.set(k, v.dataSync().slice() as Float32Array);
    return out;
  }

  /** Restores values from a snapshot or a loaded file; shapes must match. */
  restore(values: ReadonlyMap<string, Float32Array>): void {
    for (const [k, v] of this.vars) {
      const data = values.get(k);
      if (!data) throw new Error(`missing parameter '${k}'`);
      if (data.length !== v.size) throw new Error(`parameter '${k}' has ${data.length} values, expected ${v.size}`);
      const t = tf.tensor(data, v.shape, 'float32');
      v.assign(t);
      t.dispose();
    }
  }

  entries(): { name: string; shape: number[] }[] {
    return [...this.vars.entries()].map(([name, v]) => ({ name, shape: [...v.shape] }));
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }

  private add(name: string, t: tf.Tensor): tf.Variable {
    if (this.vars.has(name)) throw new Error(`parameter '${name}' registered twice`);
    const v = tf.variable(t, true, `${name}_${Math.random().toString(36).slice(2, 8)}`);
    t.dispose();
    this.vars.set(name, v);
    return v;
  }
}
