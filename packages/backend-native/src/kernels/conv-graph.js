/**
 * tfjs convolutions are NHWC with HWIO filters; onnxruntime's are NCHW with OIHW filters. Each graph transposes on
 * the way in and out (onnxruntime's layout optimizer cancels what it can) and takes the padding tfjs computed.
 */
import { tf } from '@latentkit/core';
import { int, ints } from '../onnx-graph.js';
/** The tfjs convolution geometry, or undefined for what the native kernels leave to wasm (NCHW tensors). */
export function convInfo(inShape, filterShape, attrs) {
    if (attrs.dataFormat !== 'NHWC')
        return undefined;
    return tf.backend_util.computeConv2DInfo(inShape, filterShape, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
}
/** ONNX `pads`: begins then ends. */
export function onnxPads(info) {
    const p = info.padInfo;
    return [p.top, p.left, p.bottom, p.right];
}
export const NHWC_TO_NCHW = [0, 3, 1, 2];
export const NCHW_TO_NHWC = [0, 2, 3, 1];
export const HWIO_TO_OIHW = [3, 2, 0, 1];
/** Multiply-adds of the forward convolution (its two gradients cost the same). */
export function convMacs(info) {
    return tf.util.sizeFromShape(info.outShape) * info.filterHeight * info.filterWidth * info.inChannels;
}
/**
 * im2col in NHWC as graph nodes: pad `input` as tfjs did, take one strided Slice per filter tap (ky, kx), and
 * concatenate them along channels. `output` is [batch·outH·outW, filterH·filterW·inChannels], with columns in HWI
 * order, so a filter reshaped to [H·W·I, O] multiplies it directly and a product with dY comes out as HWIO.
 */
export function patchNodes(info, input, output) {
    const p = info.padInfo;
    const nodes = [];
    let padded = input;
    if (p.top || p.bottom || p.left || p.right) {
        nodes.push({ op: 'Constant', inputs: [], outputs: ['pads'], attrs: { value_ints: ints([0, p.top, p.left, 0, 0, p.bottom, p.right, 0]) } });
        nodes.push({ op: 'Pad', inputs: [input, 'pads'], outputs: ['padded'] });
        padded = 'padded';
    }
    const s = [info.strideHeight, info.strideWidth];
    nodes.push({ op: 'Constant', inputs: [], outputs: ['axes'], attrs: { value_ints: ints([1, 2]) } });
    nodes.push({ op: 'Constant', inputs: [], outputs: ['steps'], attrs: { value_ints: ints(s) } });
    const taps = [];
    for (let ky = 0; ky < info.filterHeight; ky++) {
        for (let kx = 0; kx < info.filterWidth; kx++) {
            const begin = [ky * info.dilationHeight, kx * info.dilationWidth];
            const end = [begin[0] + info.strideHeight * (info.outHeight - 1) + 1, begin[1] + info.strideWidth * (info.outWidth - 1) + 1];
            const tap = `tap${ky}_${kx}`;
            nodes.push({ op: 'Constant', inputs: [], outputs: [`${tap}_begin`], attrs: { value_ints: ints(begin) } });
            nodes.push({ op: 'Constant', inputs: [], outputs: [`${tap}_end`], attrs: { value_ints: ints(end) } });
            nodes.push({ op: 'Slice', inputs: [padded, `${tap}_begin`, `${tap}_end`, 'axes', 'steps'], outputs: [tap] });
            taps.push(tap);
        }
    }
    nodes.push({ op: 'Concat', inputs: taps, outputs: ['patches4d'], attrs: { axis: int(3) } });
    nodes.push({ op: 'Constant', inputs: [], outputs: ['rows'], attrs: { value_ints: ints([-1, info.filterHeight * info.filterWidth * info.inChannels]) } });
    nodes.push({ op: 'Reshape', inputs: ['patches4d', 'rows'], outputs: [output] });
    return nodes;
}
//# sourceMappingURL=conv-graph.js.map