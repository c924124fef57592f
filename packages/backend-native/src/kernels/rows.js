/**
 * An embedding lookup and its gradient on the compiled row loops (native/rows.cc): `GatherV2` (row gathers of any
 * 4-byte dtype) and `UnsortedSegmentSum` (float32). wasm's kernels took 8 ms to gather the LSTM-VAE's 1 120 rows of
 * 256 from a [10 000, 256] embedding and 5 ms to sum them back; each is a memcpy or an add per row. Gathers with
 * batch dimensions, other dtypes and out-of-range indices (tfjs throws; wasm's kernel reports it) go to wasm;
 * segment sums the loop does not cover go to core's scatter-add (wasm has no UnsortedSegmentSum).
 */
import { KERNEL_PATCHES, tf } from '@latentkit/core';
import { nativeAddon } from '../addon.js';
import { NATIVE_BACKEND } from '../names.js';
import { heapOffset } from '../wasm-memory.js';
import { wasmKernel } from './delegate.js';
const size = (shape) => shape.reduce((a, b) => a * b, 1);
const FOUR_BYTES = ['float32', 'int32'];
function gatherV2(params) {
    const { x, indices } = params.inputs;
    const { axis, batchDims } = params.attrs;
    const addon = nativeAddon();
    const a = tf.util.parseAxisParam(axis, x.shape)[0];
    if (!addon || batchDims !== 0 || !FOUR_BYTES.includes(x.dtype) || indices.dtype !== 'int32')
        return wasmKernel(tf.GatherV2)(params);
    const outShape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
    const backend = params.backend;
    const out = backend.makeOutput(outShape, x.dtype);
    const outer = size(x.shape.slice(0, a));
    const inner = size(x.shape.slice(a + 1));
    const count = size(indices.shape);
    const heap = backend.wasm.HEAPU8.buffer;
    if (addon.gather(heap, heapOffset(backend, x), outer, x.shape[a], inner, heapOffset(backend, indices), count, heapOffset(backend, out)))
        return out;
    backend.disposeData(out.dataId);
    return wasmKernel(tf.GatherV2)(params);
}
/** core's UnsortedSegmentSum, which it would have registered on this backend had this package not. */
function coreSegmentSum(params) {
    const patch = KERNEL_PATCHES.find((p) => p.kernelName === tf.UnsortedSegmentSum);
    if (!patch)
        throw new Error('@latentkit/core has no UnsortedSegmentSum kernel to fall back to');
    return patch.kernelFunc(NATIVE_BACKEND, undefined)(params);
}
function unsortedSegmentSum(params) {
    const { x, segmentIds } = params.inputs;
    const { numSegments } = params.attrs;
    const addon = nativeAddon();
    if (!addon || x.dtype !== 'float32' || segmentIds.dtype !== 'int32' || segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) {
        return coreSegmentSum(params);
    }
    const backend = params.backend;
    const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
    const n = x.shape[0];
    addon.segmentSum(backend.wasm.HEAPU8.buffer, heapOffset(backend, x), heapOffset(backend, segmentIds), n, size(x.shape.slice(1)), numSegments, heapOffset(backend, out));
    return out;
}
export const gatherV2Config = { kernelName: tf.GatherV2, kernelFunc: gatherV2 };
export const unsortedSegmentSumConfig = { kernelName: tf.UnsortedSegmentSum, kernelFunc: unsortedSegmentSum };
//# sourceMappingURL=rows.js.map