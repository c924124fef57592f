/**
 * `Cast`. To the dtype a tensor already has, it shares the buffer: wasm's kernel copies it, and tfjs casts float32
 * to float32 routinely (softmax cross-entropy casts its [tokens, vocab] labels and logits on every call). To bool,
 * it computes x ≠ 0: wasm's kernel truncates instead (0.3 → false, 2 → 2), unlike the cpu backend and TensorFlow.
 */
import { tf } from '@latentkit/core';
import { heapOffset, heapView } from '../wasm-memory.js';
import { wasmKernel } from './delegate.js';
function cast(params) {
    const { x } = params.inputs;
    const { dtype } = params.attrs;
    const backend = params.backend;
    if (x.dtype === dtype && dtype !== 'string') {
        backend.incRef(x.dataId);
        return { dataId: x.dataId, shape: x.shape, dtype };
    }
    if (dtype === 'bool' && x.dtype === 'float32') {
        const out = backend.makeOutput([...x.shape], 'bool');
        const values = heapView(backend, x);
        const offset = heapOffset(backend, out);
        const flags = new Uint8Array(backend.wasm.HEAPU8.buffer, offset, values.length);
        for (let i = 0; i < values.length; i++)
            flags[i] = values[i] !== 0 ? 1 : 0;
        return out;
    }
    return wasmKernel(tf.Cast)(params);
}
export const castConfig = { kernelName: tf.Cast, kernelFunc: cast };
//# sourceMappingURL=cast.js.map