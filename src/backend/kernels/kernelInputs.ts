/**
 * A kernel's named inputs out of tfjs's untyped `NamedTensorInfoMap`, in the order asked,
 * or one error naming the kernel and the missing input. Every co2sat kernel starts this way;
 * one reader keeps their messages alike and spares each kernel a `!` per input.
 */
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

export function kernelInputs<const Names extends readonly string[]>(
  kernel: string,
  inputs: NamedTensorInfoMap,
  names: Names,
): { [K in keyof Names]: TensorInfo } {
  return names.map((name) => {
    const t = inputs[name];
    if (t === undefined) throw new Error(`${kernel}: missing input ${name}`);
    return t;
  }) as { [K in keyof Names]: TensorInfo };
}

/** A kernel's attributes as the type the kernel declares; tfjs passes them untyped. */
export function kernelAttrs<Attrs>(kernel: string, attrs: NamedAttrMap | undefined): Attrs {
  if (attrs === undefined) throw new Error(`${kernel}: missing attributes`);
  return attrs as unknown as Attrs;
}
