/**
 * `Exp` of large float32 tensors on onnxruntime (MLAS's vectorised exp, ~1.7× wasm's): softmax cross-entropy over a
 * 10 000-word vocabulary takes three of them per step on [tokens, vocab].
 */
import { tf } from '@latentkit/core';
import { sessionFor } from '../runtime.js';
import { heapView } from '../wasm-memory.js';
import { wasmKernel } from './delegate.js';
const MIN_NATIVE_ELEMENTS = 1 << 16;
function exp(params) {
    const { x } = params.inputs;
    if (x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) < MIN_NATIVE_ELEMENTS)
        return wasmKernel(tf.Exp)(params);
    const backend = params.backend;
    const out = backend.makeOutput(x.shape, 'float32');
    sessionFor({ inputs: ['x'], outputs: ['y'], nodes: [{ op: 'Exp', inputs: ['x'], outputs: ['y'] }] }, tf.util.sizeFromShape(x.shape)).run([[heapView(backend, x), x.shape]], [[heapView(backend, out), x.shape]]);
    return out;
}
export const expConfig = { kernelName: tf.Exp, kernelFunc: exp };
//# sourceMappingURL=exp.js.map