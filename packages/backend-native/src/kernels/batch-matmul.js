/** `BatchMatMul` (every `tf.matMul`, and the gradients of all matrix products). */
import { tf } from '@latentkit/core';
import { sessionFor } from '../runtime.js';
import { heapView } from '../wasm-memory.js';
import { blasAddon, blasProduct } from './blas-matmul.js';
import { wasmKernel } from './delegate.js';
import { matMulNodes, matMulShapes } from './matmul-graph.js';
import { MIN_NATIVE_MACS } from './threshold.js';
function batchMatMul(params) {
    const { a, b } = params.inputs;
    const { transposeA, transposeB } = params.attrs;
    const shapes = matMulShapes(a.shape, b.shape, transposeA, transposeB);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || shapes.macs < MIN_NATIVE_MACS) {
        return wasmKernel(tf.BatchMatMul)(params);
    }
    const backend = params.backend;
    const out = backend.makeOutput(shapes.outShape, 'float32');
    const blas = blasAddon();
    if (blas && blasProduct(blas, backend, shapes, { a, b, transposeA, transposeB }, out))
        return out;
    const session = sessionFor({ inputs: ['a', 'b'], outputs: ['y'], nodes: matMulNodes(shapes.plain, transposeA, transposeB, 'y') }, shapes.macs);
    const outDims = shapes.plain ? shapes.outShape.slice(-2) : shapes.outShape;
    session.run([
        [heapView(backend, a), shapes.aDims],
        [heapView(backend, b), shapes.bDims],
    ], [[heapView(backend, out), outDims]]);
    return out;
}
export const batchMatMulConfig = { kernelName: tf.BatchMatMul, kernelFunc: batchMatMul };
//# sourceMappingURL=batch-matmul.js.map