/**
 * `Sum`, `Max`, `Min` and `Mean` of large float32 tensors, on the compiled loops when the reduced axes are one
 * contiguous run (after dropping axes of size 1), else on onnxruntime (sums and means) or wasm. wasm reduces only
 * along the last axis, so it transposes first for any other: summing dlogits [1120, 10000] over the batch (every
 * bias gradient of a dense layer) costs it ~17× what onnxruntime takes; the compiled loop also saves onnxruntime's
 * ~0.1 ms per call.
 */
import { tf } from '@latentkit/core';
import { nativeAddon } from '../addon.js';
import { int, ints } from '../onnx-graph.js';
import { sessionFor } from '../runtime.js';
import { heapOffset, heapView } from '../wasm-memory.js';
import { wasmKernel } from './delegate.js';
/** Below this many elements wasm's single pass is as fast as a session call. */
const MIN_NATIVE_ELEMENTS = 1 << 16;
const ONNX_OPS = { [tf.Sum]: 'ReduceSum', [tf.Max]: 'ReduceMax', [tf.Min]: 'ReduceMin', [tf.Mean]: 'ReduceMean' };
/** The order of `enum class Reduce` in native/kernels.h. */
const ADDON_OPS = { [tf.Sum]: 0, [tf.Mean]: 1, [tf.Max]: 2, [tf.Min]: 3 };
/** x as [outer, r, inner] when the reduced axes form one contiguous run (size-1 axes do not count), else undefined. */
export function reductionPlan(shape, axes) {
    const reduced = new Set(axes);
    const kept = shape.map((d, k) => ({ d, reduced: reduced.has(k) })).filter((a) => a.d !== 1);
    const first = kept.findIndex((a) => a.reduced);
    if (first < 0)
        return { outer: kept.reduce((p, a) => p * a.d, 1), r: 1, inner: 1 };
    let last = first;
    while (last + 1 < kept.length && kept[last + 1]?.reduced)
        last++;
    if (kept.slice(last + 1).some((a) => a.reduced))
        return undefined;
    const prod = (xs) => xs.reduce((p, a) => p * a.d, 1);
    return { outer: prod(kept.slice(0, first)), r: prod(kept.slice(first, last + 1)), inner: prod(kept.slice(last + 1)) };
}
function reduce(kernelName, params) {
    const { x } = params.inputs;
    // Max names its axes `reductionIndices`; the others `axis`.
    const { axis, reductionIndices, keepDims } = params.attrs;
    const axes = tf.util.parseAxisParam((axis ?? reductionIndices), x.shape);
    const size = tf.util.sizeFromShape(x.shape);
    const addon = nativeAddon();
    const plan = addon ? reductionPlan(x.shape, axes) : undefined;
    // onnxruntime's ReduceMax and ReduceMin drop NaN along some axes, where tfjs (and wasm) propagate it.
    const onOnnxruntime = !plan && (kernelName === tf.Sum || kernelName === tf.Mean);
    if (x.dtype !== 'float32' || axes.length === 0 || size < MIN_NATIVE_ELEMENTS || !(plan || onOnnxruntime)) {
        return wasmKernel(kernelName)(params);
    }
    const [reducedShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const outShape = keepDims ? tf.backend_util.expandShapeToKeepDim(reducedShape, axes) : reducedShape;
    const backend = params.backend;
    const out = backend.makeOutput(outShape, 'float32');
    if (addon && plan) {
        addon.reduce(ADDON_OPS[kernelName], backend.wasm.HEAPU8.buffer, heapOffset(backend, x), plan.outer, plan.r, plan.inner, heapOffset(backend, out));
        return out;
    }
    // ReduceSum takes its axes as an input since opset 13; ReduceMean still as an attribute in opset 17.
    const op = ONNX_OPS[kernelName];
    const nodes = op === 'ReduceSum'
        ? [
            { op: 'Constant', inputs: [], outputs: ['axes'], attrs: { value_ints: ints(axes) } },
            { op, inputs: ['x', 'axes'], outputs: ['y'], attrs: { keepdims: int(0) } },
        ]
        : [{ op, inputs: ['x'], outputs: ['y'], attrs: { axes: ints(axes), keepdims: int(0) } }];
    sessionFor({ inputs: ['x'], outputs: ['y'], nodes }, size).run([[heapView(backend, x), x.shape]], [[heapView(backend, out), reducedShape]]);
    return out;
}
export const reduceConfigs = Object.keys(ONNX_OPS).map((kernelName) => ({
    kernelName,
    kernelFunc: ((p) => reduce(kernelName, p)),
}));
//# sourceMappingURL=reduce.js.map