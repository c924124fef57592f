/**
 * `Conv2DBackpropFilter`: the filter gradient, dW[i,j,c,o] = Σ_{n,y,x} X[n, y·s+i, x·s+j, c] · dY[n,y,x,o].
 * With X unrolled into patches (im2col, one row per output pixel, columns in HWI order) this is one matrix product,
 * patchesᵀ · dY, whose [H·W·I, O] result is already the HWIO filter: a single well-shaped GEMM (K = every output
 * pixel of the batch), where expressing it as a convolution gave onnxruntime many thin ones. The patches come from
 * the compiled im2col when the addon is built, else from strided Slices in the graph.
 */
import { tf } from '@latentkit/core';
import { int } from '../onnx-graph.js';
import { sessionFor } from '../runtime.js';
import { heapView } from '../wasm-memory.js';
import { convInfo, convMacs, patchNodes } from './conv-graph.js';
import { filterGradientByPatches } from './conv-patches.js';
import { wasmKernel } from './delegate.js';
function conv2DBackpropFilter(params) {
    const { x, dy } = params.inputs;
    const attrs = params.attrs;
    const info = convInfo(x.shape, attrs.filterShape, attrs);
    if (!info || x.dtype !== 'float32' || dy.dtype !== 'float32')
        return wasmKernel(tf.Conv2DBackpropFilter)(params);
    const backend = params.backend;
    const byPatches = filterGradientByPatches(backend, x, dy, info);
    if (byPatches)
        return byPatches;
    const out = backend.makeOutput(info.filterShape, 'float32');
    const rows = info.batchSize * info.outHeight * info.outWidth;
    const columns = info.filterHeight * info.filterWidth * info.inChannels;
    const session = sessionFor({
        inputs: ['x', 'dy'],
        outputs: ['dw'],
        nodes: [...patchNodes(info, 'x', 'patches'), { op: 'Gemm', inputs: ['patches', 'dy'], outputs: ['dw'], attrs: { transA: int(1) } }],
    }, convMacs(info));
    session.run([
        [heapView(backend, x), x.shape],
        [heapView(backend, dy), [rows, info.outChannels]],
    ], [[heapView(backend, out), [columns, info.outChannels]]]);
    return out;
}
export const conv2DBackpropFilterConfig = { kernelName: tf.Conv2DBackpropFilter, kernelFunc: conv2DBackpropFilter };
//# sourceMappingURL=conv2d-backprop-filter.js.map