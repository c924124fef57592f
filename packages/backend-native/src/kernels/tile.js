/**
 * `Tile` where it is a broadcast (every repeated axis has size 1: what tf.broadcastTo and the gradients of sums and
 * means produce), as one strided copy on the compiled loops. wasm's Tile computes an index per element and took
 * 5 ms to spread one value over [64, 2000]. Other tilings and dtypes go to wasm.
 */
import { tf } from '@latentkit/core';
import { BINARY_FIRST, nativeAddon } from '../addon.js';
import { plan2D } from '../broadcast.js';
import { heapOffset } from '../wasm-memory.js';
import { wasmKernel } from './delegate.js';
function tile(params) {
    const { x } = params.inputs;
    const { reps } = params.attrs;
    const addon = nativeAddon();
    const outShape = x.shape.map((d, i) => d * reps[i]);
    const broadcast = x.shape.every((d, i) => d === 1 || reps[i] === 1);
    const plan = broadcast && x.dtype === 'float32' ? plan2D(x.shape, x.shape, outShape) : undefined;
    if (!addon || !plan || tf.util.sizeFromShape(outShape) === 0)
        return wasmKernel(tf.Tile)(params);
    const backend = params.backend;
    const out = backend.makeOutput(outShape, 'float32');
    const at = heapOffset(backend, x);
    addon.binary(BINARY_FIRST, backend.wasm.HEAPU8.buffer, at, ...plan.a, at, ...plan.a, heapOffset(backend, out), plan.outer, plan.inner);
    return out;
}
export const tileConfig = { kernelName: tf.Tile, kernelFunc: tile };
//# sourceMappingURL=tile.js.map