/**
 * Identity for wasm by reference, not by copy. tfjs's engine clones every tensor a kernel
 * saves for its gradient (engine.saveTensorsForBackwardMode → clone → Identity), and wasm's
 * Identity copies the whole buffer each time: on the bench trunk that was ~50 activation-sized
 * copies per training step (10–15 % of the step). Tensors are immutable, so sharing the
 * buffer under a reference count is what the cpu backend does and what wasm's own Reshape
 * does; string tensors keep wasm's kernel.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { kernelInputs } from './kernelInputs.js';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export function identityConfig(stock: KernelConfig | undefined): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }): TensorInfo => {
    const [x] = kernelInputs('Identity', inputs, ['x']);
    if (x.dtype === 'string') {
      if (stock === undefined) throw new Error('Identity: string tensors need wasm’s own kernel');
      return stock.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
    }
    (backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc };
}
