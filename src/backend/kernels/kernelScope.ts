/**
 * Runs other registered kernels of one backend from inside a kernel, and frees what they
 * produced. A kernel must not call tf ops (they would go through the engine and its tape),
 * so composite kernels such as our convolution gradients call the backend's own kernel
 * functions directly, as tfjs's backends do internally.
 */
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types.js';

export class KernelScope {
  private readonly temps: TensorInfo[] = [];

  constructor(
    private readonly tf: Tf,
    readonly backend: KernelBackend,
    private readonly backendName: string,
  ) {}

  /** Runs kernel `name` on this backend; the result is freed by `dispose()` unless kept. */
  run(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const config = this.tf.getKernel(name, this.backendName);
    if (config === undefined) throw new Error(`kernel '${name}' is not registered for backend '${this.backendName}'`);
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new Error(`kernel '${name}' returned several outputs; KernelScope.run takes one`);
    this.temps.push(out);
    return out;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Takes `t` (made outside `run`, e.g. by makeOutput) as a temporary. */
  adopt(t: TensorInfo): TensorInfo {
    this.temps.push(t);
    return t;
  }

  /** Removes `t` from the temporaries so it survives `dispose()` (the kernel's output). */
  keep(t: TensorInfo): TensorInfo {
    const i = this.temps.indexOf(t);
    if (i >= 0) this.temps.splice(i, 1);
    return t;
  }

  /** Frees every temporary not kept (reshapes only drop a reference count). */
  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}
