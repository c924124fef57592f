/**
 * `Slice`, `SplitV` and `Unpack` on heap views. wasm's versions start every slice by reading the whole input out of
 * the heap into a fresh copy (`readSync`), so unstacking a [35, 32, 2048] sequence copies it 35 times and splitting
 * LSTM gates copies them 4 times per step. Here each output costs one copy of its own bytes, row by row.
 */
import { tf } from '@latentkit/core';
import { heapOffset } from '../wasm-memory.js';
import { wasmKernel } from './delegate.js';
/** Copies the box `begin .. begin+size` of `x` into a new tensor, one innermost row at a time. */
function sliceHeap(backend, x, begin, size) {
    const out = backend.makeOutput([...size], x.dtype);
    const elementBytes = tf.util.bytesPerElement(x.dtype);
    const heap = backend.wasm.HEAPU8;
    const rank = x.shape.length;
    const strides = [...tf.util.computeStrides(x.shape), 1];
    // Merge trailing axes taken whole into one contiguous row.
    let inner = rank;
    while (inner > 0 && begin[inner - 1] === 0 && size[inner - 1] === x.shape[inner - 1])
        inner--;
    const rowAxis = Math.max(inner - 1, 0);
    const rowElements = size.slice(rowAxis).reduce((a, b) => a * b, 1);
    const rowBytes = rowElements * elementBytes;
    const src = heapOffset(backend, x);
    let dst = heapOffset(backend, out);
    const outer = size.slice(0, rowAxis);
    const count = outer.reduce((a, b) => a * b, 1);
    const index = new Array(rowAxis).fill(0);
    for (let r = 0; r < count; r++) {
        let offset = (begin[rowAxis] ?? 0) * strides[rowAxis];
        for (let d = 0; d < rowAxis; d++)
            offset += (begin[d] + index[d]) * strides[d];
        const from = src + offset * elementBytes;
        heap.copyWithin(dst, from, from + rowBytes);
        dst += rowBytes;
        for (let d = rowAxis - 1; d >= 0; d--) {
            index[d] = index[d] + 1;
            if (index[d] < outer[d])
                break;
            index[d] = 0;
        }
    }
    return out;
}
function slice(params) {
    const { x } = params.inputs;
    if (x.dtype === 'string')
        return wasmKernel(tf.Slice)(params);
    const { begin, size } = params.attrs;
    const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
    return sliceHeap(params.backend, x, b, s);
}
function splitV(params) {
    const { x } = params.inputs;
    if (x.dtype === 'string')
        return wasmKernel(tf.SplitV)(params);
    const { numOrSizeSplits, axis } = params.attrs;
    const a = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, a);
    const begin = new Array(x.shape.length).fill(0);
    return sizes.map((s) => {
        const size = [...x.shape];
        size[a] = s;
        const piece = sliceHeap(params.backend, x, begin, size);
        begin[a] = begin[a] + s;
        return piece;
    });
}
function unpack(params) {
    const { value } = params.inputs;
    if (value.dtype === 'string')
        return wasmKernel(tf.Unpack)(params);
    const rank = value.shape.length;
    const axis = (params.attrs.axis + rank) % rank;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const size = [...value.shape];
    size[axis] = 1;
    return Array.from({ length: value.shape[axis] }, (_, i) => {
        const begin = new Array(rank).fill(0);
        begin[axis] = i;
        const piece = sliceHeap(params.backend, value, begin, size);
        return { ...piece, shape: outShape };
    });
}
export const sliceConfig = { kernelName: tf.Slice, kernelFunc: slice };
export const splitVConfig = { kernelName: tf.SplitV, kernelFunc: splitV };
export const unpackConfig = { kernelName: tf.Unpack, kernelFunc: unpack };
//# sourceMappingURL=slice.js.map