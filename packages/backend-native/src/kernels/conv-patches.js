import { nativeAddon } from '../addon.js';
import { int, ints } from '../onnx-graph.js';
import { sessionFor } from '../runtime.js';
import { heapOffset, heapView } from '../wasm-memory.js';
import { withActivation } from './activation.js';
import { blasAddon, blasProduct, singleProduct } from './blas-matmul.js';
import { convMacs } from './conv-graph.js';
/** The geometry arguments of the addon's im2col and col2im, in native/addon.cc's order. */
function convGeometry(info) {
    const i = info;
    return [
        i.batchSize,
        i.inHeight,
        i.inWidth,
        i.inChannels,
        i.filterHeight,
        i.filterWidth,
        i.outHeight,
        i.outWidth,
        i.strideHeight,
        i.strideWidth,
        i.dilationHeight,
        i.dilationWidth,
        i.padInfo.top,
        i.padInfo.left,
    ];
}
const patchShape = (info) => [
    info.batchSize * info.outHeight * info.outWidth,
    info.filterHeight * info.filterWidth * info.inChannels,
];
/** The patch matrix of `x`, in a scratch buffer the caller frees with `backend.disposeData`. */
function patches(addon, backend, x, info) {
    const cols = backend.makeOutput(patchShape(info), 'float32');
    addon.im2col(backend.wasm.HEAPU8.buffer, heapOffset(backend, x), heapOffset(backend, cols), ...convGeometry(info));
    return cols;
}
/** y = activation(patches(x) · W + bias): `Conv2D` and `FusedConv2D`. */
export function convByPatches(backend, x, filter, info, epilogue) {
    const addon = nativeAddon();
    if (!addon)
        return undefined;
    const [rows, columns] = patchShape(info);
    const out = backend.makeOutput(info.outShape, 'float32');
    const cols = patches(addon, backend, x, info);
    const product = { a: cols, b: filter, transposeA: false, transposeB: false, bias: epilogue.bias, activation: epilogue.activation };
    const blas = blasAddon();
    if (blas && !epilogue.preluWeights && blasProduct(blas, backend, singleProduct(rows, info.outChannels, columns), product, out)) {
        backend.disposeData(cols.dataId);
        return out;
    }
    const inputs = ['p', 'w'];
    const operands = [
        [heapView(backend, cols), [rows, columns]],
        [heapView(backend, filter), [columns, info.outChannels]],
    ];
    if (epilogue.bias) {
        inputs.push('bias');
        operands.push([heapView(backend, epilogue.bias), [info.outChannels]]);
    }
    if (epilogue.preluWeights) {
        inputs.push('alpha');
        operands.push([heapView(backend, epilogue.preluWeights), epilogue.preluWeights.shape]);
    }
    const gemm = { op: 'Gemm', inputs: inputs.slice(0, epilogue.bias ? 3 : 2), outputs: ['conv'] };
    const nodes = withActivation([gemm], epilogue.activation, 'y', epilogue.leakyreluAlpha);
    sessionFor({ inputs, outputs: ['y'], nodes }, convMacs(info)).run(operands, [[heapView(backend, out), [rows, info.outChannels]]]);
    backend.disposeData(cols.dataId);
    return out;
}
/** dx = col2im(dy · Wᵀ): `Conv2DBackpropInput` (also `tf.layers.conv2dTranspose`'s forward pass). */
export function inputGradientByPatches(backend, dy, filter, info) {
    const addon = nativeAddon();
    if (!addon)
        return undefined;
    const [rows, columns] = patchShape(info);
    const dx = backend.makeOutput(info.inShape, 'float32');
    const cols = backend.makeOutput([rows, columns], 'float32');
    const blas = blasAddon();
    if (blas)
        blasProduct(blas, backend, singleProduct(rows, columns, info.outChannels), { a: dy, b: filter, transposeA: false, transposeB: true }, cols);
    else
        gemmOnOnnxruntime(backend, dy, filter, info, cols);
    addon.col2im(backend.wasm.HEAPU8.buffer, heapOffset(backend, cols), heapOffset(backend, dx), ...convGeometry(info));
    backend.disposeData(cols.dataId);
    return dx;
}
function gemmOnOnnxruntime(backend, dy, filter, info, cols) {
    const [rows, columns] = patchShape(info);
    // The filter is transposed by its own node: MLAS ran dy · Wᵀ with transB at 44 GFLOP/s, after a Transpose at 56
    // ([6272, 64] · [64, 288], the conv AE's second layer).
    const nodes = [
        { op: 'Transpose', inputs: ['w'], outputs: ['wt'], attrs: { perm: ints([1, 0]) } },
        { op: 'Gemm', inputs: ['dy', 'wt'], outputs: ['cols'] },
    ];
    sessionFor({ inputs: ['dy', 'w'], outputs: ['cols'], nodes }, convMacs(info)).run([
        [heapView(backend, dy), [rows, info.outChannels]],
        [heapView(backend, filter), [columns, info.outChannels]],
    ], [[heapView(backend, cols), [rows, columns]]]);
}
/** dW = patches(x)ᵀ · dy, already HWIO: `Conv2DBackpropFilter`. */
export function filterGradientByPatches(backend, x, dy, info) {
    const addon = nativeAddon();
    if (!addon)
        return undefined;
    const [rows, columns] = patchShape(info);
    const dw = backend.makeOutput(info.filterShape, 'float32');
    const cols = patches(addon, backend, x, info);
    const blas = blasAddon();
    if (blas)
        blasProduct(blas, backend, singleProduct(columns, info.outChannels, rows), { a: cols, b: dy, transposeA: true, transposeB: false }, dw);
    else
        sessionFor({ inputs: ['p', 'dy'], outputs: ['dw'], nodes: [{ op: 'Gemm', inputs: ['p', 'dy'], outputs: ['dw'], attrs: { transA: int(1) } }] }, convMacs(info)).run([
            [heapView(backend, cols), [rows, columns]],
            [heapView(backend, dy), [rows, info.outChannels]],
        ], [[heapView(backend, dw), [columns, info.outChannels]]]);
    backend.disposeData(cols.dataId);
    return dw;
}
//# sourceMappingURL=conv-patches.js.map