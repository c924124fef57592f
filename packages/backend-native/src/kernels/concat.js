/**
 * `Concat` and `Pack` (tf.concat, tf.stack, and the gradients of split and unstack) as byte copies within the heap.
 * wasm's versions copy through JavaScript typed-array views element by element; stacking the LSTM-VAE's 35 hidden
 * states of [32, 512] took 2.5 ms there. Along an axis, every input contributes one contiguous block per index of
 * the axes before it, so each output is a sequence of `copyWithin` calls.
 */
import { tf } from '@latentkit/core';
import { heapOffset } from '../wasm-memory.js';
import { wasmKernel } from './delegate.js';
const size = (shape) => shape.reduce((a, b) => a * b, 1);
/** Joins `inputs` along `axis`, where every input's shape has `axis` (Pack inserts it as size 1 first). */
function join(backend, inputs, shapes, axis, outShape) {
    const dtype = inputs[0]?.dtype;
    const out = backend.makeOutput(outShape, dtype);
    if (size(outShape) === 0)
        return out;
    const bytes = tf.util.bytesPerElement(dtype);
    const outer = size(outShape.slice(0, axis));
    const blocks = shapes.map((s) => size(s.slice(axis)) * bytes);
    const rowBytes = blocks.reduce((a, b) => a + b, 0);
    const heap = backend.wasm.HEAPU8;
    const start = heapOffset(backend, out);
    let column = 0;
    inputs.forEach((t, i) => {
        const block = blocks[i];
        if (block === 0)
            return;
        const from = heapOffset(backend, t);
        for (let o = 0; o < outer; o++)
            heap.copyWithin(start + o * rowBytes + column, from + o * block, from + (o + 1) * block);
        column += block;
    });
    return out;
}
function concat(params) {
    const inputs = params.inputs;
    const { axis } = params.attrs;
    const first = inputs[0];
    if (!first || first.dtype === 'string' || inputs.some((t) => t.dtype !== first.dtype))
        return wasmKernel(tf.Concat)(params);
    const a = tf.util.parseAxisParam(axis, first.shape)[0];
    const shapes = inputs.map((t) => [...t.shape]);
    const outShape = tf.backend_util.computeOutShape(shapes, a);
    return join(params.backend, inputs, shapes, a, outShape);
}
function pack(params) {
    const inputs = params.inputs;
    const { axis } = params.attrs;
    const first = inputs[0];
    if (!first || first.dtype === 'string' || inputs.some((t) => t.dtype !== first.dtype || !tf.util.arraysEqual(t.shape, first.shape))) {
        return wasmKernel(tf.Pack)(params);
    }
    const a = axis < 0 ? axis + first.shape.length + 1 : axis;
    const shape = [...first.shape.slice(0, a), 1, ...first.shape.slice(a)];
    const outShape = [...first.shape.slice(0, a), inputs.length, ...first.shape.slice(a)];
    return join(params.backend, inputs, inputs.map(() => shape), a, outShape);
}
export const concatConfig = { kernelName: tf.Concat, kernelFunc: concat };
export const packConfig = { kernelName: tf.Pack, kernelFunc: pack };
//# sourceMappingURL=concat.js.map