/**
 * `Conv2D` and `FusedConv2D` (conv + bias + activation, what `tf.layers.conv2d` runs): one GEMM over compiled
 * im2col patches (conv-patches.ts), or onnxruntime's Conv between layout transposes when the addon is not built.
 */
import { tf } from '@latentkit/core';
import { ints } from '../onnx-graph.js';
import { sessionFor } from '../runtime.js';
import { heapView } from '../wasm-memory.js';
import { FUSED_ACTIVATIONS, withActivation } from './activation.js';
import { HWIO_TO_OIHW, NCHW_TO_NHWC, NHWC_TO_NCHW, convInfo, convMacs, onnxPads } from './conv-graph.js';
import { convByPatches } from './conv-patches.js';
import { wasmKernel } from './delegate.js';
function conv(kernelName, params) {
    const { x, filter, bias, preluActivationWeights } = params.inputs;
    const attrs = params.attrs;
    const activation = attrs.activation ?? 'linear';
    if (!x || !filter)
        throw new Error(`${kernelName} needs inputs x and filter`);
    const all = [x, filter, bias, preluActivationWeights].filter((t) => t !== undefined);
    const info = convInfo(x.shape, filter.shape, attrs);
    if (!info || all.some((t) => t.dtype !== 'float32') || !FUSED_ACTIVATIONS.includes(activation)) {
        return wasmKernel(kernelName)(params);
    }
    const backend = params.backend;
    const byPatches = convByPatches(backend, x, filter, info, {
        bias,
        preluWeights: preluActivationWeights,
        activation,
        leakyreluAlpha: attrs.leakyreluAlpha ?? 0.2,
    });
    if (byPatches)
        return byPatches;
    const out = backend.makeOutput(info.outShape, 'float32');
    const nodes = [
        { op: 'Transpose', inputs: ['x'], outputs: ['xc'], attrs: { perm: ints(NHWC_TO_NCHW) } },
        { op: 'Transpose', inputs: ['w'], outputs: ['wc'], attrs: { perm: ints(HWIO_TO_OIHW) } },
        {
            op: 'Conv',
            inputs: ['xc', 'wc'],
            outputs: ['yc'],
            attrs: {
                strides: ints([info.strideHeight, info.strideWidth]),
                dilations: ints([info.dilationHeight, info.dilationWidth]),
                pads: ints(onnxPads(info)),
            },
        },
        { op: 'Transpose', inputs: ['yc'], outputs: ['conv'], attrs: { perm: ints(NCHW_TO_NHWC) } },
    ];
    const inputs = ['x', 'w'];
    const operands = [
        [heapView(backend, x), x.shape],
        [heapView(backend, filter), filter.shape],
    ];
    if (bias) {
        nodes.push({ op: 'Add', inputs: ['conv', 'bias'], outputs: ['biased'] });
        inputs.push('bias');
        operands.push([heapView(backend, bias), bias.shape]);
    }
    if (preluActivationWeights) {
        inputs.push('alpha');
        operands.push([heapView(backend, preluActivationWeights), preluActivationWeights.shape]);
    }
    sessionFor({ inputs, outputs: ['y'], nodes: withActivation(nodes, activation, 'y', attrs.leakyreluAlpha ?? 0.2) }, convMacs(info)).run(operands, [
        [heapView(backend, out), info.outShape],
    ]);
    return out;
}
export const conv2DConfig = { kernelName: tf.Conv2D, kernelFunc: ((p) => conv(tf.Conv2D, p)) };
export const fusedConv2DConfig = { kernelName: tf.FusedConv2D, kernelFunc: ((p) => conv(tf.FusedConv2D, p)) };
//# sourceMappingURL=conv2d.js.map