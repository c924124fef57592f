/** `_FusedMatMul`: matrix product + bias + activation in one graph (every `tf.layers.dense` with a bias). */
import { tf } from '@latentkit/core';
import { sessionFor } from '../runtime.js';
import { heapView } from '../wasm-memory.js';
import { FUSED_ACTIVATIONS, withActivation } from './activation.js';
import { blasAddon, blasProduct } from './blas-matmul.js';
import { wasmKernel } from './delegate.js';
import { matMulNodes, matMulShapes } from './matmul-graph.js';
import { MIN_NATIVE_MACS } from './threshold.js';
function fusedMatMul(params) {
    const { a, b, bias, preluActivationWeights } = params.inputs;
    const { transposeA, transposeB, activation, leakyreluAlpha } = params.attrs;
    if (!a || !b)
        throw new Error('_FusedMatMul needs inputs a and b');
    const shapes = matMulShapes(a.shape, b.shape, transposeA, transposeB);
    const all = [a, b, bias, preluActivationWeights].filter((t) => t !== undefined);
    if (all.some((t) => t.dtype !== 'float32') || !FUSED_ACTIVATIONS.includes(activation) || shapes.macs < MIN_NATIVE_MACS) {
        return wasmKernel(tf._FusedMatMul)(params);
    }
    const backend = params.backend;
    const out = backend.makeOutput(shapes.outShape, 'float32');
    const blas = blasAddon();
    if (blas && !preluActivationWeights && blasProduct(blas, backend, shapes, { a, b, transposeA, transposeB, bias, activation }, out))
        return out;
    const nodes = matMulNodes(shapes.plain, transposeA, transposeB, 'product');
    const inputs = ['a', 'b'];
    if (bias) {
        const gemm = nodes.at(-1);
        // A plain product takes the bias as Gemm's C, which MLAS writes first and accumulates onto: a separate Add made
        // a second pass over the output (the LSTM-VAE's [1120, 10 000] logits: 73 ms against 47 without a bias).
        if (gemm.op === 'Gemm')
            nodes[nodes.length - 1] = { ...gemm, inputs: [...gemm.inputs, 'bias'] };
        else
            nodes.push({ op: 'Add', inputs: ['product', 'bias'], outputs: ['biased'] });
        inputs.push('bias');
    }
    if (preluActivationWeights)
        inputs.push('alpha');
    const outDims = shapes.plain ? shapes.outShape.slice(-2) : shapes.outShape;
    const operands = [
        [heapView(backend, a), shapes.aDims],
        [heapView(backend, b), shapes.bDims],
    ];
    if (bias)
        operands.push([heapView(backend, bias), biasDims(bias.shape, outDims)]);
    if (preluActivationWeights)
        operands.push([heapView(backend, preluActivationWeights), biasDims(preluActivationWeights.shape, outDims)]);
    sessionFor({ inputs, outputs: ['y'], nodes: withActivation(nodes, activation, 'y', leakyreluAlpha ?? 0.2) }, shapes.macs).run(operands, [
        [heapView(backend, out), outDims],
    ]);
    return out;
}
/** A broadcast operand's shape against the (possibly squeezed to 2-D) product: drop leading ones beyond its rank. */
function biasDims(shape, outDims) {
    const dims = [...shape];
    while (dims.length > outDims.length && dims[0] === 1)
        dims.shift();
    return dims;
}
export const fusedMatMulConfig = { kernelName: tf._FusedMatMul, kernelFunc: fusedMatMul };
//# sourceMappingURL=fused-matmul.js.map