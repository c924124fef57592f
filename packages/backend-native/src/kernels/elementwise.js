/**
 * Element-wise float32 kernels on the package's compiled loops (src/addon.ts): vectorised, on every core for large
 * tensors, and reading and writing the wasm heap in place. They cover what a training step is made of: the LSTM
 * cell's gates, gradient sums, softmax pieces and every term of tf.train.adam's update. Small tensors, other
 * dtypes, broadcasts that are not two-dimensional, and machines where the addon did not build use wasm's kernel.
 */
import { tf } from '@latentkit/core';
import { BINARY_OPS, UNARY_OPS, nativeAddon } from '../addon.js';
import { plan2D } from '../broadcast.js';
import { NATIVE_BACKEND } from '../names.js';
import { heapOffset } from '../wasm-memory.js';
import { wasmKernel } from './delegate.js';
import { expConfig } from './exp.js';
/** Below this many elements the call into the addon costs about what wasm's loop does. */
export const MIN_ADDON_ELEMENTS = 1024;
function binaryKernel(kernelName, code) {
    const fallback = (params) => wasmKernel(kernelName)(params);
    const kernelFunc = (params) => {
        const { a, b } = params.inputs;
        const addon = nativeAddon();
        const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
        const plan = a.dtype === 'float32' && b.dtype === 'float32' ? plan2D(a.shape, b.shape, outShape) : undefined;
        if (!addon || !plan || plan.outer * plan.inner < MIN_ADDON_ELEMENTS)
            return fallback(params);
        const backend = params.backend;
        const out = backend.makeOutput(outShape, 'float32');
        const heap = backend.wasm.HEAPU8.buffer;
        addon.binary(code, heap, heapOffset(backend, a), ...plan.a, heapOffset(backend, b), ...plan.b, heapOffset(backend, out), plan.outer, plan.inner);
        return out;
    };
    return { kernelName, backendName: NATIVE_BACKEND, kernelFunc: kernelFunc };
}
function unaryKernel(kernelName, code, fallback) {
    const kernelFunc = (params) => {
        const { x } = params.inputs;
        const addon = nativeAddon();
        const n = tf.util.sizeFromShape(x.shape);
        if (!addon || x.dtype !== 'float32' || n < MIN_ADDON_ELEMENTS)
            return fallback(params);
        const backend = params.backend;
        const out = backend.makeOutput([...x.shape], 'float32');
        addon.unary(code, backend.wasm.HEAPU8.buffer, heapOffset(backend, x), heapOffset(backend, out), n);
        return out;
    };
    return { kernelName, backendName: NATIVE_BACKEND, kernelFunc: kernelFunc };
}
export const elementwiseConfigs = [
    ...BINARY_OPS.map((name, code) => binaryKernel(name, code)),
    // Without the addon, large Exps still go to onnxruntime's vectorised exp.
    ...UNARY_OPS.map((name, code) => unaryKernel(name, code, name === 'Exp' ? expConfig.kernelFunc : (params) => wasmKernel(name)(params))),
];
//# sourceMappingURL=elementwise.js.map