/**
 * `Conv2DBackpropInput`: the input gradient of a convolution, and the forward pass of `tf.layers.conv2dTranspose`.
 * One GEMM and a compiled col2im (conv-patches.ts); without the addon, ONNX's ConvTranspose, whose
 * `output_padding` restores the rows a strided forward conv dropped.
 */
import { tf } from '@latentkit/core';
import { ints } from '../onnx-graph.js';
import { sessionFor } from '../runtime.js';
import { heapView } from '../wasm-memory.js';
import { HWIO_TO_OIHW, NCHW_TO_NHWC, NHWC_TO_NCHW, convInfo, convMacs, onnxPads } from './conv-graph.js';
import { inputGradientByPatches } from './conv-patches.js';
import { wasmKernel } from './delegate.js';
function conv2DBackpropInput(params) {
    const { dy, filter } = params.inputs;
    const attrs = params.attrs;
    const info = convInfo(attrs.inputShape, filter.shape, attrs);
    const delegate = () => wasmKernel(tf.Conv2DBackpropInput)(params);
    if (!info || dy.dtype !== 'float32' || filter.dtype !== 'float32')
        return delegate();
    const { padInfo: p } = info;
    const outputPadding = [
        info.inHeight - ((info.outHeight - 1) * info.strideHeight + info.filterHeight - p.top - p.bottom),
        info.inWidth - ((info.outWidth - 1) * info.strideWidth + info.filterWidth - p.left - p.right),
    ];
    if (outputPadding[0] < 0 || outputPadding[0] >= info.strideHeight || outputPadding[1] < 0 || outputPadding[1] >= info.strideWidth) {
        return delegate();
    }
    const backend = params.backend;
    const byPatches = inputGradientByPatches(backend, dy, filter, info);
    if (byPatches)
        return byPatches;
    const out = backend.makeOutput(info.inShape, 'float32');
    const session = sessionFor({
        inputs: ['dy', 'w'],
        outputs: ['dx'],
        nodes: [
            { op: 'Transpose', inputs: ['dy'], outputs: ['dyc'], attrs: { perm: ints(NHWC_TO_NCHW) } },
            { op: 'Transpose', inputs: ['w'], outputs: ['wc'], attrs: { perm: ints(HWIO_TO_OIHW) } },
            {
                op: 'ConvTranspose',
                inputs: ['dyc', 'wc'],
                outputs: ['dxc'],
                attrs: {
                    strides: ints([info.strideHeight, info.strideWidth]),
                    pads: ints(onnxPads(info)),
                    output_padding: ints(outputPadding),
                },
            },
            { op: 'Transpose', inputs: ['dxc'], outputs: ['dx'], attrs: { perm: ints(NCHW_TO_NHWC) } },
        ],
    }, convMacs(info));
    session.run([
        [heapView(backend, dy), dy.shape],
        [heapView(backend, filter), filter.shape],
    ], [[heapView(backend, out), info.inShape]]);
    return out;
}
export const conv2DBackpropInputConfig = { kernelName: tf.Conv2DBackpropInput, kernelFunc: conv2DBackpropInput };
//# sourceMappingURL=conv2d-backprop-input.js.map